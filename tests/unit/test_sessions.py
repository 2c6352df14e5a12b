from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from credit7_web.clock import FixedClock
from credit7_web.identity import hashing, sessions
from credit7_web.identity.models import AuthSession, Borrower
from credit7_web.settings import Settings
from tests.factories import add_borrower


@pytest.fixture
def borrower(db: Session, clock: FixedClock) -> Borrower:
    return add_borrower(db, clock)


def rows(engine: Engine) -> list[AuthSession]:
    with Session(engine) as s:
        return list(s.exec(select(AuthSession).order_by(col(AuthSession.id))))


def login(db: Session, clock: FixedClock, settings: Settings, borrower: Borrower) -> str:
    assert borrower.id is not None
    ticket = sessions.open_session(db, clock, settings, borrower.id)
    token = sessions.claim(db, clock, settings, ticket)
    assert token is not None
    return token


def test_open_stores_only_the_ticket_hash(
    db: Session, engine: Engine, clock: FixedClock, settings: Settings, borrower: Borrower
) -> None:
    assert borrower.id is not None
    ticket = sessions.open_session(db, clock, settings, borrower.id, "browser-key")
    [row] = rows(engine)
    assert row.borrower_id == borrower.id
    assert row.ticket_hash == hashing.token_hash(f"{ticket}.browser-key")  # bound to the browser
    assert row.token_hash is None
    assert row.created_at == row.last_seen_at == clock.now()
    assert row.expires_at == clock.now() + timedelta(hours=12)
    assert row.claimed_at is None
    assert row.revoked_at is None


def test_ticket_trades_once_for_a_new_token(
    db: Session, engine: Engine, clock: FixedClock, settings: Settings, borrower: Borrower
) -> None:
    assert borrower.id is not None
    ticket = sessions.open_session(db, clock, settings, borrower.id)
    clock.advance(timedelta(seconds=59))
    token = sessions.claim(db, clock, settings, ticket)
    assert token is not None
    assert token != ticket
    [row] = rows(engine)
    assert row.ticket_hash is None
    assert row.token_hash == hashing.token_hash(token)
    assert row.claimed_at == clock.now()
    assert sessions.claim(db, clock, settings, ticket) is None
    assert sessions.resolve(db, clock, settings, token) == borrower


def test_ticket_expires_after_60_seconds(
    db: Session, engine: Engine, clock: FixedClock, settings: Settings, borrower: Borrower
) -> None:
    assert borrower.id is not None
    ticket = sessions.open_session(db, clock, settings, borrower.id)
    clock.advance(timedelta(seconds=60))
    assert sessions.claim(db, clock, settings, ticket) is None
    [row] = rows(engine)
    assert row.token_hash is None
    assert row.claimed_at is None


def test_unknown_or_empty_ticket_and_token(
    db: Session, clock: FixedClock, settings: Settings, borrower: Borrower
) -> None:
    assert sessions.claim(db, clock, settings, "") is None
    assert sessions.claim(db, clock, settings, hashing.new_token()) is None
    assert sessions.resolve(db, clock, settings, "") is None
    assert sessions.resolve(db, clock, settings, hashing.new_token()) is None


def test_ticket_is_not_a_token(
    db: Session, clock: FixedClock, settings: Settings, borrower: Borrower
) -> None:
    assert borrower.id is not None
    ticket = sessions.open_session(db, clock, settings, borrower.id)
    assert sessions.resolve(db, clock, settings, ticket) is None


def test_each_login_is_a_new_session_with_a_new_token(
    db: Session, engine: Engine, clock: FixedClock, settings: Settings, borrower: Borrower
) -> None:
    first = login(db, clock, settings, borrower)
    second = login(db, clock, settings, borrower)
    assert first != second
    assert len(rows(engine)) == 2
    assert sessions.resolve(db, clock, settings, first) == borrower
    assert sessions.resolve(db, clock, settings, second) == borrower


def test_idle_timeout_and_touch_once_a_minute(
    db: Session, engine: Engine, clock: FixedClock, settings: Settings, borrower: Borrower
) -> None:
    token = login(db, clock, settings, borrower)
    start = clock.now()
    clock.advance(timedelta(seconds=59))
    assert sessions.resolve(db, clock, settings, token) == borrower
    assert rows(engine)[0].last_seen_at == start  # not written within the minute
    clock.advance(timedelta(seconds=1))
    assert sessions.resolve(db, clock, settings, token) == borrower
    assert rows(engine)[0].last_seen_at == start + timedelta(minutes=1)
    clock.advance(timedelta(minutes=30) - timedelta(microseconds=1))
    assert sessions.resolve(db, clock, settings, token) == borrower
    seen = rows(engine)[0].last_seen_at
    clock.instant = seen + timedelta(minutes=30)
    assert sessions.resolve(db, clock, settings, token) is None
    assert rows(engine)[0].last_seen_at == seen


def test_session_ends_after_its_hours_even_when_busy(
    db: Session, clock: FixedClock, settings: Settings, borrower: Borrower
) -> None:
    token = login(db, clock, settings, borrower)
    for _ in range(12 * 6 - 1):
        clock.advance(timedelta(minutes=10))
        assert sessions.resolve(db, clock, settings, token) == borrower
    clock.advance(timedelta(minutes=10) - timedelta(microseconds=1))
    assert sessions.resolve(db, clock, settings, token) == borrower
    clock.advance(timedelta(microseconds=1))
    assert sessions.resolve(db, clock, settings, token) is None


def test_revoke_ends_only_that_session(
    db: Session, engine: Engine, clock: FixedClock, settings: Settings, borrower: Borrower
) -> None:
    first = login(db, clock, settings, borrower)
    second = login(db, clock, settings, borrower)
    sessions.revoke(db, clock, first)
    assert sessions.resolve(db, clock, settings, first) is None
    assert sessions.resolve(db, clock, settings, second) == borrower
    assert [r.revoked_at for r in rows(engine)] == [clock.now(), None]


def test_revoke_all_ends_sessions_and_pending_tickets(
    db: Session, engine: Engine, clock: FixedClock, settings: Settings, borrower: Borrower
) -> None:
    assert borrower.id is not None
    token = login(db, clock, settings, borrower)
    ticket = sessions.open_session(db, clock, settings, borrower.id)
    sessions.revoke_all(db, clock, borrower.id)
    assert sessions.resolve(db, clock, settings, token) is None
    assert sessions.claim(db, clock, settings, ticket) is None
    assert [r.revoked_at for r in rows(engine)] == [clock.now(), clock.now()]
