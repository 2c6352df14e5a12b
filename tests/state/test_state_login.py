"""LoginState: sign-in by phone and password; the ticket it hands out and where it leads."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from credit7_web.identity import accounts, hashing, sessions
from credit7_web.identity.fields import PHONE_MESSAGE
from credit7_web.identity.models import LoginThrottle
from state.login import LoginState
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
    snapshot,
)

BAD_CREDENTIALS = {"": accounts.BAD_CREDENTIALS}


async def test_the_right_password_opens_a_session_and_hands_its_ticket(
    browser: Browser, app_db: Engine
) -> None:
    borrower_id = make_borrower(app_db, active=True)
    browser.at("/login")
    await browser.send(LoginState, "load")
    events = await browser.send(
        LoginState, "submit", form=form(phone=TYPED_PHONE, password=PASSWORD)
    )
    ticket, next_path = claim_link(events)
    assert next_path == "/cabinet"
    [session] = session_rows(app_db)
    assert session.borrower_id == borrower_id
    assert session.ticket_hash not in (None, hashing.token_hash(ticket))  # bound to the browser
    assert (session.token_hash, session.claimed_at, session.revoked_at) == (None, None, None)
    assert browser.state(LoginState).errors == {}
    assert all_rows(app_db, LoginThrottle) == []
    assert PASSWORD not in browser.sent_text()


async def test_a_borrower_in_the_questionnaire_goes_there_whatever_next_says(
    browser: Browser, app_db: Engine
) -> None:
    make_borrower(app_db)
    browser.at("/login", "next=%2Fcabinet")
    events = await browser.send(LoginState, "submit", form=form(phone=PHONE, password=PASSWORD))
    assert claim_link(events)[1] == "/register/questionnaire"


@pytest.mark.parametrize(
    ("next_param", "expected"),
    [
        ("/cabinet", "/cabinet"),
        ("/cabinet?tab=loans", "/cabinet?tab=loans"),
        ("https://evil.example", "/cabinet"),
        ("//evil.example", "/cabinet"),
        ("///evil.example", "/cabinet"),
        ("/\\evil.example", "/cabinet"),
        ("\\\\evil.example", "/cabinet"),
        ("javascript:alert(1)", "/cabinet"),
        ("evil.example", "/cabinet"),
        ("/" + "a" * 300, "/cabinet"),
        ("", "/cabinet"),
    ],
)
async def test_next_leads_only_to_a_local_page(
    browser: Browser, app_db: Engine, next_param: str, expected: str
) -> None:
    make_borrower(app_db, active=True)
    browser.at("/login", "next=" + quote(next_param, safe=""))
    events = await browser.send(LoginState, "submit", form=form(phone=PHONE, password=PASSWORD))
    assert claim_link(events)[1] == expected


async def test_a_wrong_password_is_refused_and_counted(browser: Browser, app_db: Engine) -> None:
    make_borrower(app_db, active=True)
    events = await browser.send(
        LoginState, "submit", form=form(phone=PHONE, password=PASSWORD + "x")
    )
    assert events == []
    assert browser.state(LoginState).errors == BAD_CREDENTIALS
    assert session_rows(app_db) == []
    [throttle] = all_rows(app_db, LoginThrottle)
    assert (throttle.phone, throttle.failures, throttle.locked_until) == (PHONE, 1, None)


async def test_an_unknown_phone_gets_the_same_answer(browser: Browser, app_db: Engine) -> None:
    make_borrower(app_db, active=True)
    await browser.send(LoginState, "submit", form=form(phone=OTHER_PHONE, password=PASSWORD))
    assert browser.state(LoginState).errors == BAD_CREDENTIALS
    assert session_rows(app_db) == []


async def test_five_wrong_passwords_lock_the_phone_even_for_the_right_one(
    browser: Browser, app_db: Engine
) -> None:
    make_borrower(app_db, active=True)
    for _ in range(accounts.MAX_FAILURES - 1):
        await browser.send(LoginState, "submit", form=form(phone=PHONE, password="Wrong1234"))
        assert browser.state(LoginState).errors == BAD_CREDENTIALS
    await browser.send(LoginState, "submit", form=form(phone=PHONE, password="Wrong1234"))
    [message] = browser.state(LoginState).errors.values()
    assert message.startswith("Вход заблокирован после 5 неверных попыток. Попробуйте снова после ")
    events = await browser.send(LoginState, "submit", form=form(phone=PHONE, password=PASSWORD))
    assert events == []
    assert list(browser.state(LoginState).errors.values()) == [message]
    assert session_rows(app_db) == []


@pytest.mark.parametrize(
    ("bad_form", "errors"),
    [
        (None, {"phone": PHONE_MESSAGE}),
        (7, {"phone": PHONE_MESSAGE}),
        ([PHONE, PASSWORD], {"phone": PHONE_MESSAGE}),
        ({"phone": {"$ne": ""}, "password": PASSWORD}, {"phone": PHONE_MESSAGE}),
        ({"phone": [PHONE], "password": PASSWORD}, {"phone": PHONE_MESSAGE}),
        (form(phone=9001234567, password=PASSWORD), {"phone": PHONE_MESSAGE}),
        (form(phone="9" * 100_000, password=PASSWORD), {"phone": PHONE_MESSAGE}),
        (form(phone=PHONE), {"password": "Введите пароль"}),
        (form(phone=PHONE, password=None), {"password": "Введите пароль"}),
        (form(phone=PHONE, password=[PASSWORD]), {"password": "Введите пароль"}),
        (form(phone=PHONE, password={"$ne": ""}), {"password": "Введите пароль"}),
        (form(phone=PHONE, password=True), {"password": "Введите пароль"}),
    ],
)
async def test_malformed_input_is_refused_before_any_check(
    browser: Browser, app_db: Engine, bad_form: Any, errors: dict[str, str]
) -> None:
    make_borrower(app_db, active=True)
    before = snapshot(app_db)
    assert await browser.send(LoginState, "submit", form=bad_form) == []
    assert browser.state(LoginState).errors == errors
    assert snapshot(app_db) == before  # not even a throttle row


async def test_an_overlong_password_is_cut_and_simply_wrong(
    browser: Browser, app_db: Engine
) -> None:
    make_borrower(app_db, active=True)
    await browser.send(LoginState, "submit", form=form(phone=PHONE, password=PASSWORD * 50_000))
    assert browser.state(LoginState).errors == BAD_CREDENTIALS
    assert session_rows(app_db) == []


async def test_load_shows_the_reset_notice_and_clears_old_errors(
    browser: Browser, app_db: Engine
) -> None:
    await browser.send(LoginState, "submit", form=form(phone="1", password="x"))
    assert browser.state(LoginState).errors != {}
    browser.at("/login", "reset=1")
    assert await browser.send(LoginState, "load") == []
    state = browser.state(LoginState)
    assert (state.errors, state.notice) == ({}, "Пароль изменён. Войдите с новым паролем.")
    browser.at("/login")
    await browser.send(LoginState, "load")
    assert browser.state(LoginState).notice == ""


async def test_load_sends_a_signed_in_borrower_home(browser: Browser, app_db: Engine) -> None:
    browser.at("/login").with_cookie(sign_in(app_db, make_borrower(app_db, active=True)))
    assert redirect_to(await browser.send(LoginState, "load")) == "/cabinet"
    browser.with_cookie(sign_in(app_db, make_borrower(app_db, OTHER_PHONE)))
    assert redirect_to(await browser.send(LoginState, "load")) == "/register/questionnaire"


async def test_load_with_a_revoked_cookie_stays_on_the_sign_in_page(
    browser: Browser, app_db: Engine
) -> None:
    token = sign_in(app_db, make_borrower(app_db, active=True))
    with Session(app_db) as s:
        sessions.revoke(s, CLOCK, token)
    browser.at("/login").with_cookie(token)
    assert await browser.send(LoginState, "load") == []
