"""Every handler that needs a signed-in borrower, called with every kind of bad cookie.

Each must answer as to a stranger (a redirect to sign in, or nothing) and change no row.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from credit7_web.identity import hashing, sessions
from credit7_web.identity.models import AuthSession
from credit7_web.identity.sessions import SESSION_COOKIE
from credit7_web.wiring import settings
from state.cabinet import CabinetState
from state.login import LoginState
from state.questionnaire import QuestionnaireState
from state.register import RegisterState
from tests.state.harness import (
    CLOCK,
    OTHER_PHONE,
    Browser,
    form,
    make_borrower,
    redirect_to,
    set_session_times,
    sign_in,
    snapshot,
)


def _token_cookie(token: str) -> str:
    return f"{SESSION_COOKIE}={token}"


def _revoked(engine: Engine, borrower_id: int) -> str:
    token = sign_in(engine, borrower_id)
    with Session(engine) as s:
        sessions.revoke(s, CLOCK, token)
    return _token_cookie(token)


def _expired(engine: Engine, borrower_id: int) -> str:
    token = sign_in(engine, borrower_id)
    set_session_times(engine, expires_at=CLOCK.now() - timedelta(seconds=1))
    return _token_cookie(token)


def _idle(engine: Engine, borrower_id: int) -> str:
    token = sign_in(engine, borrower_id)
    idle = timedelta(minutes=settings().session_idle_minutes, seconds=1)
    set_session_times(engine, last_seen_at=CLOCK.now() - idle)
    return _token_cookie(token)


def _unclaimed_ticket(engine: Engine, borrower_id: int) -> str:
    with Session(engine) as s:
        return _token_cookie(sessions.open_session(s, CLOCK, settings(), borrower_id))


def _claimed_ticket(engine: Engine, borrower_id: int) -> str:
    with Session(engine) as s:
        ticket = sessions.open_session(s, CLOCK, settings(), borrower_id)
        assert sessions.claim(s, CLOCK, settings(), ticket) is not None
    return _token_cookie(ticket)


def _stored_hash(engine: Engine, borrower_id: int) -> str:
    sign_in(engine, borrower_id)
    with Session(engine) as s:
        row = s.exec(select(AuthSession)).one()
    assert row.token_hash is not None
    return _token_cookie(row.token_hash)


def _other_cookie_name(engine: Engine, borrower_id: int) -> str:
    return "session=" + sign_in(engine, borrower_id)


def _malformed(engine: Engine, borrower_id: int) -> str:
    token = sign_in(engine, borrower_id)
    return f'{SESSION_COOKIE}="{token}; other=1'


BAD_COOKIES: dict[str, Callable[[Engine, int], str]] = {
    "none": lambda engine, borrower_id: "",
    "empty": lambda engine, borrower_id: f"{SESSION_COOKIE}=",
    "random": lambda engine, borrower_id: _token_cookie(secrets.token_urlsafe(32)),
    "huge": lambda engine, borrower_id: _token_cookie("A" * 100_000),
    "revoked": _revoked,
    "expired": _expired,
    "idle": _idle,
    "unclaimed ticket": _unclaimed_ticket,
    "claimed ticket": _claimed_ticket,
    "stored token hash": _stored_hash,
    "other cookie name": _other_cookie_name,
    "malformed header": _malformed,
}

# (state, page, handler, payload, what a stranger gets back)
GUARDED: list[tuple[type[Any], str, str, dict[str, Any], str | None]] = [
    (CabinetState, "/cabinet", "load", {}, "/login?next=%2Fcabinet"),
    (
        QuestionnaireState,
        "/register/questionnaire",
        "load",
        {},
        "/login?next=%2Fregister%2Fquestionnaire",
    ),
    (
        QuestionnaireState,
        "/register/questionnaire",
        "save_field",
        {"name": "last_name", "value": "Злоумышленников"},
        "/login?next=%2Fregister%2Fquestionnaire",
    ),
    (
        QuestionnaireState,
        "/register/questionnaire",
        "submit",
        {"form": form(last_name="Злоумышленников")},
        "/login?next=%2Fregister%2Fquestionnaire",
    ),
    (LoginState, "/login", "load", {}, None),
    (RegisterState, "/register", "load", {}, None),
]


@pytest.mark.parametrize("cookie", list(BAD_COOKIES))
@pytest.mark.parametrize(
    ("state_cls", "page", "handler", "payload", "answer"),
    GUARDED,
    ids=[f"{c.__name__}.{h}" for c, _, h, _, _ in GUARDED],
)
@pytest.mark.parametrize("victim_active", [False, True], ids=["questionnaire", "active"])
async def test_a_bad_cookie_is_a_stranger(
    browser: Browser,
    app_db: Engine,
    cookie: str,
    state_cls: type[Any],
    page: str,
    handler: str,
    payload: dict[str, Any],
    answer: str | None,
    victim_active: bool,
) -> None:
    victim = make_borrower(app_db, active=victim_active, first_name="Иван")
    browser.at(page)
    browser.cookie = BAD_COOKIES[cookie](app_db, victim)
    before = snapshot(app_db)
    events = await browser.send(state_cls, handler, **payload)
    if answer is None:
        assert events == []
    else:
        assert redirect_to(events) == answer
    assert snapshot(app_db) == before
    sent = browser.sent_text()
    assert "Иван" not in sent
    assert "123-45-67" not in sent
    assert "9001234567" not in sent


@pytest.mark.parametrize(("active", "home"), [(False, "/register/questionnaire"), (True, None)])
async def test_the_same_handlers_do_let_a_live_cookie_in(
    browser: Browser, app_db: Engine, active: bool, home: str | None
) -> None:
    """The control for the test above: a live cookie is recognised."""
    browser.at("/cabinet").with_cookie(sign_in(app_db, make_borrower(app_db, active=active)))
    events = await browser.send(CabinetState, "load")
    if home is None:
        assert events == []
        assert browser.state(CabinetState).phone == "+7 (900) 123-45-67"
    else:
        assert redirect_to(events) == home


async def test_a_session_is_kept_awake_at_most_once_a_minute(
    browser: Browser, app_db: Engine
) -> None:
    token = sign_in(app_db, make_borrower(app_db, active=True))
    browser.at("/cabinet").with_cookie(token)
    before = snapshot(app_db)
    await browser.send(CabinetState, "load")
    assert snapshot(app_db) == before  # seen less than a minute ago: no write
    earlier = CLOCK.now() - timedelta(minutes=2)
    set_session_times(app_db, last_seen_at=earlier)
    await browser.send(CabinetState, "load")
    with Session(app_db) as s:
        row = s.exec(select(AuthSession)).one()
    assert row.last_seen_at > earlier


async def test_one_borrowers_cookie_shows_only_that_borrower(
    browser: Browser, app_db: Engine
) -> None:
    make_borrower(app_db, active=True, first_name="Иван")
    other = make_borrower(app_db, OTHER_PHONE, active=True, first_name="Пётр")
    browser.at("/cabinet").with_cookie(sign_in(app_db, other))
    await browser.send(CabinetState, "load")
    assert browser.state(CabinetState).name == "Пётр"
    assert "Иван" not in browser.sent_text()


async def test_the_session_token_never_reaches_the_frontend(
    browser: Browser, app_db: Engine
) -> None:
    """The cookie header comes with every event; Reflex must not echo it back in a delta."""
    token = sign_in(app_db, make_borrower(app_db, active=True))
    browser.at("/cabinet").with_cookie(token)
    await browser.send(CabinetState, "load")
    sent = browser.sent_text()
    assert browser.deltas
    assert token not in sent
    assert hashing.token_hash(token) not in sent
    assert f"{SESSION_COOKIE}={token}" in browser.state(CabinetState).router.headers.cookie
