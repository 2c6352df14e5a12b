"""Cooling-off (353-FZ): a loan of 50 000 ₽ or more is paid out by the periodic job no sooner than
4 hours after signing; until then it can be cancelled at no cost, and no interest runs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from credit7_web.clock import FixedClock, business_now
from credit7_web.documents.models import Document, DocumentKind
from credit7_web.errors import Refusal
from credit7_web.identity import questionnaire
from credit7_web.identity.models import Borrower
from credit7_web.ledger import book
from credit7_web.ledger.models import Kind
from credit7_web.lending import applications, signing
from credit7_web.lending.models import Loan, LoanStatus
from credit7_web.sandbox.acquirer import SandboxAcquirer
from credit7_web.sandbox.bureaus import sandbox_bureaus
from credit7_web.sandbox.sms import outbox
from credit7_web.servicing import debt
from credit7_web.servicing.dashboard import dashboard
from credit7_web.settings import Settings
from tests.jobs import NoJobs, instant_sms
from tests.unit.account_setup import PERSON, PHONE, last_code, lend, make_person, repay

WELL_PAID = {"monthly_income": "150000", "dependants": "0"}
WORK, SECTION = next(
    (n, s) for n, s in enumerate(questionnaire.SECTIONS) if "monthly_income" in s.fields
)


def take(db: Session, clock: FixedClock, settings: Settings, borrower_id: int, amount: int) -> Loan:
    """Apply for `amount`, be approved for all of it, and sign by SMS code (a minute after the
    last code: a new one is not sent sooner)."""
    clock.advance(timedelta(minutes=1))
    application = applications.apply(db, clock, NoJobs(), borrower_id, amount, 20, [])
    decided = applications.decide(
        db, clock, settings, sandbox_bureaus(), instant_sms(db, clock), application.id or 0
    )
    assert decided.status == "approved" and decided.approved_amount_kop == amount
    loan = applications.open_loan(db, borrower_id)
    assert loan is not None and loan.id is not None
    signing.send_sign_code(db, clock, settings, instant_sms(db, clock), borrower_id, loan.id)
    acquirer = SandboxAcquirer(db, clock)
    return signing.sign(db, clock, settings, acquirer, borrower_id, loan.id, last_code(db, PHONE))


def signed_repeat_loan(
    db: Session, clock: FixedClock, settings: Settings, amount_kop: int = 50_000_00
) -> Loan:
    """Two loans repaid on time by a well-paid borrower with no dependants (a score of 85: the
    50 000 ₽ row), then a repeat loan of `amount_kop` signed by SMS code."""
    borrower_id = make_person(db, clock, settings)
    questionnaire.submit_section(
        db, clock, borrower_id, WORK, {**{f: PERSON[f] for f in SECTION.fields}, **WELL_PAID}
    )
    repay(db, clock, lend(db, clock, settings, borrower_id))
    repay(db, clock, take(db, clock, settings, borrower_id, 10_000_00))
    return take(db, clock, settings, borrower_id, amount_kop)


def run_job(db: Session, clock: FixedClock, settings: Settings) -> int:
    return signing.disburse_due(
        db, clock, settings, SandboxAcquirer(db, clock), instant_sms(db, clock)
    )


def test_signed_but_not_paid_out_for_four_hours(
    db: Session, clock: FixedClock, settings: Settings
) -> None:
    loan = signed_repeat_loan(db, clock, settings)
    assert loan.status == LoanStatus.COOLING_OFF and loan.start_date is None
    assert loan.disburse_after == clock.now() + timedelta(hours=4)
    assert not [t for t in book.transactions(db, [Kind.DISBURSEMENT]) if t.loan_id == loan.id]
    borrower = db.get(Borrower, loan.borrower_id)
    view = dashboard(db, clock, borrower)  # type: ignore[arg-type]
    assert view.awaiting == LoanStatus.COOLING_OFF and view.running is None
    assert view.disburse_after == loan.disburse_after

    clock.advance(timedelta(hours=3, minutes=59))
    assert run_job(db, clock, settings) == 0
    clock.advance(timedelta(minutes=1))
    assert run_job(db, clock, settings) == 1
    assert run_job(db, clock, settings) == 0  # once
    db.refresh(loan)
    assert loan.status == LoanStatus.ACTIVE and loan.start_date == clock.today()
    assert loan.due_date == clock.today() + timedelta(days=20)
    payouts = book.transactions(db, [Kind.DISBURSEMENT])
    assert [t.amount_kop for t in payouts if t.loan_id == loan.id] == [50_000_00]
    # No interest before the payout: the loan starts today.
    assert debt.loan_debt(db, loan, clock.today()).total_kop == 50_000_00
    assert "отправлены на вашу карту" in outbox(db, limit=1, phone=PHONE)[0].text
    signed = db.exec(
        select(Document).where(Document.loan_id == loan.id, Document.kind == DocumentKind.CONTRACT)
    ).all()
    assert len(signed) == 1


def test_the_sandbox_clock_moves_the_wait(
    db: Session, clock: FixedClock, settings: Settings
) -> None:
    """Waits in hours follow the business clock: a day ahead, the 4 hours have passed."""
    loan = signed_repeat_loan(db, clock, settings)

    class AheadClock(FixedClock):
        def today(self):  # the sandbox moves only the business date
            return super().today() + timedelta(days=1)

    ahead = AheadClock(clock.now())
    assert business_now(ahead) == clock.now() + timedelta(days=1)
    assert run_job(db, ahead, settings) == 1
    db.refresh(loan)
    assert loan.start_date == ahead.today()


def test_below_50_000_is_paid_out_at_signing(
    db: Session, clock: FixedClock, settings: Settings
) -> None:
    loan = signed_repeat_loan(db, clock, settings, 49_500_00)
    assert loan.status == LoanStatus.ACTIVE and loan.disburse_after is None


def test_cancelled_before_the_payout_at_no_cost(
    db: Session, clock: FixedClock, settings: Settings
) -> None:
    loan = signed_repeat_loan(db, clock, settings)
    other = make_person(db, clock, settings, phone="9167654321")
    with pytest.raises(Refusal):
        signing.cancel(db, clock, other)  # another borrower has nothing to cancel
    db.refresh(loan)
    assert loan.status == LoanStatus.COOLING_OFF
    clock.advance(timedelta(hours=1))
    cancelled = signing.cancel(db, clock, loan.borrower_id)
    assert cancelled.status == LoanStatus.CANCELLED and cancelled.closed_at == clock.now()
    clock.advance(timedelta(hours=4))
    assert run_job(db, clock, settings) == 0
    assert not [t for t in book.transactions(db, [Kind.DISBURSEMENT]) if t.loan_id == loan.id]
    assert applications.open_loan(db, loan.borrower_id) is None  # free to apply again
    with pytest.raises(Refusal, match="деньги уже отправлены"):
        signing.cancel(db, clock, loan.borrower_id)


def test_not_cancelled_once_paid_out(db: Session, clock: FixedClock, settings: Settings) -> None:
    loan = signed_repeat_loan(db, clock, settings)
    clock.advance(timedelta(hours=4))
    run_job(db, clock, settings)
    with pytest.raises(Refusal):
        signing.cancel(db, clock, loan.borrower_id)
    db.refresh(loan)
    assert loan.status == LoanStatus.ACTIVE
