"""Operator accounts: the command's service, sign-in with password and TOTP, replays, lockout."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from credit7_web.backoffice import operators, sessions, totp
from credit7_web.backoffice.audit import Action
from credit7_web.backoffice.models import AuditEntry, Operator, OperatorSession, Role
from credit7_web.clock import FixedClock
from credit7_web.errors import Refusal
from credit7_web.identity import sessions as borrower_sessions
from credit7_web.identity.accounts import LockedOut
from credit7_web.settings import Settings
from tests.factories import add_borrower
from tests.operator_setup import OPERATOR_PASSWORD, add_operator, code_at


def sign_in(db: Session, clock: FixedClock, settings: Settings, code: str, **kw) -> str:
    return operators.authenticate(
        db,
        clock,
        settings,
        kw.get("login", "ivanova"),
        kw.get("password", OPERATOR_PASSWORD),
        code,
    )


def actions(db: Session) -> list[str]:
    return [e.action for e in db.exec(select(AuditEntry).order_by(AuditEntry.id))]


def test_the_secret_is_sealed_and_the_uri_carries_it(
    db: Session, clock: FixedClock, settings: Settings
) -> None:
    enrolment = operators.create_operator(
        db, clock, settings, " Ivanova ", "Иванова И. П.", "identification", OPERATOR_PASSWORD
    )
    row = db.exec(select(Operator)).one()
    assert (row.login, row.role) == ("ivanova", Role.IDENTIFICATION)
    assert enrolment.secret not in row.totp_secret
    assert totp.unseal(settings.secret_key, row.totp_secret) == enrolment.secret
    assert totp.unseal(b"another key", row.totp_secret) is None
    assert enrolment.uri == (
        f"otpauth://totp/Credit7:ivanova?secret={enrolment.secret}&issuer=Credit7"
    )
    assert OPERATOR_PASSWORD not in row.password_hash
    assert actions(db) == [Action.OPERATOR_CREATED]


@pytest.mark.parametrize(
    ("login", "role", "password", "field"),
    [
        ("iv", "identification", OPERATOR_PASSWORD, "login"),
        ("иванова", "identification", OPERATOR_PASSWORD, "login"),
        ("ivanova", "admin", OPERATOR_PASSWORD, "role"),
        ("ivanova", "identification", "short-pass", "password"),
    ],
)
def test_create_refuses_bad_input(
    db: Session, clock: FixedClock, settings: Settings, login, role, password, field
) -> None:
    with pytest.raises(Refusal) as refused:
        operators.create_operator(db, clock, settings, login, "Иванова", role, password)
    assert set(refused.value.errors) == {field}
    assert db.exec(select(Operator)).all() == []


def test_a_login_is_taken_once(db: Session, clock: FixedClock, settings: Settings) -> None:
    add_operator(db, clock, settings, Role.SUPPORT)
    with pytest.raises(Refusal, match="Такой логин уже есть"):
        add_operator(db, clock, settings, Role.ACCOUNTS)


def test_password_and_current_code_sign_in_and_the_ticket_opens_a_session(
    db: Session, clock: FixedClock, settings: Settings
) -> None:
    operator_id, secret = add_operator(db, clock, settings, Role.IDENTIFICATION)
    ticket = sign_in(db, clock, settings, code_at(secret, clock.now()))
    token = sessions.claim(db, clock, ticket)
    assert token is not None
    operator = sessions.resolve(db, clock, token)
    assert operator is not None and operator.id == operator_id
    assert actions(db) == [Action.OPERATOR_CREATED, Action.SIGNED_IN]
    # An operator's token opens nothing on the borrowers' side, and the other way round.
    borrower = add_borrower(db, clock)
    assert borrower_sessions.resolve(db, clock, settings, token) is None
    borrower_ticket = borrower_sessions.open_session(db, clock, settings, borrower.id)
    borrower_token = borrower_sessions.claim(db, clock, settings, borrower_ticket)
    assert borrower_token is not None
    assert sessions.resolve(db, clock, borrower_token) is None
    assert sessions.claim(db, clock, borrower_ticket) is None


def test_a_code_from_the_step_before_is_accepted_for_clock_drift(
    db: Session, clock: FixedClock, settings: Settings
) -> None:
    _, secret = add_operator(db, clock, settings, Role.SUPPORT)
    assert sign_in(db, clock, settings, code_at(secret, clock.now(), -1))


def test_a_code_works_once(db: Session, clock: FixedClock, settings: Settings) -> None:
    _, secret = add_operator(db, clock, settings, Role.SUPPORT)
    code = code_at(secret, clock.now())
    sign_in(db, clock, settings, code)
    with pytest.raises(Refusal, match="Неверный логин, пароль или код"):
        sign_in(db, clock, settings, code)
    # Nor does an older code, still inside the drift window, after a newer one was used.
    clock.instant += timedelta(seconds=30)
    newer = code_at(secret, clock.now())
    sign_in(db, clock, settings, newer)
    with pytest.raises(Refusal):
        sign_in(db, clock, settings, code_at(secret, clock.now(), -1))
    assert actions(db)[-1] == Action.SIGN_IN_FAILED


def test_an_expired_code_is_refused(db: Session, clock: FixedClock, settings: Settings) -> None:
    _, secret = add_operator(db, clock, settings, Role.SUPPORT)
    old = code_at(secret, clock.now())
    clock.instant += timedelta(seconds=90)
    if old != code_at(secret, clock.now()):  # the same six digits again is a 1 in 10⁶ chance
        with pytest.raises(Refusal):
            sign_in(db, clock, settings, old)


@pytest.mark.parametrize(
    ("login", "password", "code"),
    [
        ("ivanova", "Wrong-pass-1234", None),
        ("ivanova", OPERATOR_PASSWORD, "000000"),
        ("ivanova", OPERATOR_PASSWORD, "12345a"),
        ("petrova", OPERATOR_PASSWORD, None),
    ],
)
def test_every_wrong_part_gets_the_same_answer(
    db: Session, clock: FixedClock, settings: Settings, login, password, code
) -> None:
    _, secret = add_operator(db, clock, settings, Role.SUPPORT)
    right = code_at(secret, clock.now())
    code = code or right
    if code == right and login == "ivanova" and password == OPERATOR_PASSWORD:
        pytest.skip("the random code happened to be the right one")
    with pytest.raises(Refusal) as refused:
        sign_in(db, clock, settings, code, login=login, password=password)
    assert refused.value.errors == {"": "Неверный логин, пароль или код"}
    assert db.exec(select(OperatorSession)).all() == []


def test_empty_fields_are_named(db: Session, clock: FixedClock, settings: Settings) -> None:
    with pytest.raises(Refusal) as refused:
        operators.authenticate(db, clock, settings, "", " ", "")
    assert set(refused.value.errors) == {"login", "password", "code"}


def test_five_failures_lock_the_account_even_for_the_right_code(
    db: Session, clock: FixedClock, settings: Settings
) -> None:
    _, secret = add_operator(db, clock, settings, Role.SUPPORT)
    for _ in range(4):
        with pytest.raises(Refusal):
            sign_in(db, clock, settings, "000000", password="Wrong-pass-1234")
    with pytest.raises(LockedOut):
        sign_in(db, clock, settings, "000000", password="Wrong-pass-1234")
    with pytest.raises(LockedOut):
        sign_in(db, clock, settings, code_at(secret, clock.now()))
    clock.instant += timedelta(minutes=15)
    assert sign_in(db, clock, settings, code_at(secret, clock.now()))
    assert db.exec(select(Operator)).one().failures == 0


def test_a_disabled_operator_cannot_sign_in_and_its_sessions_end(
    db: Session, clock: FixedClock, settings: Settings
) -> None:
    _, secret = add_operator(db, clock, settings, Role.SUPPORT)
    token = sessions.claim(db, clock, sign_in(db, clock, settings, code_at(secret, clock.now())))
    assert token is not None
    operators.disable_operator(db, clock, "ivanova")
    assert sessions.resolve(db, clock, token) is None
    clock.instant += timedelta(seconds=30)
    with pytest.raises(Refusal):
        sign_in(db, clock, settings, code_at(secret, clock.now()))
    assert Action.OPERATOR_DISABLED in actions(db)


def test_sessions_end_when_idle_and_at_sign_out(
    db: Session, clock: FixedClock, settings: Settings
) -> None:
    _, secret = add_operator(db, clock, settings, Role.SUPPORT)
    token = sessions.claim(db, clock, sign_in(db, clock, settings, code_at(secret, clock.now())))
    assert token is not None
    clock.instant += timedelta(minutes=sessions.IDLE_MINUTES)
    assert sessions.resolve(db, clock, token) is None
    clock.instant += timedelta(seconds=30)
    token = sessions.claim(db, clock, sign_in(db, clock, settings, code_at(secret, clock.now())))
    assert token is not None
    sessions.sign_out(db, clock, token)
    assert sessions.resolve(db, clock, token) is None
    assert actions(db)[-1] == Action.SIGNED_OUT
