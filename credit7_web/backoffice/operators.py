"""Operator accounts: made by a command on the server (never by sign-up), signed in with a
password and a TOTP code, locked after five wrong tries in a row, switched off by a command.

Sign-in answers the same for an unknown login, a wrong password and a wrong code, so the form
tells a stranger nothing; an unknown login is checked against a dummy hash to take as long.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import NoReturn

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, or_, select, update

from credit7_web.backoffice import audit, sessions, totp
from credit7_web.backoffice.models import Operator, Role
from credit7_web.clock import Clock
from credit7_web.errors import Refusal
from credit7_web.identity import hashing
from credit7_web.identity.accounts import LOCKOUT, MAX_FAILURES, LockedOut
from credit7_web.settings import Settings

LOGIN = re.compile(r"[a-z][a-z0-9._-]{2,39}")
PASSWORD_MIN = 12
PASSWORD_MAX = 128
NAME_MAX = 100

BAD_SIGN_IN = "Неверный логин, пароль или код"
LOGIN_MESSAGE = "Логин: латинские буквы, цифры, точка, дефис; от 3 до 40 знаков"
PASSWORD_MESSAGE = f"Пароль оператора: от {PASSWORD_MIN} до {PASSWORD_MAX} символов"
NAME_MESSAGE = "Укажите имя оператора (до 100 знаков)"
TAKEN_MESSAGE = "Такой логин уже есть"
ROLE_MESSAGE = "Роль: " + ", ".join(Role)


@dataclass(frozen=True)
class Enrolment:
    """A new operator and the TOTP secret to put in their authenticator app, shown once."""

    operator: Operator
    secret: str
    uri: str


def clean_login(text: str) -> str:
    login = text.strip().lower()
    if not LOGIN.fullmatch(login):
        raise Refusal.one("login", LOGIN_MESSAGE)
    return login


def find(db: Session, login: str) -> Operator | None:
    return db.exec(select(Operator).where(Operator.login == login)).first()


def create_operator(
    db: Session, clock: Clock, settings: Settings, login: str, name: str, role: str, password: str
) -> Enrolment:
    errors: dict[str, str] = {}
    try:
        login = clean_login(login)
    except Refusal as e:
        errors.update(e.errors)
    name = " ".join(name.split())
    if not name or len(name) > NAME_MAX:
        errors["name"] = NAME_MESSAGE
    if role not in set(Role):
        errors["role"] = ROLE_MESSAGE
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        errors["password"] = PASSWORD_MESSAGE
    if errors:
        raise Refusal(errors)
    secret = totp.new_secret()
    operator = Operator(
        login=login,
        name=name,
        role=role,
        password_hash=hashing.hash_password(password, settings.bcrypt_rounds),
        totp_secret=totp.seal(settings.secret_key, secret),
        created_at=clock.now(),
    )
    try:
        db.add(operator)
        db.flush()
        audit.record(
            db,
            clock,
            None,
            audit.Action.OPERATOR_CREATED,
            f"operator:{operator.id}",
            after={"login": login, "role": role},
        )
        db.commit()
    except IntegrityError:
        db.rollback()
        raise Refusal.one("login", TAKEN_MESSAGE) from None
    db.refresh(operator)
    return Enrolment(operator, secret, totp.provisioning_uri(secret, login))


def disable_operator(db: Session, clock: Clock, login: str) -> Operator:
    """Switch an account off for good: it cannot sign in, its sessions end at once."""
    operator = find(db, clean_login(login))
    if operator is None or operator.id is None:
        raise Refusal.one("login", "Нет такого оператора")
    if operator.disabled_at is None:
        operator.disabled_at = clock.now()
        db.add(operator)
        sessions.revoke_all_pending(db, clock, operator.id)
        audit.record(
            db,
            clock,
            None,
            audit.Action.OPERATOR_DISABLED,
            f"operator:{operator.id}",
            before={"disabled": False},
            after={"disabled": True},
        )
        db.commit()
        db.refresh(operator)
    return operator


def authenticate(
    db: Session,
    clock: Clock,
    settings: Settings,
    login_text: str,
    password: str,
    code: str,
    browser: str = "",
) -> str:
    """A one-use session ticket for a right login, password and TOTP code, bound to the
    browser key `browser`; Refusal otherwise.

    Slow (bcrypt): call it off the event loop.
    """
    missing = {
        name: message
        for name, value, message in (
            ("login", login_text, "Введите логин"),
            ("password", password, "Введите пароль"),
            ("code", code, "Введите шесть цифр из приложения"),
        )
        if not value.strip()
    }
    if missing:
        raise Refusal(missing)
    now = clock.now()
    login = login_text.strip().lower()
    operator = find(db, login) if LOGIN.fullmatch(login) else None
    if operator is None or operator.id is None:
        hashing.verify_password(password, hashing.dummy_hash(settings.bcrypt_rounds))
        raise Refusal.one("", BAD_SIGN_IN)
    _count_the_try(db, operator, now)
    secret = totp.unseal(settings.secret_key, operator.totp_secret)
    password_ok = hashing.verify_password(password, operator.password_hash)
    last = operator.totp_last_step
    step = totp.accepted_step(secret, code.strip(), now, last) if secret else None
    if not password_ok or step is None or operator.disabled_at is not None:
        _failed(db, clock, operator, now)
    # Conditional: of two sign-ins racing with one code, only one moves the step forward.
    moved = db.exec(
        update(Operator)
        .where(
            col(Operator.id) == operator.id,
            or_(col(Operator.totp_last_step).is_(None), col(Operator.totp_last_step) < step),
        )
        .values(totp_last_step=step, failures=0, locked_until=None)
    )
    if moved.rowcount != 1:
        db.rollback()
        _failed(db, clock, operator, now)
    audit.record(db, clock, operator.id, audit.Action.SIGNED_IN, f"operator:{operator.id}")
    return sessions.open_session(db, clock, operator.id, browser)  # commits the step and the record


def _count_the_try(db: Session, operator: Operator, now: datetime) -> None:
    """Count the try before the slow check, so parallel guesses cannot outrun the limit."""
    if operator.locked_until is not None:
        if now < operator.locked_until:
            raise LockedOut(operator.locked_until)
        operator.failures, operator.locked_until = 0, None
        db.add(operator)
        db.commit()
    counted = db.exec(
        update(Operator)
        .where(col(Operator.id) == operator.id, col(Operator.failures) < MAX_FAILURES)
        .values(failures=col(Operator.failures) + 1)
    )
    db.commit()
    if counted.rowcount != 1:
        _lock(db, operator, now)


def _failed(db: Session, clock: Clock, operator: Operator, now: datetime) -> NoReturn:
    """Record the failure; lock the account at the fifth in a row."""
    db.refresh(operator)
    audit.record(db, clock, operator.id, audit.Action.SIGN_IN_FAILED, f"operator:{operator.id}")
    if operator.failures >= MAX_FAILURES:
        _lock(db, operator, now)
    db.commit()
    raise Refusal.one("", BAD_SIGN_IN)


def _lock(db: Session, operator: Operator, now: datetime) -> NoReturn:
    """Set the lock (once), store it with what the caller added, and refuse."""
    db.refresh(operator)
    if operator.locked_until is None or operator.locked_until <= now:
        operator.locked_until = now + LOCKOUT
        db.add(operator)
    db.commit()
    raise LockedOut(operator.locked_until)
