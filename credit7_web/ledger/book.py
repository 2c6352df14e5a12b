"""Posting to the ledger and reading it back: the one way money movements are written.

`post` appends a balanced transaction in the caller's database transaction (it only flushes; the
caller commits together with the state change the money belongs to). A key names each movement
once: posting the same key again returns the first transaction and writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from credit7_web.clock import Clock
from credit7_web.ledger.models import (
    RECEIVABLES,
    Account,
    Kind,
    LedgerPosting,
    LedgerTransaction,
)


@dataclass(frozen=True)
class Line:
    """One posting to make: debit (+) or credit (−) `account` by `amount_kop`."""

    account: Account
    amount_kop: int


class Unbalanced(ValueError):
    """A transaction whose postings do not sum to zero: never written."""


@dataclass(frozen=True)
class Balances:
    """A loan's accounts as the ledger holds them: the receivables (what the borrower owes) and
    the income and overpayment they were booked against."""

    principal_kop: int = 0
    interest_kop: int = 0
    penalty_kop: int = 0
    services_kop: int = 0
    interest_income_kop: int = 0  # accrued interest ever booked (a credit balance, positive)
    penalty_income_kop: int = 0
    overpayment_kop: int = 0  # received beyond the debt and not yet returned

    @property
    def total_kop(self) -> int:
        return self.principal_kop + self.interest_kop + self.penalty_kop + self.services_kop


def by_key(db: Session, key: str) -> LedgerTransaction | None:
    return db.exec(select(LedgerTransaction).where(LedgerTransaction.key == key)).first()


def post(
    db: Session,
    clock: Clock,
    kind: Kind,
    *,
    key: str,
    borrower_id: int,
    lines: Sequence[Line],
    description: str,
    amount_kop: int,
    loan_id: int | None = None,
    external_id: str | None = None,
    reverses_id: int | None = None,
) -> LedgerTransaction:
    """Append one balanced transaction (zero lines are left out); the same key again returns the
    transaction already made. Raises Unbalanced when the lines do not sum to zero."""
    done = by_key(db, key)
    if done is not None:
        return done
    lines = [line for line in lines if line.amount_kop]
    if not lines or sum(line.amount_kop for line in lines) != 0:
        raise Unbalanced(f"{kind} {key}: {[(x.account, x.amount_kop) for x in lines]}")
    txn = LedgerTransaction(
        key=key,
        kind=kind,
        borrower_id=borrower_id,
        loan_id=loan_id,
        business_date=clock.today(),
        created_at=clock.now(),
        amount_kop=amount_kop,
        description=description[:200],
        external_id=external_id,
        reverses_id=reverses_id,
    )
    db.add(txn)
    db.flush()
    for line in lines:
        db.add(
            LedgerPosting(
                transaction_id=txn.id,  # type: ignore[arg-type]
                account=line.account,
                loan_id=loan_id,
                amount_kop=line.amount_kop,
            )
        )
    db.flush()
    return txn


def lines_of(db: Session, transaction_id: int) -> list[Line]:
    rows = db.exec(
        select(LedgerPosting)
        .where(LedgerPosting.transaction_id == transaction_id)
        .order_by(col(LedgerPosting.id))
    )
    return [Line(Account(p.account), p.amount_kop) for p in rows]


def reverse(
    db: Session, clock: Clock, txn: LedgerTransaction, description: str
) -> LedgerTransaction:
    """Undo a transaction by a new one with every posting negated (at most once per transaction)."""
    return post(
        db,
        clock,
        Kind.REVERSAL,
        key=f"reversal:{txn.id}",
        borrower_id=txn.borrower_id,
        loan_id=txn.loan_id,
        lines=[Line(x.account, -x.amount_kop) for x in lines_of(db, txn.id)],  # type: ignore[arg-type]
        description=description,
        amount_kop=-txn.amount_kop,
        reverses_id=txn.id,
    )


def balances(db: Session, loan_id: int) -> Balances:
    """The loan's account balances, summed from every posting ever made on it."""
    sums = dict(
        db.exec(
            select(LedgerPosting.account, func.sum(LedgerPosting.amount_kop))
            .where(LedgerPosting.loan_id == loan_id)
            .group_by(LedgerPosting.account)
        ).all()
    )

    def of(account: Account) -> int:
        return int(sums.get(account.value) or 0)

    return Balances(
        principal_kop=of(Account.PRINCIPAL),
        interest_kop=of(Account.INTEREST),
        penalty_kop=of(Account.PENALTY),
        services_kop=of(Account.SERVICES),
        interest_income_kop=-of(Account.INTEREST_INCOME),
        penalty_income_kop=-of(Account.PENALTY_INCOME),
        overpayment_kop=-of(Account.OVERPAYMENT),
    )


def operations(db: Session, borrower_id: int) -> list[LedgerTransaction]:
    """The borrower's money history as the cabinet shows it, newest first (no accruals)."""
    return list(
        db.exec(
            select(LedgerTransaction)
            .where(LedgerTransaction.borrower_id == borrower_id)
            .where(LedgerTransaction.kind != Kind.ACCRUAL)
            .order_by(col(LedgerTransaction.id).desc())
        )
    )


# Money the borrower paid towards a loan: each such transaction's `amount_kop` is minus the payment.
PAYING = (Kind.PAYMENT, Kind.PROLONGATION)


@dataclass(frozen=True)
class Paid:
    on: date
    amount_kop: int


def paid_towards(db: Session, loan_id: int) -> list[Paid]:
    """What was paid towards the loan (the part credited to its receivables, not an excess that
    is returned), oldest first; a payment later reversed is left out."""
    reversed_ids = select(LedgerTransaction.reverses_id).where(
        col(LedgerTransaction.reverses_id).is_not(None)
    )
    rows = db.exec(
        select(LedgerTransaction.business_date, func.sum(LedgerPosting.amount_kop))
        .join(LedgerPosting, col(LedgerPosting.transaction_id) == col(LedgerTransaction.id))
        .where(LedgerTransaction.loan_id == loan_id)
        .where(col(LedgerTransaction.kind).in_(PAYING))
        .where(col(LedgerTransaction.id).not_in(reversed_ids))
        .where(col(LedgerPosting.account).in_(RECEIVABLES))
        .group_by(col(LedgerTransaction.id), col(LedgerTransaction.business_date))
        .order_by(col(LedgerTransaction.business_date), col(LedgerTransaction.id))
    ).all()
    return [Paid(on, -int(credited)) for on, credited in rows if credited]


def transactions(db: Session, kinds: Iterable[Kind] | None = None) -> list[LedgerTransaction]:
    query = select(LedgerTransaction).order_by(col(LedgerTransaction.id))
    if kinds is not None:
        query = query.where(col(LedgerTransaction.kind).in_(list(kinds)))
    return list(db.exec(query))
