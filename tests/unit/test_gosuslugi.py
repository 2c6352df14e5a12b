"""Sign-up through Gosuslugi, the domain: who may sign up, what is locked, what is filled, the
account. The provider is a stand-in here that answers as the sandbox's test persons would (the
real client against the sandbox over HTTP: test_esia_client.py)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from credit7_web.clock import FixedClock
from credit7_web.errors import Refusal
from credit7_web.gateways.esia import EsiaAuthorization, EsiaError, EsiaFailure, EsiaPerson
from credit7_web.identity import accounts, gosuslugi, questionnaire
from credit7_web.identity.esia_client import person_from
from credit7_web.identity.gosuslugi import Refused, Stage
from credit7_web.identity.models import (
    Borrower,
    BorrowerStatus,
    GosuslugiSignup,
    OneTimeCode,
    Profile,
)
from credit7_web.messages.outbox import Outbox
from credit7_web.sandbox import esia as sandbox
from credit7_web.sandbox.esia import Persona
from credit7_web.sandbox.models import SmsMessage
from credit7_web.sandbox.sms import outbox
from credit7_web.settings import Settings

CALLBACK = "https://app.example/gosuslugi/callback"
TO_FILL = ("birth_place", "employer", "position", "family_status", "dependants", "monthly_income")
ANSWERS = {
    "birth_place": "г. Москва",
    "employer": "ООО «Ромашка»",
    "position": "Инженер",
    "family_status": "married",
    "dependants": "1",
    "monthly_income": "80000",
}
PASSWORD = "Secret123"


def esia_person(p: Persona) -> EsiaPerson:
    """A sandbox test person as the client reads it from the provider's JSON."""
    return person_from(
        p.oid, {"oid": p.oid, **p.person}, list(p.documents), list(p.addresses), list(p.contacts)
    )


class StubEsia:
    """The provider as the domain sees it: one person, or one failure, per sign-up."""

    def __init__(self, outcome: EsiaPerson | EsiaError) -> None:
        self.outcome = outcome
        self.calls: list[tuple[str, str, str, str]] = []

    def authorization(self, redirect_uri: str) -> EsiaAuthorization:
        return EsiaAuthorization("https://esia.example/ac?state=st", "st", "v" * 43)

    def person(self, callback_url: str, redirect_uri: str, state: str, verifier: str) -> EsiaPerson:
        self.calls.append((callback_url, redirect_uri, state, verifier))
        if isinstance(self.outcome, EsiaError):
            raise self.outcome
        return self.outcome


def arrive(db: Session, clock: FixedClock, outcome: EsiaPerson | EsiaError) -> str:
    """Start a sign-up and come back from Gosuslugi with `outcome`; the browser's token."""
    esia = StubEsia(outcome)
    token, url = gosuslugi.start(db, clock, esia, CALLBACK)
    assert url.startswith("https://esia.example/")
    assert gosuslugi.come_back(db, clock, esia, token, CALLBACK + "?code=c&state=st")
    assert esia.calls == [(CALLBACK + "?code=c&state=st", CALLBACK, "st", "v" * 43)]
    return token


def signup_row(db: Session) -> GosuslugiSignup:
    return db.exec(select(GosuslugiSignup)).one()


def test_a_confirmed_person_gets_the_questionnaire_filled_and_locked(
    db: Session, clock: FixedClock
) -> None:
    token = arrive(db, clock, esia_person(sandbox.CONFIRMED))
    view = gosuslugi.signup_of(db, clock, token)
    assert view is not None and view.stage == Stage.FORM
    assert view.phone == "9165550101"
    assert view.locked == {
        "last_name": "Смирнова",
        "first_name": "Анна",
        "middle_name": "Викторовна",
        "birth_date": "12.04.1988",
        "citizenship": "RUS",
        "passport_series": "4512",
        "passport_number": "345678",
        "passport_issue_date": "25.04.2008",
        "passport_issuer": "Отделением УФМС России по г. Москве (Арбат)",
        "passport_division_code": "770-002",
        "reg_address": "г. Москва, ул. Арбат, д. 10, кв. 5",
        "res_address": "г. Москва, ул. Новый Арбат, д. 21, кв. 14",
        "snils": "145-236-987 76",
        "email": "anna.smirnova@example.ru",
    }
    assert view.to_fill == TO_FILL
    row = signup_row(db)
    assert row.code_verifier is None  # spent at the callback
    assert token not in row.browser_hash  # only its hash is kept


def test_a_second_callback_changes_nothing(db: Session, clock: FixedClock) -> None:
    esia = StubEsia(esia_person(sandbox.CONFIRMED))
    token, _ = gosuslugi.start(db, clock, esia, CALLBACK)
    assert gosuslugi.come_back(db, clock, esia, token, CALLBACK + "?code=c&state=st")
    esia.outcome = esia_person(sandbox.SIMPLIFIED)
    assert gosuslugi.come_back(db, clock, esia, token, CALLBACK + "?code=d&state=st")
    assert len(esia.calls) == 1
    view = gosuslugi.signup_of(db, clock, token)
    assert view is not None and view.stage == Stage.FORM


def test_a_browser_that_started_nothing_is_told_so(db: Session, clock: FixedClock) -> None:
    esia = StubEsia(esia_person(sandbox.CONFIRMED))
    assert not gosuslugi.come_back(db, clock, esia, None, CALLBACK + "?code=c&state=st")
    assert not gosuslugi.come_back(db, clock, esia, "forged", CALLBACK + "?code=c&state=st")
    assert esia.calls == []
    assert gosuslugi.signup_of(db, clock, "forged") is None


@pytest.mark.parametrize(
    ("person", "code", "words"),
    [
        (sandbox.SIMPLIFIED, Refused.UNCONFIRMED, "не подтверждена"),
        (sandbox.UNDER_18, Refused.AGE, "только с 18 лет"),
        (sandbox.PASSPORT_UNVERIFIED, Refused.PASSPORT_UNVERIFIED, "не проверен"),
    ],
)
def test_those_who_may_not_sign_up_are_told_why(
    db: Session, clock: FixedClock, person: Persona, code: Refused, words: str
) -> None:
    token = arrive(db, clock, esia_person(person))
    view = gosuslugi.signup_of(db, clock, token)
    assert view is not None and view.stage == Stage.REFUSED
    assert view.refusal_code == code and words in view.refusal
    assert view.locked == {} and signup_row(db).person is None


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"passport": None}, Refused.NO_PASSPORT),
        ({"mobile": None}, Refused.NO_PHONE),
        ({"mobile": "+7(495)1234567"}, Refused.NO_PHONE),
        ({"citizenship": "UKR"}, Refused.CITIZENSHIP),
    ],
)
def test_a_person_missing_what_we_need_is_refused(
    db: Session, clock: FixedClock, change: dict, code: Refused
) -> None:
    token = arrive(db, clock, replace(esia_person(sandbox.CONFIRMED), **change))
    view = gosuslugi.signup_of(db, clock, token)
    assert view is not None and view.refusal_code == code
    assert view.refusal == gosuslugi.MESSAGES.get(code, view.refusal)


def test_a_registered_phone_is_told_to_sign_in(
    db: Session, clock: FixedClock, settings: Settings
) -> None:
    accounts.create_borrower(db, clock, settings, "9001234567", PASSWORD, PASSWORD, clock.now())
    token = arrive(db, clock, esia_person(sandbox.REGISTERED_PHONE))
    view = gosuslugi.signup_of(db, clock, token)
    assert view is not None and view.refusal_code == Refused.REGISTERED
    assert "+7 (900) 123-45-67" in view.refusal and "Войдите" in view.refusal


@pytest.mark.parametrize(
    ("failure", "code"),
    [
        (EsiaFailure.STATE, Refused.STATE),
        (EsiaFailure.GRANT, Refused.CODE),
        (EsiaFailure.DENIED, Refused.DENIED),
        (EsiaFailure.UNAVAILABLE, Refused.UNAVAILABLE),
    ],
)
def test_a_failed_exchange_names_its_reason(
    db: Session, clock: FixedClock, failure: EsiaFailure, code: Refused
) -> None:
    token = arrive(db, clock, EsiaError(failure))
    view = gosuslugi.signup_of(db, clock, token)
    assert view is not None and view.refusal == gosuslugi.MESSAGES[code]


def test_the_self_banned_person_signs_up_and_is_refused_later_at_scoring(
    db: Session, clock: FixedClock
) -> None:
    token = arrive(db, clock, esia_person(sandbox.SELF_BAN))
    view = gosuslugi.signup_of(db, clock, token)
    assert view is not None and view.stage == Stage.FORM
    assert view.locked["passport_number"] == "000001"


def test_what_fails_our_checks_is_left_to_fill(db: Session, clock: FixedClock) -> None:
    odd = replace(esia_person(sandbox.CONFIRMED), email="not-an-email", res_address=None)
    token = arrive(db, clock, odd)
    view = gosuslugi.signup_of(db, clock, token)
    assert view is not None
    assert "email" in view.to_fill and "email" not in view.locked
    # No residence address at Gosuslugi: the registration address stands for it.
    assert view.locked["res_address"] == view.locked["reg_address"]


def test_a_sign_up_expires(db: Session, clock: FixedClock) -> None:
    token = arrive(db, clock, esia_person(sandbox.CONFIRMED))
    clock.advance(gosuslugi.SIGNUP_TTL)
    view = gosuslugi.signup_of(db, clock, token)
    assert view is not None and view.refusal_code == Refused.EXPIRED
    # The next sign-up to start purges the expired one with its personal data.
    gosuslugi.start(db, clock, StubEsia(esia_person(sandbox.CONFIRMED)), CALLBACK)
    assert all(row.person is None for row in db.exec(select(GosuslugiSignup)))


def typed(**changes: str) -> dict[str, str]:
    return ANSWERS | {"password": PASSWORD, "password2": PASSWORD} | changes


def test_a_locked_field_cannot_be_changed_by_the_form(
    db: Session, clock: FixedClock, settings: Settings, sms: Outbox
) -> None:
    token = arrive(db, clock, esia_person(sandbox.CONFIRMED))
    with pytest.raises(Refusal) as refused:
        gosuslugi.submit_form(
            db,
            clock,
            settings,
            sms,
            token,
            typed(last_name="Иванова", passport_number="123456", snils="145-236-987 76"),
            True,
        )
    assert refused.value.errors == {
        "last_name": questionnaire.LOCKED,
        "passport_number": questionnaire.LOCKED,
    }
    assert signup_row(db).answers is None
    assert outbox(db) == []


def test_every_problem_of_the_form_at_once(
    db: Session, clock: FixedClock, settings: Settings, sms: Outbox
) -> None:
    token = arrive(db, clock, esia_person(sandbox.CONFIRMED))
    with pytest.raises(Refusal) as refused:
        gosuslugi.submit_form(
            db, clock, settings, sms, token, typed(monthly_income="", password2="Other123"), False
        )
    assert set(refused.value.errors) == {"monthly_income", "password2", "consent"}
    assert db.exec(select(OneTimeCode)).first() is None


def test_the_account_is_made_once_the_phone_is_confirmed(
    db: Session, clock: FixedClock, settings: Settings, sms: Outbox
) -> None:
    token = arrive(db, clock, esia_person(sandbox.CONFIRMED))
    gosuslugi.submit_form(db, clock, settings, sms, token, typed(), True)
    row = signup_row(db)
    assert row.password_hash and PASSWORD not in row.password_hash
    assert json.loads(row.answers or "{}") == ANSWERS
    view = gosuslugi.signup_of(db, clock, token)
    assert view is not None and view.stage == Stage.CODE
    [message] = outbox(db)
    assert message.phone == "9165550101" and "Госуслуг" in message.text
    code = message.text.split("Госуслуги ")[1][:6]

    with pytest.raises(Refusal) as wrong:
        gosuslugi.confirm(db, clock, settings, token, "000000" if code != "000000" else "111111")
    assert "code" in wrong.value.errors
    borrower = gosuslugi.confirm(db, clock, settings, token, code)

    assert borrower.phone == "9165550101" and borrower.status == BorrowerStatus.ACTIVE
    profile = db.get(Profile, borrower.id)
    assert profile is not None and profile.completed_at is not None
    assert profile.step == len(questionnaire.SECTIONS)
    assert (profile.last_name, profile.passport_number, profile.snils) == (
        "Смирнова",
        "345678",
        "14523698776",
    )
    assert profile.monthly_income_kop == 80_000_00 and profile.employer == "ООО «Ромашка»"
    assert profile.res_same_as_reg is False
    assert questionnaire.verified(profile) == frozenset(set(gosuslugi.FORM_FIELDS) - set(TO_FILL))
    row = signup_row(db)
    assert (row.person, row.answers, row.password_hash) == (None, None, None)
    assert row.borrower_id == borrower.id and row.finished_at is not None
    assert gosuslugi.signup_of(db, clock, token) is None
    signed_in = accounts.authenticate(db, clock, settings, "+7 916 555-01-01", PASSWORD)
    assert signed_in.id == borrower.id
    with pytest.raises(Refusal):
        gosuslugi.confirm(db, clock, settings, token, code)


def test_the_questionnaire_refuses_changes_to_locked_fields(
    db: Session, clock: FixedClock, settings: Settings, sms: Outbox
) -> None:
    token = arrive(db, clock, esia_person(sandbox.CONFIRMED))
    gosuslugi.submit_form(db, clock, settings, sms, token, typed(), True)
    code = outbox(db)[0].text.split("Госуслуги ")[1][:6]
    borrower = gosuslugi.confirm(db, clock, settings, token, code)
    assert borrower.id is not None
    with pytest.raises(Refusal) as draft:
        questionnaire.save_draft(db, borrower.id, "last_name", "Иванова")
    assert draft.value.errors == {"last_name": questionnaire.LOCKED}
    with pytest.raises(Refusal) as section:
        questionnaire.submit_section(
            db,
            clock,
            borrower.id,
            0,
            {
                "last_name": "Смирнова",
                "first_name": "Мария",
                "middle_name": "Викторовна",
                "birth_date": "12.04.1988",
                "birth_place": "г. Тверь",
                "citizenship": "RUS",
            },
        )
    assert section.value.errors == {"first_name": questionnaire.LOCKED}
    profile = db.get(Profile, borrower.id)
    assert profile is not None and profile.first_name == "Анна"


def test_the_code_goes_once_a_minute(
    db: Session, clock: FixedClock, settings: Settings, sms: Outbox
) -> None:
    token = arrive(db, clock, esia_person(sandbox.CONFIRMED))
    gosuslugi.submit_form(db, clock, settings, sms, token, typed(), True)
    with pytest.raises(Refusal) as early:
        gosuslugi.resend_code(db, clock, settings, sms, token)
    assert "code" in early.value.errors
    clock.advance(timedelta(seconds=61))
    gosuslugi.resend_code(db, clock, settings, sms, token)
    assert len(list(db.exec(select(SmsMessage)))) == 2


def test_back_to_the_form_forgets_the_answers(
    db: Session, clock: FixedClock, settings: Settings, sms: Outbox
) -> None:
    token = arrive(db, clock, esia_person(sandbox.CONFIRMED))
    gosuslugi.submit_form(db, clock, settings, sms, token, typed(), True)
    gosuslugi.back_to_form(db, clock, token)
    row = signup_row(db)
    assert (row.answers, row.password_hash) == (None, None)
    view = gosuslugi.signup_of(db, clock, token)
    assert view is not None and view.stage == Stage.FORM
    assert db.exec(select(Borrower)).first() is None
