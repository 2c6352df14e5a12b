"""Engines and migrations. The app and the tests both build the schema with Alembic."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable

from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from sqlmodel import create_engine

from alembic import command
from credit7_web.settings import ROOT

DEFAULT_DB_URL = "sqlite:///credit7.db"
log = logging.getLogger(__name__)


def app_db_url() -> str:
    """The app's database: REFLEX_DB_URL, or the embedded SQLite file."""
    return os.environ.get("REFLEX_DB_URL") or DEFAULT_DB_URL


# Nothing may hold a worker for long: a handler waiting on a row lock blocks every borrower that
# worker serves, so waits and statements are bounded, and an abandoned transaction is ended.
POSTGRES_LIMITS = (
    "-c lock_timeout=5000 -c statement_timeout=20000 -c idle_in_transaction_session_timeout=60000"
)


def make_engine(url: str, *, bounded: bool = True) -> Engine:
    """An engine for `url`; `bounded=False` lifts the PostgreSQL time limits (migrations)."""
    if url.startswith("sqlite"):
        connect_args: dict = {"check_same_thread": False, "timeout": 5}
    elif url.startswith("postgresql"):
        connect_args = {"connect_timeout": 5} | ({"options": POSTGRES_LIMITS} if bounded else {})
    else:
        connect_args = {}
    # A file on this machine needs no liveness check before each checkout; a server does.
    return create_engine(url, connect_args=connect_args, pool_pre_ping=not url.startswith("sqlite"))


def alembic_config(url: str) -> Config:
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "alembic"))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))  # configparser interpolation
    return cfg


def migrate(url: str) -> None:
    """Bring the database at `url` to the newest schema."""
    command.upgrade(alembic_config(url), "head")


# ----------------------------------------------------------------------------- after commit

_AFTER_COMMIT = "c7_after_commit"


def after_commit(session: Session, callback: Callable[[], None]) -> None:
    """Run `callback` once the session's current transaction commits; never if it rolls back.

    Work that must not outlive a rolled-back step (an SMS leaving, a job starting) waits here.
    A failing callback is logged, not raised: the transaction has committed all the same, and
    the periodic sweeps pick up what it did not start.
    """
    session.info.setdefault(_AFTER_COMMIT, []).append(callback)


@event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    for callback in session.info.pop(_AFTER_COMMIT, []):
        try:
            callback()
        except Exception:
            log.exception("work after a commit did not start; the periodic sweep will")


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    session.info.pop(_AFTER_COMMIT, None)
