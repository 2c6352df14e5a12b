"""The pages anyone may open: the landing calculator and the sandbox SMS outbox."""

from __future__ import annotations

from dataclasses import fields
from datetime import timedelta
from functools import cache

import pytest
from sqlalchemy import Engine

from credit7_web import wiring
from credit7_web.settings import Settings
from state.calculator import CalculatorState
from state.register import RegisterState
from state.sandbox import SmsOutboxState
from tests.state.harness import (
    CLOCK,
    OTHER_PHONE,
    PHONE,
    Browser,
    form,
    make_borrower,
    sign_in,
    snapshot,
)


async def test_the_calculator_gets_a_due_date_for_every_term(
    browser: Browser, app_db: Engine
) -> None:
    before = snapshot(app_db)
    assert await browser.send(CalculatorState, "load") == []
    due = browser.state(CalculatorState).due_dates
    assert list(due) == [str(term) for term in range(7, 31)]
    today = CLOCK.today()
    assert due["7"] == (today + timedelta(days=7)).strftime("%d.%m.%Y")
    assert due["30"] == (today + timedelta(days=30)).strftime("%d.%m.%Y")
    assert snapshot(app_db) == before


async def test_the_landing_knows_whether_the_visitor_is_signed_in(
    browser: Browser, app_db: Engine
) -> None:
    token = sign_in(app_db, make_borrower(app_db, active=True))
    for cookie, signed in ((None, False), ("not-a-token", False), (token, True)):
        browser.with_cookie(cookie)
        await browser.send(CalculatorState, "load")
        assert browser.state(CalculatorState).signed_in is signed


async def test_the_calculator_load_takes_no_arguments(browser: Browser, app_db: Engine) -> None:
    with pytest.raises(TypeError):
        await browser.send(CalculatorState, "load", start="01.01.2000")
    assert browser.state(CalculatorState).due_dates == {}


async def test_the_sandbox_outbox_lists_the_newest_sms_first(
    browser: Browser, app_db: Engine
) -> None:
    for phone in (PHONE, OTHER_PHONE):
        await browser.send(RegisterState, "submit_phone", form=form(phone=phone, consent="on"))
    assert await browser.send(SmsOutboxState, "load") == []
    state = browser.state(SmsOutboxState)
    assert state.enabled is True
    assert [m.phone for m in state.messages] == ["+7 (900) 765-43-21", "+7 (900) 123-45-67"]
    assert all(m.text.startswith("Credit7: код для регистрации ") for m in state.messages)
    assert all(m.at.endswith(" (мск)") for m in state.messages)
    assert {f.name for f in fields(state.messages[0])} == {"id", "phone", "at", "text"}


async def test_without_the_sandbox_the_outbox_shows_nothing(
    browser: Browser, app_db: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    await browser.send(RegisterState, "submit_phone", form=form(phone=PHONE, consent="on"))
    await browser.send(SmsOutboxState, "load")
    assert len(browser.state(SmsOutboxState).messages) == 1
    off = cache(lambda: Settings(secret_key=b"k", sandbox=False))
    monkeypatch.setattr(wiring, "settings", off)
    await browser.send(SmsOutboxState, "load")
    state = browser.state(SmsOutboxState)
    assert (state.enabled, state.messages) == (False, [])
    assert '"messages_rx_state_": []' in browser.deltas[-1]
