"""A loan row held for one business operation, so operations on one loan wait for each other."""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session, col, select

from credit7_web.lending.models import Loan


def lock_loan(db: Session, loan_id: int) -> Loan | None:
    """The loan, locked for this db transaction: payments on it wait for each other.

    PostgreSQL locks the row (SELECT … FOR UPDATE); SQLite has one writer at a time, and a
    no-op write takes that lock at once, before anything is read.
    """
    if db.get_bind().dialect.name == "sqlite":
        db.execute(update(Loan).where(col(Loan.id) == loan_id).values(id=loan_id))
        return db.exec(
            select(Loan).where(Loan.id == loan_id).execution_options(populate_existing=True)
        ).first()
    return db.exec(
        select(Loan)
        .where(Loan.id == loan_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
