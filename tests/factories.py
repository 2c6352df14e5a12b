"""Rows that many tests need, made one way."""

from __future__ import annotations

from sqlmodel import Session

from credit7_web.clock import Clock
from credit7_web.identity.models import Borrower, BorrowerStatus


def add_borrower(
    db: Session,
    clock: Clock,
    phone: str = "9001234567",
    status: str = BorrowerStatus.QUESTIONNAIRE,
) -> Borrower:
    """A committed borrower (no usable password) for tests that only need someone to own rows."""
    now = clock.now()
    row = Borrower(
        phone=phone,
        password_hash="x",
        status=status,
        pd_consent_at=now,
        created_at=now,
        password_changed_at=now,
    )
    db.add(row)
    db.commit()
    db.refresh(row)
    return row
