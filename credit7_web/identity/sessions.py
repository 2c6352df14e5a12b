"""Sign-in sessions. A login makes a fresh row and a one-use ticket; the browser trades the
ticket (within a minute) for the cookie token. Only SHA-256 hashes of both are stored, so a
leaked table opens nothing, and no token ever outlives its row or is handed out twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from http.cookies import SimpleCookie

from sqlmodel import Session, col, select, update

from credit7_web.clock import Clock
from credit7_web.identity import hashing
from credit7_web.identity.models import AuthSession, Borrower
from credit7_web.settings import Settings

SESSION_COOKIE = "c7_session"
TICKET_TTL = timedelta(seconds=60)
TOUCH_EVERY = timedelta(minutes=1)


def open_session(db: Session, clock: Clock, settings: Settings, borrower_id: int) -> str:
    """A new session for a login (never a reused one); returns its one-use ticket."""
    ticket = hashing.new_token()
    now = clock.now()
    db.add(
        AuthSession(
            borrower_id=borrower_id,
            ticket_hash=hashing.token_hash(ticket),
            created_at=now,
            expires_at=now + timedelta(hours=settings.session_hours),
            last_seen_at=now,
        )
    )
    db.commit()
    return ticket


def claim(db: Session, clock: Clock, settings: Settings, ticket: str) -> str | None:
    """Trade a fresh, unclaimed ticket for a new session token; None for anything else."""
    if not ticket:
        return None
    row = db.exec(
        select(AuthSession).where(AuthSession.ticket_hash == hashing.token_hash(ticket))
    ).first()
    now = clock.now()
    if row is None or row.revoked_at is not None or row.claimed_at is not None:
        return None
    if now - row.created_at >= TICKET_TTL or now >= row.expires_at:
        return None
    token = hashing.new_token()
    # Conditional update: of two racing claims only one finds the ticket still unclaimed.
    claimed = db.exec(
        update(AuthSession)
        .where(
            col(AuthSession.id) == row.id,
            col(AuthSession.claimed_at).is_(None),
            col(AuthSession.revoked_at).is_(None),
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


def _live(row: AuthSession, now: datetime, settings: Settings) -> bool:
    idle = timedelta(minutes=settings.session_idle_minutes)
    return row.revoked_at is None and now < row.expires_at and now - row.last_seen_at < idle


def resolve(db: Session, clock: Clock, settings: Settings, token: str) -> Borrower | None:
    """The borrower behind a live session token, or None; keeps the session awake.

    last_seen_at is written at most once a minute, so browsing does not write on every click.
    """
    if not token:
        return None
    row = db.exec(
        select(AuthSession).where(AuthSession.token_hash == hashing.token_hash(token))
    ).first()
    now = clock.now()
    if row is None or not _live(row, now, settings):
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now
        db.add(row)
        db.commit()
    return db.get(Borrower, row.borrower_id)


def revoke(db: Session, clock: Clock, token: str) -> None:
    """Sign out: the token stops working at once."""
    if not token:
        return
    db.exec(
        update(AuthSession)
        .where(
            col(AuthSession.token_hash) == hashing.token_hash(token),
            col(AuthSession.revoked_at).is_(None),
        )
        .values(revoked_at=clock.now())
    )
    db.commit()


def revoke_all_pending(db: Session, clock: Clock, borrower_id: int) -> None:
    """Mark every session of a borrower revoked, inside the caller's transaction."""
    db.exec(
        update(AuthSession)
        .where(col(AuthSession.borrower_id) == borrower_id, col(AuthSession.revoked_at).is_(None))
        .values(revoked_at=clock.now(), ticket_hash=None)
    )


def revoke_all(db: Session, clock: Clock, borrower_id: int) -> None:
    """Sign out everywhere (password reset, phone change, deletion)."""
    revoke_all_pending(db, clock, borrower_id)
    db.commit()


def token_from_cookies(cookie_header: str, name: str = SESSION_COOKIE) -> str | None:
    """The token in a Cookie header (the session's, unless `name` says), or None."""
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(cookie_header or "")
    except Exception:
        return None
    morsel = jar.get(name)
    return morsel.value if morsel else None
