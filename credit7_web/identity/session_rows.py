"""What every sign-in session shares, a borrower's or an operator's: a row made at login with a
one-use ticket, the ticket traded (within a minute) for the cookie token, an absolute and an idle
expiry. Only SHA-256 hashes of the ticket and the token are stored, so a leaked table opens
nothing, and no token ever outlives its row or is handed out twice.

Each kind of session has its own table (its owner column differs); these functions take it.
"""

from __future__ import annotations

from datetime import timedelta
from functools import lru_cache
from http.cookies import SimpleCookie
from typing import Any, TypeVar

from pydantic import NaiveDatetime
from sqlalchemy import bindparam
from sqlmodel import Field, Session, SQLModel, col, select, update

from credit7_web.clock import Clock
from credit7_web.identity import hashing

TICKET_TTL = timedelta(seconds=60)
TOUCH_EVERY = timedelta(minutes=1)


class SessionColumns(SQLModel):
    """The columns of a session table; the table adds its id and its owner."""

    ticket_hash: str | None = Field(default=None, max_length=64, unique=True)
    token_hash: str | None = Field(default=None, max_length=64, unique=True, index=True)
    created_at: NaiveDatetime
    claimed_at: NaiveDatetime | None = None
    expires_at: NaiveDatetime
    last_seen_at: NaiveDatetime
    revoked_at: NaiveDatetime | None = None


Row = TypeVar("Row", bound=SessionColumns)
Owner = TypeVar("Owner", bound=SQLModel)


def _ticket_hash(ticket: str, browser: str) -> str:
    """A ticket is stored hashed together with the browser key of the browser that asked for it,
    so only that browser can trade it: another one's key finds no row (login CSRF)."""
    return hashing.token_hash(f"{ticket}.{browser}")


def start(
    db: Session, clock: Clock, table: type[Row], hours: int, browser: str = "", **owner: Any
) -> str:
    """A new session row for a login (never a reused one); returns its one-use ticket, which
    only the browser holding the key `browser` can claim."""
    ticket = hashing.new_token()
    now = clock.now()
    db.add(
        table(
            **owner,
            ticket_hash=_ticket_hash(ticket, browser),
            created_at=now,
            expires_at=now + timedelta(hours=hours),
            last_seen_at=now,
        )
    )
    db.commit()
    return ticket


def claim(
    db: Session, clock: Clock, table: type[Row], ticket: str, browser: str = ""
) -> str | None:
    """Trade a fresh, unclaimed ticket, in the browser it was made for, for a new session
    token; None for anything else."""
    if not ticket:
        return None
    row = db.exec(select(table).where(table.ticket_hash == _ticket_hash(ticket, browser))).first()
    now = clock.now()
    if row is None or row.revoked_at is not None or row.claimed_at is not None:
        return None
    if now - row.created_at >= TICKET_TTL or now >= row.expires_at:
        return None
    token = hashing.new_token()
    # Conditional update: of two racing claims only one finds the ticket still unclaimed.
    claimed = db.exec(
        update(table)
        .where(
            col(table.id) == row.id,  # type: ignore[attr-defined]
            col(table.claimed_at).is_(None),
            col(table.revoked_at).is_(None),
        )
        .values(
            token_hash=hashing.token_hash(token),
            ticket_hash=None,
            claimed_at=now,
            last_seen_at=now,
        )
    )
    db.commit()
    return token if claimed.rowcount == 1 else None


def live(db: Session, clock: Clock, table: type[Row], token: str, idle_minutes: int) -> Row | None:
    """The live session row behind a token, or None; keeps the session awake."""
    if not token:
        return None
    row = db.exec(select(table).where(table.token_hash == hashing.token_hash(token))).first()
    return row if row is not None and _awake(db, clock, row, idle_minutes) else None


# (session table, owner table) -> the query of `live_owner`, built once: building it costs more
# than running it
_owner_queries: dict[tuple[type, type], Any] = {}


def live_owner(
    db: Session,
    clock: Clock,
    table: type[Row],
    owner: type[Owner],
    joined_on: Any,
    token: str,
    idle_minutes: int,
) -> Owner | None:
    """Whose live session a token opens (`owner` joined `joined_on`), or None: one query for
    what every event asks first."""
    if not token:
        return None
    query = _owner_queries.get((table, owner))
    if query is None:
        query = (
            select(table, owner)
            .join(owner, joined_on)
            .where(table.token_hash == bindparam("token_hash"))
        )
        _owner_queries[(table, owner)] = query
    found = db.exec(query, params={"token_hash": hashing.token_hash(token)}).first()
    if found is None:
        return None
    row, who = found
    return who if _awake(db, clock, row, idle_minutes) else None


def _awake(db: Session, clock: Clock, row: SessionColumns, idle_minutes: int) -> bool:
    """Whether a session row is live; keeps it awake. last_seen_at is written at most once a
    minute, so browsing does not write on every click."""
    now = clock.now()
    if row.revoked_at is not None or now >= row.expires_at:
        return False
    if now - row.last_seen_at >= timedelta(minutes=idle_minutes):
        return False
    if now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now
        db.add(row)
        db.commit()
    return True


def revoke(db: Session, clock: Clock, table: type[Row], token: str) -> None:
    """Sign out: the token stops working at once."""
    if not token:
        return
    db.exec(
        update(table)
        .where(
            col(table.token_hash) == hashing.token_hash(token),
            col(table.revoked_at).is_(None),
        )
        .values(revoked_at=clock.now())
    )
    db.commit()


def end_all(db: Session, clock: Clock, table: type[Row], owner: Any, owner_id: int) -> None:
    """Mark every session of one owner (`owner` is the table's owner column) revoked, inside the
    caller's transaction."""
    db.exec(
        update(table)
        .where(col(owner) == owner_id, col(table.revoked_at).is_(None))
        .values(revoked_at=clock.now(), ticket_hash=None)
    )


@lru_cache(maxsize=1024)
def cookie_value(cookie_header: str, name: str) -> str | None:
    """One cookie of a Cookie header, or None (absent or unparseable); a tab sends the same
    header with every event, so it is parsed once."""
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(cookie_header or "")
    except Exception:
        return None
    morsel = jar.get(name)
    return morsel.value if morsel else None
