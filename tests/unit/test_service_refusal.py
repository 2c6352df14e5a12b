"""Refusing an extra service: within 30 days of purchase, refunded in full by the seventh working
day as a ledger transaction that lowers the debt (or goes back to the card if already paid)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import Session, col, select

from credit7_web.clock import FixedClock
from credit7_web.errors import Refusal
from credit7_web.ledger import book
from credit7_web.ledger.models import Kind
from credit7_web.lending.models import Loan
from credit7_web.sandbox.acquirer import SandboxAcquirer
from credit7_web.sandbox.models import SandboxAcquirerOrder
from credit7_web.servicing import booking, debt, reconcile, services
from credit7_web.servicing.models import ServiceRefusal
from credit7_web.settings import Settings
from credit7_web.work_calendar import working_days_after
from tests.unit.account_setup import lend, make_person

LIFE, REPORT = 290_00, 99_00


@pytest.fixture
def loan(db: Session, clock: FixedClock, settings: Settings) -> Loan:
    return lend(db, clock, settings, make_person(db, clock, settings), ("life", "report"))


def run_job(db: Session, clock: FixedClock, settings: Settings) -> int:
    return services.refund_due(db, clock, settings, SandboxAcquirer(db, clock))


def books_are_exact(db: Session, clock: FixedClock) -> bool:
    """Every transaction balances and the ledger equals `debt_on` (the payments of these tests
    are booked directly, not charged by the acquirer, so its report is not compared)."""
    reconcile.book_accruals(db, clock)
    return reconcile.unbalanced(db) + reconcile.loan_differences(db, clock) == []


def test_seven_working_days_skip_weekends_and_holidays() -> None:
    assert working_days_after(date(2026, 11, 24), 7) == date(2026, 12, 3)  # Tue → Thu next week
    # 30.12 works; 31.12 and the New Year holidays to 10.01 are days off.
    assert working_days_after(date(2026, 12, 29), 7) == date(2027, 1, 18)


def test_refused_service_comes_off_the_debt_and_shows_in_operations(
    db: Session, clock: FixedClock, settings: Settings, loan: Loan
) -> None:
    assert loan.services_kop == LIFE + REPORT
    clock.advance(timedelta(days=3))
    owed = debt.loan_debt(db, loan, clock.today())
    row = services.refuse(db, clock, loan.borrower_id, "life")
    assert row.refund_kop == LIFE and row.refund_by == working_days_after(clock.today(), 7)
    assert debt.loan_debt(db, loan, clock.today()) == owed  # scheduled, not made yet
    assert run_job(db, clock, settings) == 1
    assert run_job(db, clock, settings) == 0  # once
    after = debt.loan_debt(db, loan, clock.today())
    assert after.services_kop == REPORT and after.total_kop == owed.total_kop - LIFE
    [refund] = book.transactions(db, [Kind.SERVICE_REFUND])
    assert refund.amount_kop == LIFE and "«Страхование жизни»" in refund.description
    assert refund in book.operations(db, loan.borrower_id)
    assert book.balances(db, loan.id).services_kop == REPORT  # type: ignore[arg-type]
    assert books_are_exact(db, clock)
    # The debt keeps following the refund on later days.
    clock.advance(timedelta(days=10))
    assert debt.loan_debt(db, loan, clock.today()).services_kop == REPORT


def test_already_paid_it_goes_back_to_the_card(
    db: Session, clock: FixedClock, settings: Settings, loan: Loan
) -> None:
    clock.advance(timedelta(days=2))
    owed = debt.loan_debt(db, loan, clock.today())
    # All but 99 ₽ paid: the services come last, so 290 ₽ of their 389 ₽ are paid.
    booking.book_payment(
        db, clock, loan, owed.total_kop - REPORT, key="pay-most", description="Платёж"
    )
    db.commit()
    services.refuse(db, clock, loan.borrower_id, "life")
    assert run_job(db, clock, settings) == 1
    # The 99 ₽ still owed come off the debt; the 191 ₽ already paid go back to the card. What
    # the borrower paid in the end is the report's price alone.
    order = db.exec(
        select(SandboxAcquirerOrder).where(
            col(SandboxAcquirerOrder.order_id).startswith("service-refund-")
        )
    ).one()
    assert order.amount_kop == LIFE - REPORT and order.status == "succeeded"
    db.refresh(loan)
    after = debt.loan_debt(db, loan, clock.today())
    assert loan.status == "closed" and after.closed
    # The refund, made after the payment that day, never turns the payment into an overpayment.
    assert (after.paid_kop, after.overpaid_kop) == (owed.total_kop - REPORT, 0)
    assert books_are_exact(db, clock)


def test_refusing_the_last_thing_owed_closes_the_loan(
    db: Session, clock: FixedClock, settings: Settings, loan: Loan
) -> None:
    owed = debt.loan_debt(db, loan, clock.today())
    booking.book_payment(db, clock, loan, owed.total_kop - LIFE - REPORT, key="p", description="x")
    services.refuse(db, clock, loan.borrower_id, "life")
    services.refuse(db, clock, loan.borrower_id, "report")
    assert run_job(db, clock, settings) == 2
    db.refresh(loan)
    assert loan.status == "closed" and debt.loan_debt(db, loan, clock.today()).closed
    assert books_are_exact(db, clock)


def test_only_within_30_days_once_and_only_ones_own(
    db: Session, clock: FixedClock, settings: Settings, loan: Loan
) -> None:
    other = make_person(db, clock, settings, phone="9167654321")
    for borrower, code in (
        (other, "life"),  # not their loan
        (loan.borrower_id, "risk"),  # not bought
        (loan.borrower_id, None),
        (loan.borrower_id, ["life"]),
        (loan.borrower_id, 1),
    ):
        with pytest.raises(Refusal) as caught:
            services.refuse(db, clock, borrower, code)
        assert caught.value.errors == {"": "Услуга не найдена"}
    first = services.refuse(db, clock, loan.borrower_id, "report")
    assert services.refuse(db, clock, loan.borrower_id, "report").id == first.id  # a repeat
    clock.advance(timedelta(days=31))
    with pytest.raises(Refusal, match="Отказаться можно было до"):
        services.refuse(db, clock, loan.borrower_id, "life")
    assert len(db.exec(select(ServiceRefusal)).all()) == 1
