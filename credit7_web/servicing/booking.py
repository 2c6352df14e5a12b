"""A loan's money in the ledger: accruing interest and penalty to a date, and booking a payment
split in the order the debt computation applies it (`debt.debt_on`, 353-FZ art. 5 part 20).

The split is the difference of the debt today without and with the payment, bucket by bucket,
so the ledger and `debt_on` can only agree; `servicing.reconcile` checks that they do. Callers hold
the loan's lock (`lending.loans.lock_loan`) from before they read the debt until they commit.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from credit7_web.clock import Clock
from credit7_web.ledger import book
from credit7_web.ledger.models import Account, Kind, LedgerTransaction
from credit7_web.lending.models import Loan, LoanStatus
from credit7_web.servicing import debt


def accrue(db: Session, clock: Clock, loan: Loan) -> LedgerTransaction | None:
    """Book the interest and penalty accrued up to today that the ledger does not hold yet."""
    if loan.id is None or loan.start_date is None or clock.today() < loan.start_date:
        return None
    owed = debt.loan_debt(db, loan, clock.today())
    held = book.balances(db, loan.id)
    interest = owed.interest_accrued_kop - held.interest_income_kop
    penalty = owed.penalty_accrued_kop - held.penalty_income_kop
    if not interest and not penalty:
        return None
    return book.post(
        db,
        clock,
        Kind.ACCRUAL,
        key=f"accrual:{loan.id}:{clock.today().isoformat()}:{held.interest_income_kop}:"
        f"{held.penalty_income_kop}",
        borrower_id=loan.borrower_id,
        loan_id=loan.id,
        lines=[
            book.Line(Account.INTEREST, interest),
            book.Line(Account.INTEREST_INCOME, -interest),
            book.Line(Account.PENALTY, penalty),
            book.Line(Account.PENALTY_INCOME, -penalty),
        ],
        description=f"Начисления по договору № {loan.number}",
        amount_kop=0,
    )


@dataclass(frozen=True)
class Booked:
    """A payment in the ledger and the loan's debt right after it."""

    transaction: LedgerTransaction
    after: debt.Debt
    overpaid_kop: int  # beyond the debt: booked as owed back to the payer


def book_payment(
    db: Session,
    clock: Clock,
    loan: Loan,
    amount_kop: int,
    *,
    key: str,
    description: str,
    external_id: str | None = None,
    kind: Kind = Kind.PAYMENT,
) -> Booked:
    """Book money received for the loan today: accrue first, then split it over interest,
    principal, penalty and services in the legal order; an excess over the whole debt goes to
    OVERPAYMENT (owed back). The loan is closed when nothing is left. Flushes, never commits."""
    if loan.id is None or amount_kop <= 0:
        raise ValueError("a payment is a positive sum on a saved loan")
    done = book.by_key(db, key)
    if done is None:
        accrue(db, clock, loan)
    today = clock.today()
    terms = debt.terms_for(db, loan)
    paid = debt.payments_of(db, loan.id)
    if done is not None:
        excess = -sum(
            x.amount_kop for x in book.lines_of(db, done.id) if x.account == Account.OVERPAYMENT
        )  # type: ignore[arg-type]
        return Booked(done, debt.debt_on(terms, paid, today), excess)
    before = debt.debt_on(terms, paid, today)
    after = debt.debt_on(terms, [*paid, debt.Payment(today, amount_kop)], today)
    interest = before.all_interest_kop - after.all_interest_kop
    excess = amount_kop - (before.total_kop - after.total_kop)
    txn = book.post(
        db,
        clock,
        kind,
        key=key,
        borrower_id=loan.borrower_id,
        loan_id=loan.id,
        lines=[
            book.Line(Account.ACQUIRER, amount_kop),
            book.Line(Account.INTEREST, -interest),
            book.Line(Account.PRINCIPAL, -(before.principal_kop - after.principal_kop)),
            book.Line(Account.PENALTY, -(before.penalty_kop - after.penalty_kop)),
            book.Line(Account.SERVICES, -(before.services_kop - after.services_kop)),
            book.Line(Account.OVERPAYMENT, -excess),
        ],
        description=description,
        amount_kop=-amount_kop,
        external_id=external_id,
    )
    if after.closed and loan.status == LoanStatus.ACTIVE:
        loan.status = LoanStatus.CLOSED
        loan.closed_at = clock.now()
        loan.closed_on = today
        db.add(loan)
        db.flush()
    return Booked(txn, after, excess)
