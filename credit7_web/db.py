"""Engines and migrations. The app and the tests both build the schema with Alembic."""

from __future__ import annotations

import os

from alembic.config import Config
from sqlalchemy.engine import Engine
from sqlmodel import create_engine

from alembic import command
from credit7_web.settings import ROOT

DEFAULT_DB_URL = "sqlite:///credit7.db"


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
    return create_engine(url, connect_args=connect_args, pool_pre_ping=True)


def alembic_config(url: str) -> Config:
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "alembic"))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))  # configparser interpolation
    return cfg


def migrate(url: str) -> None:
    """Bring the database at `url` to the newest schema."""
    command.upgrade(alembic_config(url), "head")
