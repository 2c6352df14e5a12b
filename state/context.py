"""What every state and route shares: settings, the business clock, database sessions."""

from __future__ import annotations

import os
from functools import cache
from http.cookies import SimpleCookie

from sqlalchemy.engine import Engine
from sqlmodel import Session

from credit7_web.clock import SystemClock
from credit7_web.db import app_db_url, make_engine
from credit7_web.gateways.sms import SandboxSms
from credit7_web.settings import Settings, load_settings

SESSION_COOKIE = "c7_session"
CLOCK = SystemClock()


@cache
def settings() -> Settings:
    return load_settings()


_engine: Engine | None = None
_engine_pid = 0


def use_engine(engine: Engine | None) -> None:
    """Point the states at another database: for handler tests. None goes back to REFLEX_DB_URL."""
    global _engine, _engine_pid
    _engine, _engine_pid = engine, os.getpid()


def _app_engine() -> Engine:
    """The engine of this process. Workers are forked from a parent that may already hold pooled
    connections; sharing one socket between two processes mixes their replies, so a forked
    worker drops the inherited pool (without closing the parent's connections) and starts anew.
    """
    global _engine, _engine_pid
    if _engine is None:
        use_engine(make_engine(app_db_url()))
    elif _engine_pid != os.getpid():
        _engine.dispose(close=False)
        _engine_pid = os.getpid()
    return _engine


def db() -> Session:
    """A session on the app database (REFLEX_DB_URL); use it as a context manager."""
    return Session(_app_engine())


def sms(session: Session) -> SandboxSms:
    return SandboxSms(session, CLOCK)


def cookie_value(cookie_header: str, name: str = SESSION_COOKIE) -> str | None:
    jar = SimpleCookie()
    try:
        jar.load(cookie_header or "")
    except Exception:
        return None
    morsel = jar.get(name)
    return morsel.value if morsel else None


def safe_next(path: str | None, default: str = "/cabinet") -> str:
    """Only local paths: an open redirect would hand a signed-in borrower to a phishing page."""
    if not isinstance(path, str) or not path.startswith("/") or path.startswith("//"):
        return default
    if "\\" in path or len(path) > 200:
        return default
    return path
