"""RegisterState: phone and consent → SMS code → password, driven as a hostile client could."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from reflex_base.utils.form import FORM_DATA_ENTRIES_KEY
from sqlalchemy import Engine
from sqlmodel import Session, select

from credit7_web.identity import accounts, hashing, otp, sessions
from credit7_web.identity.fields import PHONE_MESSAGE
from credit7_web.identity.models import AuthSession, Borrower, BorrowerStatus, OneTimeCode, Profile
from credit7_web.messages import texts
from credit7_web.sandbox.models import SmsMessage
from credit7_web.wiring import settings
from state.phone_code import ResendTimer
from state.register import RegisterState
from tests.state.harness import (
    CLOCK,
    OTHER_PHONE,
    PASSWORD,
    PHONE,
    TYPED_PHONE,
    Browser,
    all_rows,
    claim_link,
    form,
    make_borrower,
    redirect_to,
    session_rows,
    sign_in,
    sms_code,
    snapshot,
)

UNCONFIRMED = {"": "Подтвердите номер телефона ещё раз."}
CODE_FORMAT = {"code": "Введите 6 цифр из SMS"}


async def to_code_step(browser: Browser, typed: str = TYPED_PHONE) -> None:
    await browser.send(RegisterState, "load")
    await browser.send(RegisterState, "submit_phone", form=form(phone=typed, consent="on"))
    assert browser.state(RegisterState).step == "code"


async def to_password_step(browser: Browser, engine: Engine, phone: str = PHONE) -> None:
    await to_code_step(browser, phone)
    await browser.send(RegisterState, "submit_code", form=form(code=sms_code(engine, phone)))
    assert browser.state(RegisterState).step == "password"


def assert_restarted(state: RegisterState) -> None:
    assert (state.step, state.phone_display, state._phone, state._confirmed_at) == (
        "phone",
        "",
        "",
        None,
    )


# ----------------------------------------------------------------------------- the happy path


async def test_sign_up_creates_the_borrower_and_hands_a_claim_ticket(
    browser: Browser, app_db: Engine
) -> None:
    browser.at("/register", "amount=5000&term=10")
    await browser.send(RegisterState, "load")
    assert (
        await browser.send(
            RegisterState, "submit_phone", form=form(phone=TYPED_PHONE, consent="on")
        )
        == []
    )
    state = browser.state(RegisterState)
    assert (state.step, state.phone_display, state.errors) == ("code", TYPED_PHONE, {})
    code = sms_code(app_db)
    assert [m.text for m in all_rows(app_db, SmsMessage)] == [texts.register_code(code)]

    assert await browser.send(RegisterState, "submit_code", form=form(code=code)) == []
    assert (browser.state(RegisterState).step, browser.state(RegisterState).errors) == (
        "password",
        {},
    )
    assert all_rows(app_db, Borrower) == []

    before = CLOCK.now()
    events = await browser.send(
        RegisterState, "submit_password", form=form(password=PASSWORD, password2=PASSWORD)
    )
    ticket, next_path = claim_link(events)
    assert next_path == "/register/questionnaire"

    [borrower] = all_rows(app_db, Borrower)
    assert borrower.phone == PHONE
    assert borrower.status == BorrowerStatus.QUESTIONNAIRE
    assert hashing.verify_password(PASSWORD, borrower.password_hash)
    assert (borrower.requested_amount_kop, borrower.requested_term_days) == (500_000, 10)
    # Consent was given with the phone, before the password step.
    assert borrower.pd_consent_at <= before
    assert [p.borrower_id for p in all_rows(app_db, Profile)] == [borrower.id]
    [session] = session_rows(app_db)
    assert session.borrower_id == borrower.id
    with Session(app_db) as s:  # the ticket is bound to the tab's browser key
        assert sessions.claim(s, CLOCK, settings(), ticket, browser.key) is not None
    assert (session.token_hash, session.claimed_at, session.revoked_at) == (None, None, None)

    assert_restarted(browser.state(RegisterState))
    sent = browser.sent_text()
    assert code not in sent
    assert PASSWORD not in sent


async def test_a_second_submit_password_after_success_is_refused(
    browser: Browser, app_db: Engine
) -> None:
    await to_password_step(browser, app_db)
    await browser.send(
        RegisterState, "submit_password", form=form(password=PASSWORD, password2=PASSWORD)
    )
    before = snapshot(app_db)
    events = await browser.send(
        RegisterState, "submit_password", form=form(password=PASSWORD, password2=PASSWORD)
    )
    assert events == []
    assert browser.state(RegisterState).errors == UNCONFIRMED
    assert snapshot(app_db) == before


@pytest.mark.parametrize(
    ("query", "requested"),
    [
        ("amount=5000&term=10", (500_000, 10)),
        ("amount=5100&term=10", (None, None)),  # off the 500 ₽ step
        ("amount=5000&term=31", (None, None)),
        ("amount=-5000&term=10", (None, None)),
        ("amount=" + "9" * 60 + "&term=10", (None, None)),
        ("amount=5000&amount=31000&term=10", (500_000, 10)),
        ("amount=5e3&term=1e1", (None, None)),
        ("", (None, None)),
    ],
)
async def test_the_calculator_choice_is_kept_only_when_it_fits_the_tariff(
    browser: Browser, app_db: Engine, query: str, requested: tuple[Any, Any]
) -> None:
    browser.at("/register", query)
    await to_password_step(browser, app_db)
    await browser.send(
        RegisterState, "submit_password", form=form(password=PASSWORD, password2=PASSWORD)
    )
    [borrower] = all_rows(app_db, Borrower)
    assert (borrower.requested_amount_kop, borrower.requested_term_days) == requested


# ----------------------------------------------------------------------------- out of order


async def test_submit_password_before_any_phone_is_refused(
    browser: Browser, app_db: Engine
) -> None:
    before = snapshot(app_db)
    events = await browser.send(
        RegisterState, "submit_password", form=form(password=PASSWORD, password2=PASSWORD)
    )
    assert events == []
    assert browser.state(RegisterState).errors == UNCONFIRMED
    assert_restarted(browser.state(RegisterState))
    assert snapshot(app_db) == before


async def test_submit_password_with_the_code_unconfirmed_is_refused(
    browser: Browser, app_db: Engine
) -> None:
    await to_code_step(browser)
    before = snapshot(app_db)
    events = await browser.send(
        RegisterState, "submit_password", form=form(password=PASSWORD, password2=PASSWORD)
    )
    assert events == []
    assert browser.state(RegisterState).errors == UNCONFIRMED
    assert_restarted(browser.state(RegisterState))
    assert snapshot(app_db) == before
    assert all_rows(app_db, Borrower) == []


async def test_submit_code_before_submit_phone_does_nothing(
    browser: Browser, app_db: Engine
) -> None:
    before = snapshot(app_db)
    assert await browser.send(RegisterState, "submit_code", form=form(code="123456")) == []
    state = browser.state(RegisterState)
    assert (state.step, state.errors, state._confirmed_at) == ("phone", {}, None)
    assert snapshot(app_db) == before


async def test_resend_before_submit_phone_sends_nothing(browser: Browser, app_db: Engine) -> None:
    before = snapshot(app_db)
    assert await browser.send(RegisterState, "resend") == []
    assert browser.state(RegisterState).errors == {}
    assert snapshot(app_db) == before


async def test_resend_at_the_password_step_sends_nothing(browser: Browser, app_db: Engine) -> None:
    await to_password_step(browser, app_db)
    before = snapshot(app_db)
    assert await browser.send(RegisterState, "resend") == []
    assert snapshot(app_db) == before
    assert browser.state(RegisterState).step == "password"


async def test_resend_within_a_minute_is_refused_and_sends_nothing(
    browser: Browser, app_db: Engine
) -> None:
    await to_code_step(browser)
    assert browser.state(RegisterState).resend_timer == ResendTimer(wait=60, sent=1)
    before = snapshot(app_db)
    await browser.send(RegisterState, "resend")
    state = browser.state(RegisterState)
    # Not an error of the code field: a neutral notice, and the countdown goes on.
    assert state.errors == {}
    assert state.notice.startswith("Новый код можно запросить через ")
    assert 0 < state.resend_timer.wait <= 60 and state.resend_timer.sent == 2
    assert snapshot(app_db) == before


def age_codes(engine: Engine, seconds: int) -> None:
    """Move every code's birth back, as if that much time had passed."""
    with Session(engine) as s:
        for row in s.exec(select(OneTimeCode)):
            row.created_at -= timedelta(seconds=seconds)
            s.add(row)
        s.commit()


async def test_resend_after_a_minute_sends_a_new_code_and_restarts_the_countdown(
    browser: Browser, app_db: Engine
) -> None:
    await to_code_step(browser)
    wrong = f"{(int(sms_code(app_db)) + 1) % 1_000_000:06d}"
    await browser.send(RegisterState, "submit_code", form=form(code=wrong))
    assert "code" in browser.state(RegisterState).errors
    age_codes(app_db, 61)
    await browser.send(RegisterState, "resend")
    state = browser.state(RegisterState)
    assert (state.errors, state.notice) == ({}, "Мы отправили новый код.")
    assert state.resend_timer == ResendTimer(wait=60, sent=2)
    assert len(all_rows(app_db, SmsMessage)) == 2
    await browser.send(RegisterState, "submit_code", form=form(code=sms_code(app_db)))
    assert browser.state(RegisterState).step == "password"


async def test_a_double_submitted_code_burns_one_try(browser: Browser, app_db: Engine) -> None:
    """A double click (or Enter, then a click) sends the form twice with the same answer number:
    the copy is ignored, so only one of the five tries is used."""
    await to_code_step(browser)
    answered = browser.state(RegisterState).answered
    wrong = f"{(int(sms_code(app_db)) + 1) % 1_000_000:06d}"
    for _ in range(2):
        await browser.send(
            RegisterState, "submit_code", form=form(code=wrong, answered=str(answered))
        )
    state = browser.state(RegisterState)
    assert state.errors == {"code": "Неверный код. Осталось попыток: 4"}
    assert state.answered == answered + 1
    [row] = all_rows(app_db, OneTimeCode)
    assert row.attempts == 1


async def test_change_phone_drops_the_confirmation(browser: Browser, app_db: Engine) -> None:
    await to_password_step(browser, app_db)
    await browser.send(RegisterState, "change_phone")
    assert_restarted(browser.state(RegisterState))
    await browser.send(
        RegisterState, "submit_password", form=form(password=PASSWORD, password2=PASSWORD)
    )
    assert browser.state(RegisterState).errors == UNCONFIRMED
    assert all_rows(app_db, Borrower) == []


async def test_a_new_phone_after_confirming_needs_its_own_code(
    browser: Browser, app_db: Engine
) -> None:
    """Confirm one number, then switch to another at the password step: no account for either."""
    await to_password_step(browser, app_db)
    await browser.send(RegisterState, "submit_phone", form=form(phone=OTHER_PHONE, consent="on"))
    state = browser.state(RegisterState)
    assert (state.step, state._phone, state._confirmed_at) == ("code", OTHER_PHONE, None)
    await browser.send(
        RegisterState, "submit_password", form=form(password=PASSWORD, password2=PASSWORD)
    )
    assert browser.state(RegisterState).errors == UNCONFIRMED
    assert all_rows(app_db, Borrower) == []
    assert session_rows(app_db) == []


async def test_consent_withdrawn_after_confirming_is_no_consent(
    browser: Browser, app_db: Engine
) -> None:
    """Re-send the phone form unticked at the password step: no account, no invented consent."""
    await to_password_step(browser, app_db)
    await browser.send(RegisterState, "submit_phone", form=form(phone=PHONE))
    assert browser.state(RegisterState).errors["consent"] == accounts.NEED_CONSENT
    before = snapshot(app_db)
    events = await browser.send(
        RegisterState, "submit_password", form=form(password=PASSWORD, password2=PASSWORD)
    )
    assert events == []
    assert browser.state(RegisterState).errors == UNCONFIRMED
    assert_restarted(browser.state(RegisterState))
    assert snapshot(app_db) == before


async def test_the_consent_time_is_when_it_was_given(browser: Browser, app_db: Engine) -> None:
    await to_code_step(browser)
    given = browser.state(RegisterState)._consent_at
    await browser.send(RegisterState, "submit_code", form=form(code=sms_code(app_db)))
    await browser.send(
        RegisterState, "submit_password", form=form(password=PASSWORD, password2=PASSWORD)
    )
    [borrower] = all_rows(app_db, Borrower)
    assert given is not None and borrower.pd_consent_at == given


async def test_the_same_number_gets_one_sms_a_minute(browser: Browser, app_db: Engine) -> None:
    await to_code_step(browser)
    before = snapshot(app_db)
    for _ in range(3):
        await browser.send(RegisterState, "change_phone")
        await browser.send(
            RegisterState, "submit_phone", form=form(phone=TYPED_PHONE, consent="on")
        )
        [message] = browser.state(RegisterState).errors.values()
        assert message.startswith("Новый код можно запросить через ")
        assert browser.state(RegisterState).step == "phone"
    assert snapshot(app_db) == before


async def test_a_confirmation_older_than_15_minutes_is_refused(
    browser: Browser, app_db: Engine
) -> None:
    await to_password_step(browser, app_db)
    state = browser.state(RegisterState)
    state._confirmed_at = CLOCK.now() - timedelta(minutes=15, seconds=1)
    events = await browser.send(
        RegisterState, "submit_password", form=form(password=PASSWORD, password2=PASSWORD)
    )
    assert events == []
    assert browser.state(RegisterState).errors == UNCONFIRMED
    assert_restarted(browser.state(RegisterState))
    assert all_rows(app_db, Borrower) == []


async def test_load_restarts_a_stale_password_step(browser: Browser, app_db: Engine) -> None:
    await to_password_step(browser, app_db)
    await browser.send(RegisterState, "load")
    assert browser.state(RegisterState).step == "password"  # still fresh: kept
    browser.state(RegisterState)._confirmed_at = CLOCK.now() - timedelta(minutes=16)
    await browser.send(RegisterState, "load")
    assert_restarted(browser.state(RegisterState))


async def test_a_confirmation_does_not_travel_to_another_tab(
    browser: Browser, new_browser: Any, app_db: Engine
) -> None:
    await to_password_step(browser, app_db)
    attacker: Browser = new_browser()
    attacker.at("/register")
    events = await attacker.send(
        RegisterState, "submit_password", form=form(password=PASSWORD, password2=PASSWORD)
    )
    assert events == []
    assert attacker.state(RegisterState).errors == UNCONFIRMED
    assert all_rows(app_db, Borrower) == []


# ----------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "bad_form",
    [
        None,
        0,
        12345,
        [],
        ["phone", TYPED_PHONE],
        "phone=9001234567&consent=on",
        {"phone": {"$ne": ""}, "consent": "on"},
        {"phone": [TYPED_PHONE], "consent": "on"},
        {"phone": 9001234567, "consent": "on"},
        {"phone": None, "consent": "on"},
        form(phone=9001234567, consent="on"),
        form(phone=[TYPED_PHONE], consent="on"),
        form(phone="9" * 10_000, consent="on"),
        form(phone=TYPED_PHONE + "1", consent="on"),
        form(phone="+1 (900) 123-45-67", consent="on"),
    ],
)
async def test_submit_phone_with_a_bad_phone_is_refused_without_an_sms(
    browser: Browser, app_db: Engine, bad_form: Any
) -> None:
    await browser.send(RegisterState, "load")
    before = snapshot(app_db)
    assert await browser.send(RegisterState, "submit_phone", form=bad_form) == []
    state = browser.state(RegisterState)
    assert state.errors["phone"] == PHONE_MESSAGE
    assert (state.step, state.phone_display, state._phone) == ("phone", "", "")
    assert snapshot(app_db) == before


@pytest.mark.parametrize(
    "consent", [None, "", "off", "yes", False, 1, ["on"], {"on": "on"}, "on" * 1000]
)
async def test_submit_phone_without_consent_is_refused_without_an_sms(
    browser: Browser, app_db: Engine, consent: Any
) -> None:
    before = snapshot(app_db)
    await browser.send(RegisterState, "submit_phone", form=form(phone=TYPED_PHONE, consent=consent))
    state = browser.state(RegisterState)
    assert state.errors == {"consent": accounts.NEED_CONSENT}
    assert (state.step, state._phone, state._consent_at) == ("phone", "", None)
    assert snapshot(app_db) == before


@pytest.mark.parametrize("consent", ["on", True])
async def test_a_ticked_consent_is_read_from_a_bare_form_or_a_checkbox_with_an_id(
    browser: Browser, app_db: Engine, consent: Any
) -> None:
    await browser.send(RegisterState, "submit_phone", form=form(phone=TYPED_PHONE, consent=consent))
    state = browser.state(RegisterState)
    assert (state.step, state.errors, state._phone) == ("code", {}, PHONE)
    assert state._consent_at is not None
    assert len(all_rows(app_db, SmsMessage)) == 1


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"form": form(phone=TYPED_PHONE, consent="on"), "extra": 1},
        {"form": {FORM_DATA_ENTRIES_KEY: "garbage"}},
        {"form": {FORM_DATA_ENTRIES_KEY: [["phone"]]}},
    ],
)
async def test_a_malformed_event_never_reaches_the_handler(
    browser: Browser, app_db: Engine, payload: dict[str, Any]
) -> None:
    before = snapshot(app_db)
    with pytest.raises((TypeError, ValueError)):
        await browser.send(RegisterState, "submit_phone", **payload)
    assert (browser.state(RegisterState).step, browser.state(RegisterState)._phone) == (
        "phone",
        "",
    )
    assert snapshot(app_db) == before


@pytest.mark.parametrize(
    "bad_code",
    [None, 123456, ["123456"], {"code": "123456"}, "", "12345", "1234567", "abcdef", "1" * 5000],
)
async def test_a_malformed_code_does_not_use_up_a_try(
    browser: Browser, app_db: Engine, bad_code: Any
) -> None:
    await to_code_step(browser)
    before = snapshot(app_db)
    await browser.send(RegisterState, "submit_code", form=form(code=bad_code))
    state = browser.state(RegisterState)
    assert state.errors == CODE_FORMAT
    assert (state.step, state._confirmed_at) == ("code", None)
    assert snapshot(app_db) == before


async def test_the_real_code_sent_as_a_number_is_not_accepted(
    browser: Browser, app_db: Engine
) -> None:
    await to_code_step(browser)
    await browser.send(RegisterState, "submit_code", form=form(code=int(sms_code(app_db))))
    assert browser.state(RegisterState).errors == CODE_FORMAT
    assert browser.state(RegisterState).step == "code"


async def test_guessing_the_code_stops_after_five_tries(browser: Browser, app_db: Engine) -> None:
    await to_code_step(browser)
    code = sms_code(app_db)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    messages = []
    for _ in range(otp.MAX_ATTEMPTS):
        await browser.send(RegisterState, "submit_code", form=form(code=wrong))
        messages.append(browser.state(RegisterState).errors["code"])
    assert messages == [
        "Неверный код. Осталось попыток: 4",
        "Неверный код. Осталось попыток: 3",
        "Неверный код. Осталось попыток: 2",
        "Неверный код. Осталось попыток: 1",
        "Неверный код. " + otp.EXHAUSTED,
    ]
    await browser.send(RegisterState, "submit_code", form=form(code=code))
    state = browser.state(RegisterState)
    assert state.errors == {"code": otp.EXHAUSTED}
    assert (state.step, state._confirmed_at) == ("code", None)
    [row] = all_rows(app_db, OneTimeCode)
    assert (row.attempts, row.used_at) == (otp.MAX_ATTEMPTS, None)


async def test_a_registered_number_gets_a_notice_and_the_same_code_screen(
    browser: Browser, app_db: Engine
) -> None:
    make_borrower(app_db)
    await to_code_step(browser)
    state = browser.state(RegisterState)
    assert (state.step, state.phone_display, state.errors) == ("code", TYPED_PHONE, {})
    [code_row] = all_rows(app_db, OneTimeCode)
    assert code_row.purpose == otp.REGISTER
    assert [m.text for m in all_rows(app_db, SmsMessage)] == [texts.already_registered()]
    # Whatever the caller guesses, they never reach the password step.
    await browser.send(RegisterState, "submit_code", form=form(code="000000"))
    assert browser.state(RegisterState).step == "code"
    assert len(all_rows(app_db, Borrower)) == 1


@pytest.mark.parametrize(
    ("password", "password2", "errors"),
    [
        ("short1", "short1", {"password": "Пароль — от 8 до 64 символов"}),
        (
            "onlyletters",
            "onlyletters",
            {"password": "Пароль должен содержать хотя бы одну букву и одну цифру"},
        ),
        (PASSWORD, PASSWORD + "x", {"password2": "Пароли не совпадают"}),
        ("a1" * 40_000, "a1" * 40_000, {"password": "Пароль — от 8 до 64 символов"}),
        (None, None, {"password": "Пароль — от 8 до 64 символов"}),
        ([PASSWORD], [PASSWORD], {"password": "Пароль — от 8 до 64 символов"}),
        (12345678, 12345678, {"password": "Пароль — от 8 до 64 символов"}),
    ],
)
async def test_a_bad_password_is_refused_and_the_step_kept(
    browser: Browser, app_db: Engine, password: Any, password2: Any, errors: dict[str, str]
) -> None:
    await to_password_step(browser, app_db)
    before = snapshot(app_db)
    events = await browser.send(
        RegisterState, "submit_password", form=form(password=password, password2=password2)
    )
    assert events == []
    assert browser.state(RegisterState).errors == errors
    assert browser.state(RegisterState).step == "password"
    assert snapshot(app_db) == before


async def test_a_phone_registered_meanwhile_is_refused(browser: Browser, app_db: Engine) -> None:
    await to_password_step(browser, app_db)
    make_borrower(app_db)  # the same number, signed up in another tab meanwhile
    before = snapshot(app_db)
    events = await browser.send(
        RegisterState, "submit_password", form=form(password=PASSWORD, password2=PASSWORD)
    )
    assert events == []
    assert browser.state(RegisterState).errors == {"": accounts.ALREADY_REGISTERED}
    assert snapshot(app_db) == before


# ----------------------------------------------------------------------------- signed in


async def test_load_sends_a_signed_in_borrower_home(browser: Browser, app_db: Engine) -> None:
    token = sign_in(app_db, make_borrower(app_db))
    browser.at("/register").with_cookie(token)
    assert redirect_to(await browser.send(RegisterState, "load")) == "/register/questionnaire"
    token = sign_in(app_db, make_borrower(app_db, OTHER_PHONE, active=True))
    browser.with_cookie(token)
    assert redirect_to(await browser.send(RegisterState, "load")) == "/cabinet"


async def test_load_ignores_a_dead_cookie(browser: Browser, app_db: Engine) -> None:
    token = sign_in(app_db, make_borrower(app_db))
    with Session(app_db) as s:
        sessions.revoke(s, CLOCK, token)
    browser.at("/register").with_cookie(token)
    assert await browser.send(RegisterState, "load") == []
    assert [row.revoked_at is not None for row in all_rows(app_db, AuthSession)] == [True]
