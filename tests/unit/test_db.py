"""Engines: where the app's database is, and the time limits that keep a worker from hanging."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text

from credit7_web.db import DEFAULT_DB_URL, app_db_url, make_engine


def test_the_app_database_is_the_sqlite_file_unless_configured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("REFLEX_DB_URL", raising=False)
    assert app_db_url() == DEFAULT_DB_URL == "sqlite:///credit7.db"
    monkeypatch.setenv("REFLEX_DB_URL", "postgresql+psycopg://db.example/credit7")
    assert app_db_url() == "postgresql+psycopg://db.example/credit7"


def _setting(engine: Engine, name: str) -> str:
    with engine.connect() as conn:
        return conn.execute(text(f"SHOW {name}")).scalar_one()


def test_postgres_waits_and_statements_are_bounded(db_url: str) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only (CREDIT7_TEST_DB_URL)")
    bounded, migrations = make_engine(db_url), make_engine(db_url, bounded=False)
    try:
        assert _setting(bounded, "lock_timeout") == "5s"
        assert _setting(bounded, "statement_timeout") == "20s"
        assert _setting(bounded, "idle_in_transaction_session_timeout") == "1min"
        assert _setting(migrations, "statement_timeout") == "0"
    finally:
        bounded.dispose()
        migrations.dispose()
