"""The states' database engine: one per process, so forked workers never share a connection."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import text

from credit7_web import wiring


def test_a_forked_worker_opens_its_own_connections(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Granian forks the workers from a parent that has already used the database."""
    monkeypatch.setenv("REFLEX_DB_URL", db_url)
    wiring.use_engine(None)
    try:
        with wiring.db() as s:
            s.exec(text("SELECT 1"))
        parent_pool = wiring.db().get_bind().pool
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker
            try:
                with wiring.db() as s:
                    answer = s.exec(text("SELECT 41 + 1")).scalar_one()
                own = wiring.db().get_bind().pool is not parent_pool
                os.write(write_end, f"{answer} {own}".encode())
            finally:
                os._exit(0)
        os.close(write_end)
        os.waitpid(pid, 0)
        with os.fdopen(read_end, "rb") as answer_pipe:
            assert answer_pipe.read() == b"42 True"
        assert wiring.db().get_bind().pool is parent_pool
    finally:
        wiring.db().get_bind().dispose()
        wiring.use_engine(None)
