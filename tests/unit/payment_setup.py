"""A running loan and a payer who goes through the sandbox acquirer's hosted page."""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session

from credit7_web.clock import Clock, FixedClock
from credit7_web.lending import cards
from credit7_web.lending.models import Loan
from credit7_web.messages.outbox import Outbox
from credit7_web.sandbox import acquirer as acq
from credit7_web.sandbox.acquirer import SandboxAcquirer, check_card_entry
from credit7_web.servicing import payments
from credit7_web.servicing.models import PaymentAttempt
from credit7_web.settings import Settings
from tests.jobs import instant_sms
from tests.unit.account_setup import lend, make_person


def running_loan(db: Session, clock: FixedClock, settings: Settings, phone: str) -> Loan:
    loan = lend(db, clock, settings, make_person(db, clock, settings, phone))
    db.refresh(loan)
    return loan


def open_attempt(
    db: Session,
    clock: FixedClock,
    loan: Loan,
    amount_kop: int,
    key: str | None = None,
    bound: bool = False,
) -> PaymentAttempt:
    card = cards.active_card(db, loan.borrower_id) if bound else None
    return payments.start(
        db,
        clock,
        SandboxAcquirer(db, clock),
        loan,
        amount_kop,
        key or payments.new_key(),
        "/cabinet",
        "cabinet",
        card,
    )


def charge(db: Session, clock: FixedClock, attempt: PaymentAttempt, number: str) -> None:
    """The payer types a card on the hosted page (the acquirer's side, committed)."""
    entry = check_card_entry(number, "12/30", "123", "IVAN", clock.today())
    SandboxAcquirer(db, clock).submit_card(attempt.order_id, entry)
    db.commit()


def finish(
    db: Session,
    clock: FixedClock,
    settings: Settings,
    attempt: PaymentAttempt,
    sms: Callable[[Session, Clock], Outbox] = instant_sms,
) -> payments.Outcome:
    acquirer = SandboxAcquirer(db, clock)
    return payments.finish(db, clock, settings, acquirer, sms(db, clock), attempt)


def pay(
    db: Session,
    clock: FixedClock,
    settings: Settings,
    loan: Loan,
    amount_kop: int,
    key: str | None = None,
    number: str = acq.CARD_SUCCESS.number,
) -> payments.Outcome:
    """A whole payment: start, the hosted page, the return."""
    attempt = open_attempt(db, clock, loan, amount_kop, key)
    charge(db, clock, attempt, number)
    return finish(db, clock, settings, attempt)
