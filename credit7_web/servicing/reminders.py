"""SMS reminders of the due date (three days and one day before it) and overdue notices (each
overdue day, as often as the collection law allows).

Each is sent once per loan, kind and due date: the Reminder row and the SMS go in one transaction,
and the table's unique key (loan_id, kind, due_date) makes a second worker running at the same
time fail its insert and send nothing. A reminder has a window rather than a single day, so a job
that runs late — later in the day, or a day late — still sends it, and a window ends where the
next reminder's begins, so a borrower never gets a stale one:

| kind | sent when |
| --- | --- |
| `before_3` | 3 or 2 days before the due date |
| `before_1` | 1 day before or on the due date |
| `overdue_N` | on the N-th overdue day |

Every one of them is a message under 230-FZ (`messages.collection_law`): it goes only within the
allowed Moscow hours and while the borrower's counts of the last day, week and month allow one
more; otherwise it waits for a later run (a notice that waited past its day is replaced by the
next day's). It names the lender and the lender's phone. A borrower has one open loan at a time,
so the counts and the unique key cannot be outrun by two workers.

`web/jobs.py` runs this every few minutes; `python -m web.jobs` runs it once by hand.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from credit7_web import tariff
from credit7_web.clock import Clock
from credit7_web.gateways.sms import SmsGateway
from credit7_web.identity.models import Borrower
from credit7_web.lender import Lender
from credit7_web.lending.models import Loan, LoanStatus
from credit7_web.messages import collection_law, texts
from credit7_web.money import round_half_up, rub
from credit7_web.russian import format_date
from credit7_web.servicing import debt
from credit7_web.servicing.models import Reminder

BEFORE_3 = "before_3"
BEFORE_1 = "before_1"
OVERDUE = "overdue_"
OVERDUE_1 = OVERDUE + "1"


def due_kind(state: debt.Debt) -> str | None:
    """Which reminder is due for a loan in this state, if any."""
    if state.closed:
        return None
    if state.overdue:
        return f"{OVERDUE}{state.days_overdue}"
    if state.days_left is not None and 2 <= state.days_left <= 3:
        return BEFORE_3
    if state.days_left is not None and 0 <= state.days_left <= 1:
        return BEFORE_1
    return None


def _text(
    lender: Lender,
    loan: Loan,
    terms: debt.Terms,
    payments: list[debt.Payment],
    state: debt.Debt,
) -> str:
    if state.overdue:
        penalty = round_half_up(tariff.PENALTY_RATE_YEAR * 100)
        return texts.reminder_overdue(
            lender, loan.number, rub(state.total_kop), format_date(state.due), f"{penalty} %"
        )
    # What will be owed on the due date if nothing more is paid (the promo keeps it at principal).
    at_due = debt.debt_on(terms, payments, state.due)
    return texts.reminder_before_due(
        lender, loan.number, rub(at_due.total_kop), format_date(state.due), state.days_left or 0
    )


def _already_sent(db: Session, loan_id: int, kind: str, due: date) -> bool:
    query = select(Reminder.id).where(
        Reminder.loan_id == loan_id, Reminder.kind == kind, Reminder.due_date == due
    )
    return db.exec(query).first() is not None


def sent_to(db: Session, borrower_id: int, now: datetime) -> list[datetime]:
    """When the borrower's reminders and notices went, within the longest period the law counts."""
    return list(
        db.exec(
            select(Reminder.sent_at)
            .join(Loan, col(Loan.id) == col(Reminder.loan_id))
            .where(
                Loan.borrower_id == borrower_id,
                col(Reminder.sent_at) > now - collection_law.LONGEST,
            )
        )
    )


def send_due_reminders(db: Session, clock: Clock, lender: Lender, sms: SmsGateway) -> int:
    """Send every reminder due today (clock.today()) for active loans that the collection law
    lets go now (clock.now()); returns how many were sent.

    Commits after each reminder. `sms` must write within `db`'s transaction or be called while
    it is open: a reminder whose row cannot be inserted is rolled back and not sent again.
    """
    now = clock.now()
    if not collection_law.in_hours(now):
        return 0
    today = clock.today()
    loan_ids = list(
        db.exec(
            select(Loan.id)
            .where(Loan.status == LoanStatus.ACTIVE, col(Loan.start_date).is_not(None))
            .order_by(col(Loan.id))
        )
    )
    sent = 0
    for loan_id in loan_ids:
        loan = db.get(Loan, loan_id)
        if loan is None or loan.status != LoanStatus.ACTIVE or loan.start_date is None:
            continue
        if today < loan.start_date:
            continue
        if not collection_law.within_limits(sent_to(db, loan.borrower_id, now), now):
            continue  # the law holds this borrower's messages back for now
        terms = debt.terms_for(db, loan)
        payments = debt.payments_of(db, loan_id)
        state = debt.debt_on(terms, payments, today)
        kind = due_kind(state)
        if kind is None or _already_sent(db, loan_id, kind, state.due):
            continue
        borrower = db.get(Borrower, loan.borrower_id)
        if borrower is None or borrower.phone is None:
            continue
        text = _text(lender, loan, terms, payments, state)
        try:
            db.add(Reminder(loan_id=loan_id, kind=kind, due_date=state.due, sent_at=now))
            # The insert takes the unique key now: a concurrent worker waits here, then fails.
            db.flush()
            sms.send(borrower.phone, text)
            db.commit()
        except IntegrityError:
            db.rollback()
            continue
        sent += 1
    return sent
