"""Prolonging through the payment path: signed by SMS code, extended only when the payment of the
interest and penalty to date succeeds, in the same transaction as its booking."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from credit7_web.clock import FixedClock
from credit7_web.documents.models import Document, DocumentKind
from credit7_web.errors import Refusal
from credit7_web.ledger import book
from credit7_web.ledger.models import Kind, LedgerTransaction
from credit7_web.lending.models import Loan
from credit7_web.sandbox.acquirer import SandboxAcquirer
from credit7_web.sandbox.sms import outbox
from credit7_web.servicing import debt, payments, prolongation, prolonging
from credit7_web.servicing.models import PaymentStatus, Prolongation
from credit7_web.settings import Settings
from tests.jobs import instant_sms
from tests.unit.account_setup import PHONE, last_code, lend, make_person

KEY = "prolong-key-0123456789"


@pytest.fixture
def loan(db: Session, clock: FixedClock, settings: Settings) -> Loan:
    return lend(db, clock, settings, make_person(db, clock, settings))


def _sign(db: Session, clock: FixedClock, settings: Settings, loan: Loan, key: str = KEY):
    acquirer = SandboxAcquirer(db, clock)
    prolonging.send_code(db, clock, settings, instant_sms(db, clock), loan.borrower_id, loan.id)
    code = last_code(db, PHONE)
    return acquirer, prolonging.confirm(
        db, clock, settings, acquirer, loan.borrower_id, loan.id, code, key, "/cabinet/prolong"
    )


def _finish(db: Session, clock: FixedClock, settings: Settings, acquirer, order: str):
    return payments.finish_order(
        db, clock, settings, acquirer, instant_sms(db, clock), order, borrower_id=None
    )


def test_overdue_loan_is_extended_once_its_payment_succeeds(
    db: Session, clock: FixedClock, settings: Settings, loan: Loan
) -> None:
    clock.advance(timedelta(days=25))  # five days overdue: interest and penalty are owed
    offer = prolongation.offer_for(db, clock, loan)
    assert offer.pay_now_kop == offer.interest_kop + offer.penalty_kop > 0
    acquirer, started = _sign(db, clock, settings, loan)
    assert "дополнительное соглашение № 1" in outbox(db, limit=1, phone=PHONE)[0].text
    assert started.pay_url and started.extended is None
    # Signed but not paid: nothing is extended yet.
    assert debt.prolongations_of(db, loan) == ()
    assert debt.loan_debt(db, loan, clock.today()).overdue

    order = started.pay_url.rsplit("/", 1)[-1]
    assert acquirer.confirm_bound(order) is not None
    db.commit()
    outcome = _finish(db, clock, settings, acquirer, order)
    assert outcome is not None and outcome.attempt.status == PaymentStatus.SUCCEEDED

    db.refresh(loan)
    row = db.exec(select(Prolongation)).one()
    assert row.new_due == offer.new_due == loan.due_date == clock.today() + timedelta(30)
    owed = debt.loan_debt(db, loan, clock.today())
    assert not owed.overdue and owed.all_interest_kop == 0 and owed.penalty_kop == 0
    assert owed.principal_kop == loan.principal_kop  # no interest was added to it
    txn = db.exec(
        select(LedgerTransaction).where(LedgerTransaction.kind == Kind.PROLONGATION)
    ).one()
    assert txn.amount_kop == -offer.pay_now_kop
    assert "доп. соглашение № 1" in txn.description
    assert book.balances(db, loan.id).total_kop == owed.total_kop  # type: ignore[arg-type]
    assert db.exec(select(Document).where(Document.kind == DocumentKind.PROLONGATION)).one()
    assert f"продлён до {offer.new_due:%d.%m.%Y}" in outbox(db, limit=1, phone=PHONE)[0].text
    # The same order again moves nothing.
    _finish(db, clock, settings, acquirer, order)
    assert len(db.exec(select(Prolongation)).all()) == 1


def test_a_failed_payment_extends_nothing(
    db: Session, clock: FixedClock, settings: Settings, loan: Loan
) -> None:
    clock.advance(timedelta(days=22))
    acquirer, started = _sign(db, clock, settings, loan)
    order = started.pay_url.rsplit("/", 1)[-1]  # type: ignore[union-attr]
    acquirer.cancel(order)
    db.commit()
    outcome = _finish(db, clock, settings, acquirer, order)
    assert outcome is not None and outcome.attempt.status == PaymentStatus.FAILED
    db.refresh(loan)
    assert debt.prolongations_of(db, loan) == () and loan.due_date == loan.original_due_date
    assert not db.exec(select(Document).where(Document.kind == DocumentKind.PROLONGATION)).all()


def test_paid_a_day_late_it_is_an_ordinary_payment(
    db: Session, clock: FixedClock, settings: Settings, loan: Loan
) -> None:
    clock.advance(timedelta(days=22))
    acquirer, started = _sign(db, clock, settings, loan)
    order = started.pay_url.rsplit("/", 1)[-1]  # type: ignore[union-attr]
    acquirer.confirm_bound(order)
    db.commit()
    clock.advance(timedelta(days=1))  # the agreement was for yesterday's figures
    _finish(db, clock, settings, acquirer, order)
    assert debt.prolongations_of(db, loan) == ()
    kinds = [t.kind for t in book.transactions(db, [Kind.PAYMENT, Kind.PROLONGATION])]
    assert kinds == [Kind.PAYMENT]


def test_a_first_loan_before_its_due_date_is_extended_by_the_code_alone(
    db: Session, clock: FixedClock, settings: Settings, loan: Loan
) -> None:
    assert loan.first_loan
    clock.advance(timedelta(days=18))
    _, started = _sign(db, clock, settings, loan)
    assert started.pay_url is None and started.extended is not None
    assert started.extended.paid_kop == 0
    db.refresh(loan)
    assert loan.due_date == loan.original_due_date + timedelta(30)  # type: ignore[operator]
    assert not book.transactions(db, [Kind.PAYMENT, Kind.PROLONGATION])


def test_a_wrong_code_or_another_borrower_is_refused(
    db: Session, clock: FixedClock, settings: Settings, loan: Loan
) -> None:
    clock.advance(timedelta(days=25))
    acquirer = SandboxAcquirer(db, clock)
    prolonging.send_code(db, clock, settings, instant_sms(db, clock), loan.borrower_id, loan.id)
    code = last_code(db, PHONE)
    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(Refusal) as caught:
        prolonging.confirm(
            db, clock, settings, acquirer, loan.borrower_id, loan.id, wrong, KEY, "/x"
        )
    assert "code" in caught.value.errors
    other = make_person(db, clock, settings, phone="9167654321")
    for call in (
        lambda: prolonging.send_code(db, clock, settings, instant_sms(db, clock), other, loan.id),
        lambda: prolonging.confirm(db, clock, settings, acquirer, other, loan.id, code, KEY, "/x"),
    ):
        with pytest.raises(Refusal) as caught:
            call()
        assert caught.value.errors == {"": "Заём не найден"}
    assert debt.prolongations_of(db, loan) == ()
    assert not db.exec(
        select(LedgerTransaction).where(LedgerTransaction.kind == Kind.PROLONGATION)
    ).all()
