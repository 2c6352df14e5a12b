"""Payments: the split of 353-FZ in the ledger, idempotency keys, closing, refusals, crashes."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from credit7_web import wiring
from credit7_web.clock import FixedClock
from credit7_web.documents.models import Document, DocumentKind
from credit7_web.errors import Refusal
from credit7_web.ledger import book
from credit7_web.ledger.models import Account, Kind, LedgerPosting
from credit7_web.lending import applications
from credit7_web.lending.models import Loan, LoanStatus
from credit7_web.money import rub
from credit7_web.sandbox import acquirer as acq
from credit7_web.sandbox.acquirer import SandboxAcquirer
from credit7_web.sandbox.bureaus import sandbox_bureaus
from credit7_web.sandbox.sms import outbox
from credit7_web.servicing import debt, payments, reconcile
from credit7_web.servicing.models import PaymentAttempt, PaymentStatus
from credit7_web.settings import Settings
from tests.jobs import NoJobs, instant_sms
from tests.unit.payment_setup import charge, finish, open_attempt, pay, running_loan
from web import jobs
from web import reconcile as reconcile_command

PHONE = "9161112233"


@pytest.fixture
def loan(db: Session, clock: FixedClock, settings: Settings) -> Loan:
    return running_loan(db, clock, settings, PHONE)


def differences(db: Session, clock: FixedClock, settings: Settings) -> list[str]:
    acquirer = SandboxAcquirer(db, clock)
    return reconcile.run(db, clock, settings, acquirer, instant_sms(db, clock))


def test_partial_payment_pays_interest_then_principal(
    db: Session, clock: FixedClock, settings: Settings, loan: Loan
) -> None:
    loan.first_loan = False  # the base rate, so interest accrues
    db.add(loan)
    db.commit()
    clock.advance(timedelta(days=5))
    owed = debt.loan_debt(db, loan, clock.today())
    assert owed.all_interest_kop == 400_00  # 5 days × 0.8 % of 10 000 ₽

    outcome = pay(db, clock, settings, loan, 1_000_00)

    assert outcome.attempt.status == PaymentStatus.SUCCEEDED and not outcome.closed
    held = book.balances(db, loan.id)  # type: ignore[arg-type]
    assert (held.interest_kop, held.principal_kop) == (0, 9_400_00)
    assert held.interest_income_kop == 400_00
    lines = book.lines_of(db, outcome.attempt.transaction_id)  # type: ignore[arg-type]
    assert sorted((x.account, x.amount_kop) for x in lines) == [
        (Account.ACQUIRER, 1_000_00),
        (Account.INTEREST, -400_00),
        (Account.PRINCIPAL, -600_00),
    ]
    assert book.operations(db, loan.borrower_id)[0].amount_kop == -1_000_00
    receipt = outbox(db, limit=1, phone=PHONE)[0].text
    assert f"получен платёж {rub(1_000_00)}" in receipt
    assert f"Осталось к оплате: {rub(9_400_00)}" in receipt
    assert differences(db, clock, settings) == []


def test_the_same_key_moves_money_once(
    db: Session, clock: FixedClock, settings: Settings, loan: Loan
) -> None:
    key = payments.new_key()
    first = pay(db, clock, settings, loan, 500_00, key=key)
    again = open_attempt(db, clock, loan, 700_00, key=key)  # a retry, even with another sum
    assert again.id == first.attempt.id and again.amount_kop == 500_00
    assert finish(db, clock, settings, again).attempt.transaction_id == first.attempt.transaction_id
    assert len(db.exec(select(PaymentAttempt)).all()) == 1
    assert [t.amount_kop for t in book.transactions(db, [Kind.PAYMENT])] == [-500_00]
    assert book.balances(db, loan.id).principal_kop == 9_500_00  # type: ignore[arg-type]


def test_full_repayment_closes_the_loan_with_a_statement(
    db: Session, clock: FixedClock, settings: Settings, loan: Loan
) -> None:
    clock.advance(timedelta(days=3))
    total = debt.loan_debt(db, loan, clock.today()).total_kop
    outcome = pay(db, clock, settings, loan, total)

    assert outcome.closed
    db.refresh(loan)
    assert (loan.status, loan.closed_on) == (LoanStatus.CLOSED, clock.today())
    [closing] = db.exec(select(Document).where(Document.kind == DocumentKind.CLOSING)).all()
    assert closing.title == f"Справка о погашении займа № {loan.number}"
    assert (settings.data_dir / "documents" / closing.file_name).read_bytes()[:5] == b"%PDF-"
    assert "Заём погашен полностью" in outbox(db, limit=1, phone=PHONE)[0].text
    assert book.balances(db, loan.id).total_kop == 0  # type: ignore[arg-type]
    assert applications.open_loan(db, loan.borrower_id) is None
    assert differences(db, clock, settings) == []
    # Nothing more can be paid on it.
    with pytest.raises(Refusal):
        open_attempt(db, clock, loan, 100_00)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (99_99, f"Не меньше {rub(100_00)}"),
        (10_000_01, f"Не больше долга на сегодня: {rub(10_000_00)}"),
    ],
)
def test_amount_bounds(
    db: Session, clock: FixedClock, loan: Loan, typed: int, message: str
) -> None:
    with pytest.raises(Refusal) as refused:
        open_attempt(db, clock, loan, typed)
    assert refused.value.errors == {"amount": message}
    assert db.exec(select(PaymentAttempt)).all() == []


def test_a_debt_below_100_rub_is_paid_whole(
    db: Session, clock: FixedClock, settings: Settings, loan: Loan
) -> None:
    pay(db, clock, settings, loan, 10_000_00 - 50_00)
    with pytest.raises(Refusal):
        open_attempt(db, clock, loan, 49_00)
    assert pay(db, clock, settings, loan, 50_00).closed


def test_parse_amount() -> None:
    assert payments.parse_amount("1 500") == 1_500_00
    assert payments.parse_amount("1500,5") == 1_500_50
    assert payments.parse_amount("99.99 ₽") == 99_99
    for bad in ("", "abc", "-5", "1,234", None, 1.5):
        with pytest.raises(Refusal):
            payments.parse_amount(bad)


@pytest.mark.parametrize(
    ("number", "failure"),
    [
        (acq.CARD_DECLINED.number, acq.DECLINED_TEXT),
        (acq.CARD_INSUFFICIENT.number, acq.INSUFFICIENT_TEXT),
    ],
)
def test_a_declined_card_moves_nothing(
    db: Session, clock: FixedClock, settings: Settings, loan: Loan, number: str, failure: str
) -> None:
    outcome = pay(db, clock, settings, loan, 500_00, number=number)
    assert (outcome.attempt.status, outcome.attempt.failure) == (PaymentStatus.FAILED, failure)
    assert book.transactions(db, [Kind.PAYMENT]) == []
    assert differences(db, clock, settings) == []


def test_three_d_secure_then_bound_card(
    db: Session, clock: FixedClock, settings: Settings, loan: Loan
) -> None:
    attempt = open_attempt(db, clock, loan, 300_00)
    charge(db, clock, attempt, acq.CARD_3DS.number)
    assert finish(db, clock, settings, attempt).attempt.status == PaymentStatus.PENDING
    SandboxAcquirer(db, clock).submit_3ds(attempt.order_id, acq.THREE_DS_CODE)
    db.commit()
    assert finish(db, clock, settings, attempt).attempt.status == PaymentStatus.SUCCEEDED

    bound = open_attempt(db, clock, loan, 200_00, bound=True)
    assert SandboxAcquirer(db, clock).confirm_bound(bound.order_id) is not None
    db.commit()
    assert finish(db, clock, settings, bound).attempt.status == PaymentStatus.SUCCEEDED
    assert book.balances(db, loan.id).principal_kop == 9_500_00  # type: ignore[arg-type]


def test_two_crossing_payments_never_overpay(
    db: Session, clock: FixedClock, settings: Settings, loan: Loan
) -> None:
    first = open_attempt(db, clock, loan, 10_000_00)
    second = open_attempt(db, clock, loan, 10_000_00)  # both opened while the debt was whole
    charge(db, clock, first, acq.CARD_SUCCESS.number)
    charge(db, clock, second, acq.CARD_SUCCESS.number)
    assert finish(db, clock, settings, first).closed
    assert finish(db, clock, settings, second).attempt.status == PaymentStatus.SUCCEEDED
    held = book.balances(db, loan.id)  # type: ignore[arg-type]
    assert (held.total_kop, held.overpayment_kop) == (0, 0)  # the excess went back to the card
    refund = book.transactions(db, [Kind.OVERPAYMENT_REFUND])
    assert [t.amount_kop for t in refund] == [10_000_00]
    assert differences(db, clock, settings) == []


def test_a_payer_who_never_came_back_is_settled_by_reconcile(
    db: Session, clock: FixedClock, settings: Settings, loan: Loan
) -> None:
    attempt = open_attempt(db, clock, loan, 700_00)
    charge(db, clock, attempt, acq.CARD_SUCCESS.number)  # charged; the browser went away
    assert differences(db, clock, settings) == []  # settled first, then checked
    db.refresh(attempt)
    assert attempt.status == PaymentStatus.SUCCEEDED
    assert book.balances(db, loan.id).principal_kop == 9_300_00  # type: ignore[arg-type]


def test_reconcile_reports_a_difference_and_the_command_exits_1(
    db: Session, engine, clock: FixedClock, settings: Settings, loan: Loan
) -> None:
    txn = book.transactions(db, [Kind.DISBURSEMENT])[0]
    db.add(
        LedgerPosting(
            transaction_id=txn.id, account=Account.PRINCIPAL, amount_kop=1, loan_id=loan.id
        )
    )  # type: ignore[arg-type]
    db.commit()
    found = differences(db, clock, settings)
    assert any("дают в сумме 1" in line for line in found)
    assert any("основной долг в книге 1000001" in line for line in found)
    wiring.use_engine(engine)
    try:
        assert reconcile_command.main() == 1
    finally:
        wiring.use_engine(None)


CRASH = """
import os, sys
from sqlmodel import Session
from credit7_web.clock import FixedClock
from credit7_web.db import make_engine
from credit7_web.servicing import booking
from tests.unit import payment_setup
from credit7_web.servicing.models import PaymentAttempt
from credit7_web.settings import Settings
from tests.jobs import NoJobs, instant_sms
from pathlib import Path
from datetime import datetime

def die(*args, **kwargs):
    os._exit(9)  # killed: between the acquirer's charge and the posting

booking.book_payment = die
with Session(make_engine(sys.argv[1])) as db:
    attempt = db.get(PaymentAttempt, int(sys.argv[2]))
    clock = FixedClock(datetime.fromisoformat(sys.argv[3]))
    settings = Settings(secret_key=b"test-secret-key", bcrypt_rounds=4, data_dir=Path(sys.argv[4]))
    payment_setup.finish(db, clock, settings, attempt)
"""


def test_killed_between_charge_and_posting_loses_nothing(
    db: Session, db_url: str, clock: FixedClock, settings: Settings, loan: Loan
) -> None:
    attempt = open_attempt(db, clock, loan, 1_200_00)
    charge(db, clock, attempt, acq.CARD_SUCCESS.number)
    args = [db_url, str(attempt.id), clock.now().isoformat(), str(settings.data_dir)]
    root = Path(__file__).resolve().parents[2]
    env = os.environ | {"PYTHONPATH": str(root)}
    command = [sys.executable, "-c", CRASH, *args]
    died = subprocess.run(command, cwd=root, env=env, check=False)  # noqa: S603  (our own code)
    assert died.returncode == 9
    db.expire_all()
    assert db.get(PaymentAttempt, attempt.id).status == PaymentStatus.PENDING  # type: ignore[union-attr]
    assert book.transactions(db, [Kind.PAYMENT]) == []

    acquirer, sms = SandboxAcquirer(db, clock), instant_sms(db, clock)
    assert payments.settle_pending(db, clock, settings, acquirer, sms) == 1  # the restart
    assert payments.settle_pending(db, clock, settings, acquirer, sms) == 0
    assert [t.amount_kop for t in book.transactions(db, [Kind.PAYMENT])] == [-1_200_00]
    assert differences(db, clock, settings) == []


def test_repaid_on_time_opens_the_higher_limit(
    db: Session, clock: FixedClock, settings: Settings, loan: Loan
) -> None:
    pay(db, clock, settings, loan, debt.loan_debt(db, loan, clock.today()).total_kop)
    clock.advance(timedelta(days=1))
    # A first loan stops at 30 000 ₽: 50 000 ₽ may be asked only as a repeat loan.
    application = applications.apply(db, clock, NoJobs(), loan.borrower_id, 50_000_00, 30, [])
    assert (application.amount_kop, application.first_loan) == (50_000_00, False)
    decided = applications.decide(
        db, clock, settings, sandbox_bureaus(), instant_sms(db, clock), application.id or 0
    )
    assert decided.status == "approved"
    assert applications._history(db, loan.borrower_id) == (1, 1, 0)


def test_a_loan_closed_after_midnight_moscow_on_the_first_overdue_day_was_late(
    db: Session, clock: FixedClock, loan: Loan
) -> None:
    assert loan.due_date is not None
    loan.status = LoanStatus.CLOSED
    # 21:30 UTC on the due date is 00:30 in Moscow on the first overdue day.
    loan.closed_at = datetime.combine(loan.due_date, time(21, 30))
    db.add(loan)
    db.commit()
    assert applications._history(db, loan.borrower_id) == (0, 1, 1)


def test_a_payer_who_cancels_on_the_acquirers_page_pays_nothing(
    db: Session, clock: FixedClock, settings: Settings, loan: Loan
) -> None:
    attempt = open_attempt(db, clock, loan, 300_00)
    SandboxAcquirer(db, clock).cancel(attempt.order_id)
    db.commit()
    outcome = finish(db, clock, settings, attempt)
    assert (outcome.attempt.status, outcome.attempt.failure) == ("failed", "Оплата отменена")
    assert book.transactions(db, [Kind.PAYMENT]) == []


def test_the_periodic_job_settles_and_finds_the_books_exact(
    db: Session, engine, clock: FixedClock, settings: Settings, loan: Loan
) -> None:
    attempt = open_attempt(db, clock, loan, 400_00)
    charge(db, clock, attempt, acq.CARD_SUCCESS.number)  # the payer never came back
    assert "ledger reconciliation" in [job.name for job in jobs.PERIODIC]
    wiring.use_engine(engine)
    try:
        assert jobs.reconcile_ledger() == 0
    finally:
        wiring.use_engine(None)
    db.expire_all()
    assert db.get(PaymentAttempt, attempt.id).status == PaymentStatus.SUCCEEDED  # type: ignore[union-attr]
