"""Reconciliation: the ledger against itself, against the debt computation, and against the
acquirer. `python -m web.reconcile` prints each difference and exits 1 if there is any (0 when
clean); the app runs the same as a periodic job (`web/jobs.py`).

Before checking it does the two things that are due anyway: it finishes payment attempts the
payer never came back from (the acquirer is asked; each charge is booked once) and books today's
accruals of every running loan. Then:

- every transaction has postings and they sum to zero;
- every disbursed loan's receivables equal `debt_on` today, bucket by bucket, and nothing paid
  beyond a debt is still owed back;
- every charge the acquirer settled is booked by exactly one payment of the same sum, and every
  payment booked names a charge the acquirer settled.
"""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from credit7_web.clock import Clock
from credit7_web.gateways.acquirer import Acquirer
from credit7_web.gateways.sms import SmsGateway
from credit7_web.ledger import book
from credit7_web.ledger.models import LedgerPosting, LedgerTransaction
from credit7_web.lending import loans
from credit7_web.lending.models import Loan, LoanStatus
from credit7_web.servicing import booking, debt, payments
from credit7_web.settings import Settings


def book_accruals(db: Session, clock: Clock) -> int:
    """Book today's interest and penalty of every running loan; how many loans got an accrual."""
    ids = db.exec(select(Loan.id).where(Loan.status == LoanStatus.ACTIVE)).all()
    booked = 0
    for loan_id in ids:
        loan = loans.lock_loan(db, loan_id)  # type: ignore[arg-type]
        if loan is not None and loan.status == LoanStatus.ACTIVE:
            booked += booking.accrue(db, clock, loan) is not None
        db.commit()
    return booked


def unbalanced(db: Session) -> list[str]:
    sums = select(
        LedgerPosting.transaction_id, func.sum(LedgerPosting.amount_kop).label("total")
    ).group_by(col(LedgerPosting.transaction_id))
    found = [
        f"проводки транзакции {txn_id} дают в сумме {total}, а не 0"
        for txn_id, total in db.exec(sums).all()
        if total
    ]
    empty = db.exec(
        select(LedgerTransaction.id).where(
            col(LedgerTransaction.id).not_in(select(LedgerPosting.transaction_id))
        )
    ).all()
    return found + [f"у транзакции {txn_id} нет проводок" for txn_id in empty]


def loan_differences(db: Session, clock: Clock) -> list[str]:
    found = []
    loans = db.exec(select(Loan).where(col(Loan.start_date).is_not(None)).order_by(col(Loan.id)))
    for loan in loans:
        owed = debt.loan_debt(db, loan, max(clock.today(), loan.start_date))  # type: ignore[type-var]
        held = book.balances(db, loan.id)  # type: ignore[arg-type]
        pairs = {
            "основной долг": (held.principal_kop, owed.principal_kop),
            "проценты": (held.interest_kop, owed.all_interest_kop),
            "неустойка": (held.penalty_kop, owed.penalty_kop),
            "услуги": (held.services_kop, owed.services_kop),
            "переплата к возврату": (held.overpayment_kop, 0),
        }
        found += [
            f"заём {loan.number}: {name} в книге {ledger}, по расчёту {computed}"
            for name, (ledger, computed) in pairs.items()
            if ledger != computed
        ]
        if owed.closed != (loan.status == LoanStatus.CLOSED):
            found.append(f"заём {loan.number}: статус {loan.status}, долг {owed.total_kop}")
    return found


def charge_differences(db: Session, acquirer: Acquirer) -> list[str]:
    settled = acquirer.settled_charges()
    booked: dict[str, list[int]] = {}
    for txn in book.transactions(db, book.PAYING):
        booked.setdefault(txn.external_id or f"#{txn.id}", []).append(-txn.amount_kop)
    found = [
        f"списание {order}: {amount} у эквайера, в книге {booked.get(order, [])}"
        for order, amount in settled.items()
        if booked.get(order) != [amount]
    ]
    return found + [
        f"платёж {order} в книге {sums}, у эквайера его нет"
        for order, sums in booked.items()
        if order not in settled
    ]


def run(
    db: Session, clock: Clock, settings: Settings, acquirer: Acquirer, sms: SmsGateway
) -> list[str]:
    """Settle, accrue, then every difference found (an empty list: the books are exact)."""
    payments.settle_pending(db, clock, settings, acquirer, sms)
    book_accruals(db, clock)
    return unbalanced(db) + loan_differences(db, clock) + charge_differences(db, acquirer)
