"""Operators signed in for the state tests: a session token for the operator cookie."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import Session

from credit7_web import wiring
from credit7_web.backoffice import sessions
from credit7_web.backoffice.models import Role
from tests.operator_setup import add_operator
from tests.state.harness import CLOCK, Browser


def operator_token(engine: Engine, role: Role, login: str | None = None) -> str:
    """A live operator session of a new operator with this role."""
    with Session(engine) as s:
        operator_id, _ = add_operator(s, CLOCK, wiring.settings(), role, login or role.value)
        token = sessions.claim(s, CLOCK, sessions.open_session(s, CLOCK, operator_id))
    assert token is not None
    return token


def as_operator(browser: Browser, token: str) -> Browser:
    """The tab carries only the operator cookie."""
    browser.cookie = f"{sessions.OPERATOR_COOKIE}={token}"
    return browser
