"""Shared fixtures: a fresh, migrated database per test and a clock that stands still.

The schema comes from the Alembic migrations, as in production. With CREDIT7_TEST_DB_URL set
(a PostgreSQL server URL), each test gets its own new database there, dropped afterwards;
otherwise a SQLite file in tmp_path.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlmodel import Session

from credit7_web.clock import FixedClock
from credit7_web.db import make_engine, migrate
from credit7_web.messages.outbox import Outbox
from credit7_web.settings import Settings
from tests.jobs import instant_sms

# 14:00 in Moscow on a Tuesday.
T0 = datetime(2026, 11, 24, 11, 0, 0)


@contextmanager
def fresh_database(workdir: Path) -> Iterator[str]:
    """A new, migrated database: a SQLite file in `workdir`, or on CREDIT7_TEST_DB_URL's server."""
    server = os.environ.get("CREDIT7_TEST_DB_URL")
    if not server:
        url = f"sqlite:///{workdir / 'test.db'}"
        migrate(url)
        yield url
        return
    name = f"c7test_{uuid.uuid4().hex[:16]}"
    admin = make_engine(server).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    try:
        migrate(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def db_url(tmp_path: Path) -> Iterator[str]:
    with fresh_database(tmp_path) as url:
        yield url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(secret_key=b"test-secret-key", bcrypt_rounds=4, data_dir=tmp_path)


@pytest.fixture
def sms(db: Session, clock: FixedClock) -> Outbox:
    return instant_sms(db, clock)
