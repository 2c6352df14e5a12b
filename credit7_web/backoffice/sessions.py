"""Operators' sign-in sessions: the borrowers' mechanics (`session_rows`) on their own table and
their own cookie, shorter-lived. A borrower's cookie never opens an operator session, nor the
other way round: each side looks only at its own cookie and its own table.
"""

from __future__ import annotations

from sqlmodel import Session

from credit7_web.backoffice import audit
from credit7_web.backoffice.models import Operator, OperatorSession
from credit7_web.clock import Clock
from credit7_web.identity import session_rows

OPERATOR_COOKIE = "c7_operator"
SESSION_HOURS = 8  # a working day
IDLE_MINUTES = 15


def open_session(db: Session, clock: Clock, operator_id: int, browser: str = "") -> str:
    """A new session (committing what the caller added); returns its one-use ticket, bound to
    the browser key of the browser that signed in."""
    return session_rows.start(
        db, clock, OperatorSession, SESSION_HOURS, browser, operator_id=operator_id
    )


def claim(db: Session, clock: Clock, ticket: str, browser: str = "") -> str | None:
    return session_rows.claim(db, clock, OperatorSession, ticket, browser)


def resolve(db: Session, clock: Clock, token: str) -> Operator | None:
    """The operator behind a live session token, or None (a switched-off one too)."""
    row = session_rows.live(db, clock, OperatorSession, token, IDLE_MINUTES)
    operator = db.get(Operator, row.operator_id) if row else None
    return operator if operator is not None and operator.disabled_at is None else None


def sign_out(db: Session, clock: Clock, token: str) -> None:
    operator = resolve(db, clock, token)
    if operator is not None:
        audit.record(db, clock, operator.id, audit.Action.SIGNED_OUT, f"operator:{operator.id}")
    session_rows.revoke(db, clock, OperatorSession, token)  # commits the record too


def revoke_all_pending(db: Session, clock: Clock, operator_id: int) -> None:
    """End every session of an operator, inside the caller's transaction."""
    session_rows.end_all(db, clock, OperatorSession, OperatorSession.operator_id, operator_id)


def token_from_cookies(cookie_header: str) -> str | None:
    return session_rows.cookie_value(cookie_header, OPERATOR_COOKIE)
