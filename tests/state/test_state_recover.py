"""RecoverState: phone → SMS code → new password; it never tells whether a number is ours."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from credit7_web.identity import hashing, otp, sessions
from credit7_web.identity.fields import PHONE_MESSAGE
from credit7_web.identity.models import Borrower, OneTimeCode
from credit7_web.messages import texts
from credit7_web.sandbox.models import SmsMessage
from credit7_web.wiring import settings
from state.recover import RecoverState
from tests.state.harness import (
    CLOCK,
    OTHER_PHONE,
    PASSWORD,
    PHONE,
    TYPED_PHONE,
    Browser,
    all_rows,
    form,
    make_borrower,
    redirect_to,
    session_rows,
    sign_in,
    sms_code,
    snapshot,
)

NEW_PASSWORD = "Another456"
UNCONFIRMED = {"": "Подтвердите номер телефона ещё раз."}


async def to_code_step(browser: Browser, typed: str = TYPED_PHONE) -> None:
    browser.at("/recover")
    await browser.send(RecoverState, "load")
    await browser.send(RecoverState, "submit_phone", form=form(phone=typed))
    assert browser.state(RecoverState).step == "code"


async def to_password_step(browser: Browser, engine: Engine) -> None:
    await to_code_step(browser)
    await browser.send(RecoverState, "submit_code", form=form(code=sms_code(engine)))
    assert browser.state(RecoverState).step == "password"


def password_hash(engine: Engine, phone: str = PHONE) -> str:
    [borrower] = [b for b in all_rows(engine, Borrower) if b.phone == phone]
    return borrower.password_hash


def assert_restarted(state: RecoverState) -> None:
    assert (state.step, state.phone_display, state._phone, state._confirmed_at) == (
        "phone",
        "",
        "",
        None,
    )


async def test_recovery_sets_the_new_password_and_signs_out_everywhere(
    browser: Browser, app_db: Engine
) -> None:
    borrower_id = make_borrower(app_db)
    token = sign_in(app_db, borrower_id)
    await to_code_step(browser)
    code = sms_code(app_db)
    assert [m.text for m in all_rows(app_db, SmsMessage)] == [texts.recover_code(code)]
    await browser.send(RecoverState, "submit_code", form=form(code=code))
    events = await browser.send(
        RecoverState,
        "submit_password",
        form=form(password=NEW_PASSWORD, password2=NEW_PASSWORD),
    )
    assert redirect_to(events) == "/login?reset=1"
    assert hashing.verify_password(NEW_PASSWORD, password_hash(app_db))
    assert not hashing.verify_password(PASSWORD, password_hash(app_db))
    [session] = session_rows(app_db)
    assert session.revoked_at is not None
    with Session(app_db) as s:
        assert sessions.resolve(s, CLOCK, settings(), token) is None
    assert_restarted(browser.state(RecoverState))
    sent = browser.sent_text()
    assert code not in sent
    assert NEW_PASSWORD not in sent


async def test_an_unknown_number_gets_the_same_screen_and_no_sms(
    browser: Browser, app_db: Engine
) -> None:
    make_borrower(app_db, OTHER_PHONE)
    await to_code_step(browser)
    state = browser.state(RecoverState)
    assert (state.step, state.phone_display, state.errors) == ("code", TYPED_PHONE, {})
    assert all_rows(app_db, SmsMessage) == []
    [code_row] = all_rows(app_db, OneTimeCode)
    assert (code_row.phone, code_row.purpose) == (PHONE, otp.RECOVER)
    await browser.send(RecoverState, "submit_code", form=form(code="000000"))
    assert browser.state(RecoverState).errors == {"code": "Неверный код. Осталось попыток: 4"}
    assert browser.state(RecoverState).step == "code"


async def test_submit_password_before_the_code_changes_nothing(
    browser: Browser, app_db: Engine
) -> None:
    borrower_id = make_borrower(app_db)
    sign_in(app_db, borrower_id)
    for setup in ("nothing", "phone"):
        if setup == "phone":
            await to_code_step(browser)
        before = snapshot(app_db)
        events = await browser.send(
            RecoverState,
            "submit_password",
            form=form(password=NEW_PASSWORD, password2=NEW_PASSWORD),
        )
        assert events == []
        assert browser.state(RecoverState).errors == UNCONFIRMED
        assert_restarted(browser.state(RecoverState))
        assert snapshot(app_db) == before
    assert hashing.verify_password(PASSWORD, password_hash(app_db))
    assert [row.revoked_at for row in session_rows(app_db)] == [None]


async def test_submit_code_before_submit_phone_does_nothing(
    browser: Browser, app_db: Engine
) -> None:
    make_borrower(app_db)
    before = snapshot(app_db)
    assert await browser.send(RecoverState, "submit_code", form=form(code="123456")) == []
    assert await browser.send(RecoverState, "resend") == []
    assert (browser.state(RecoverState).step, browser.state(RecoverState).errors) == ("phone", {})
    assert snapshot(app_db) == before


async def test_a_stale_confirmation_is_refused(browser: Browser, app_db: Engine) -> None:
    make_borrower(app_db)
    await to_password_step(browser, app_db)
    browser.state(RecoverState)._confirmed_at = CLOCK.now() - timedelta(minutes=15, seconds=1)
    before = snapshot(app_db)
    await browser.send(
        RecoverState, "submit_password", form=form(password=NEW_PASSWORD, password2=NEW_PASSWORD)
    )
    assert browser.state(RecoverState).errors == UNCONFIRMED
    assert snapshot(app_db) == before


async def test_load_starts_over(browser: Browser, app_db: Engine) -> None:
    make_borrower(app_db)
    await to_password_step(browser, app_db)
    await browser.send(RecoverState, "load")
    assert_restarted(browser.state(RecoverState))
    assert browser.state(RecoverState).errors == {}
    await browser.send(
        RecoverState, "submit_password", form=form(password=NEW_PASSWORD, password2=NEW_PASSWORD)
    )
    assert browser.state(RecoverState).errors == UNCONFIRMED
    assert hashing.verify_password(PASSWORD, password_hash(app_db))


async def test_a_confirmation_for_one_number_does_not_reset_another(
    browser: Browser, app_db: Engine
) -> None:
    """Confirm your own number, then ask for another's: the confirmation is gone."""
    make_borrower(app_db)
    make_borrower(app_db, OTHER_PHONE)
    await to_password_step(browser, app_db)
    await browser.send(RecoverState, "submit_phone", form=form(phone=OTHER_PHONE))
    state = browser.state(RecoverState)
    assert (state.step, state._phone, state._confirmed_at) == ("code", OTHER_PHONE, None)
    await browser.send(
        RecoverState, "submit_password", form=form(password=NEW_PASSWORD, password2=NEW_PASSWORD)
    )
    assert browser.state(RecoverState).errors == UNCONFIRMED
    assert hashing.verify_password(PASSWORD, password_hash(app_db, OTHER_PHONE))
    assert hashing.verify_password(PASSWORD, password_hash(app_db, PHONE))


@pytest.mark.parametrize(
    "bad_form",
    [
        None,
        42,
        [TYPED_PHONE],
        {"phone": {"$ne": ""}},
        {"phone": [TYPED_PHONE]},
        form(phone=9001234567),
        form(phone="9" * 10_000),
        form(phone=""),
    ],
)
async def test_submit_phone_with_a_bad_phone_is_refused_without_an_sms(
    browser: Browser, app_db: Engine, bad_form: Any
) -> None:
    make_borrower(app_db)
    before = snapshot(app_db)
    assert await browser.send(RecoverState, "submit_phone", form=bad_form) == []
    state = browser.state(RecoverState)
    assert state.errors == {"phone": PHONE_MESSAGE}
    assert (state.step, state._phone) == ("phone", "")
    assert snapshot(app_db) == before


@pytest.mark.parametrize(
    ("password", "password2", "errors"),
    [
        ("short1", "short1", {"password": "Пароль — от 8 до 64 символов"}),
        (NEW_PASSWORD, PASSWORD, {"password2": "Пароли не совпадают"}),
        (None, None, {"password": "Пароль — от 8 до 64 символов"}),
        ({"x": 1}, {"x": 1}, {"password": "Пароль — от 8 до 64 символов"}),
    ],
)
async def test_a_bad_new_password_is_refused(
    browser: Browser, app_db: Engine, password: Any, password2: Any, errors: dict[str, str]
) -> None:
    make_borrower(app_db)
    await to_password_step(browser, app_db)
    before = snapshot(app_db)
    events = await browser.send(
        RecoverState, "submit_password", form=form(password=password, password2=password2)
    )
    assert events == []
    assert browser.state(RecoverState).errors == errors
    assert browser.state(RecoverState).step == "password"
    assert snapshot(app_db) == before


async def test_a_password_with_outer_spaces_is_refused_not_trimmed(
    browser: Browser, app_db: Engine
) -> None:
    """A password is taken as typed: outer spaces are refused, never silently cut off."""
    make_borrower(app_db)
    before_hash = password_hash(app_db)
    await to_password_step(browser, app_db)
    spaced = f"  {NEW_PASSWORD} "
    await browser.send(
        RecoverState, "submit_password", form=form(password=spaced, password2=spaced)
    )
    assert browser.state(RecoverState).errors == {
        "password": "Пароль не может начинаться или заканчиваться пробелом"
    }
    assert password_hash(app_db) == before_hash
