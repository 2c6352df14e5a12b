"""A borrower's sign-in sessions: the mechanics every session shares are in `session_rows`;
here they run on the borrowers' own table and cookie."""

from __future__ import annotations

from sqlmodel import Session

from credit7_web.clock import Clock
from credit7_web.identity import session_rows
from credit7_web.identity.models import AuthSession, Borrower
from credit7_web.settings import Settings

SESSION_COOKIE = "c7_session"
# A random key the app gives every browser (HttpOnly, SameSite=Strict, `web.guard`): a sign-in
# ticket is bound to it, so a ticket cannot be claimed in another person's browser.
BROWSER_COOKIE = "c7_browser"
TICKET_TTL = session_rows.TICKET_TTL


def open_session(
    db: Session, clock: Clock, settings: Settings, borrower_id: int, browser: str = ""
) -> str:
    """A new session for a login (never a reused one); returns its one-use ticket, bound to the
    browser key of the browser that signed in."""
    return session_rows.start(
        db, clock, AuthSession, settings.session_hours, browser, borrower_id=borrower_id
    )


def claim(
    db: Session, clock: Clock, settings: Settings, ticket: str, browser: str = ""
) -> str | None:
    """Trade a fresh, unclaimed ticket, in its own browser, for a new session token; None for
    anything else."""
    del settings  # the row carries its own expiry
    return session_rows.claim(db, clock, AuthSession, ticket, browser)


def resolve(db: Session, clock: Clock, settings: Settings, token: str) -> Borrower | None:
    """The borrower behind a live session token, or None; keeps the session awake."""
    return session_rows.live_owner(
        db,
        clock,
        AuthSession,
        Borrower,
        Borrower.id == AuthSession.borrower_id,
        token,
        settings.session_idle_minutes,
    )


def revoke(db: Session, clock: Clock, token: str) -> None:
    """Sign out: the token stops working at once."""
    session_rows.revoke(db, clock, AuthSession, token)


def revoke_all_pending(db: Session, clock: Clock, borrower_id: int) -> None:
    """Mark every session of a borrower revoked, inside the caller's transaction."""
    session_rows.end_all(db, clock, AuthSession, AuthSession.borrower_id, borrower_id)


def revoke_all(db: Session, clock: Clock, borrower_id: int) -> None:
    """Sign out everywhere (password reset, phone change, deletion)."""
    revoke_all_pending(db, clock, borrower_id)
    db.commit()


def token_from_cookies(cookie_header: str, name: str = SESSION_COOKIE) -> str | None:
    """The token in a Cookie header (the session's, unless `name` says), or None."""
    return session_rows.cookie_value(cookie_header, name)


def browser_from_cookies(cookie_header: str) -> str:
    """This browser's key from a Cookie header, or "" (none yet, or not one the app made)."""
    key = token_from_cookies(cookie_header, BROWSER_COOKIE) or ""
    return key if 20 <= len(key) <= 100 else ""
