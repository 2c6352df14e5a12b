"""Payments racing on one loan, on PostgreSQL: the loan row lock keeps the ledger exact."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import Engine, create_engine
from sqlmodel import Session, select

from credit7_web.clock import FixedClock
from credit7_web.ledger import book
from credit7_web.ledger.models import Kind
from credit7_web.sandbox.acquirer import SandboxAcquirer
from credit7_web.servicing import payments, reconcile
from credit7_web.servicing.models import PaymentAttempt
from credit7_web.settings import Settings
from tests.jobs import held_sms, instant_sms
from tests.unit.payment_setup import charge, finish, open_attempt, running_loan

pytestmark = pytest.mark.postgres
N = 50


@pytest.fixture(autouse=True)
def _postgres_only(db_url: str) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("needs CREDIT7_TEST_DB_URL on PostgreSQL")


@pytest.fixture
def racers(db_url: str) -> Iterator[Engine]:
    """A connection for each racer, so all fifty really wait on the loan's lock at once; a slow
    machine only makes them wait longer (no pool or lock timeout decides the outcome)."""
    engine = create_engine(db_url, pool_size=N, max_overflow=0, pool_timeout=600)
    yield engine
    engine.dispose()


def test_fifty_payments_with_distinct_keys_never_overpay(
    db: Session, racers: Engine, clock: FixedClock, settings: Settings
) -> None:
    loan = running_loan(db, clock, settings, "9161112244")
    # Every attempt opens while the debt is whole: 50 × 300 ₽ is more than the 10 000 ₽ owed.
    attempts = [open_attempt(db, clock, loan, 300_00) for _ in range(N)]
    for attempt in attempts:
        charge(db, clock, attempt, "4111 1111 1111 1111")

    def finish_one(attempt_id: int) -> None:
        with Session(racers) as own:
            finish(own, clock, settings, own.get(PaymentAttempt, attempt_id), held_sms)  # type: ignore[arg-type]

    with ThreadPoolExecutor(max_workers=N) as pool:
        list(pool.map(finish_one, [a.id for a in attempts]))

    db.expire_all()
    held = book.balances(db, loan.id)  # type: ignore[arg-type]
    assert (held.total_kop, held.overpayment_kop) == (0, 0)
    paid = book.transactions(db, [Kind.PAYMENT])
    refunds = book.transactions(db, [Kind.OVERPAYMENT_REFUND])
    assert len(paid) == N
    assert -sum(t.amount_kop for t in paid) - sum(t.amount_kop for t in refunds) == 10_000_00
    acquirer = SandboxAcquirer(db, clock)
    assert reconcile.run(db, clock, settings, acquirer, instant_sms(db, clock)) == []


def test_fifty_repeats_of_one_key_move_money_once(
    db: Session, racers: Engine, clock: FixedClock, settings: Settings
) -> None:
    loan = running_loan(db, clock, settings, "9161112255")
    key = payments.new_key()

    def start_and_finish(_: int) -> int:
        with Session(racers) as own:
            mine = own.get(type(loan), loan.id)
            attempt = open_attempt(own, clock, mine, 500_00, key=key)  # type: ignore[arg-type]
            charge(own, clock, attempt, "4111 1111 1111 1111")  # a repeat finds it charged
            return finish(own, clock, settings, attempt, held_sms).attempt.id  # type: ignore[return-value]

    with ThreadPoolExecutor(max_workers=N) as pool:
        ids = set(pool.map(start_and_finish, range(N)))

    assert len(ids) == 1
    assert len(db.exec(select(PaymentAttempt)).all()) == 1
    assert [t.amount_kop for t in book.transactions(db, [Kind.PAYMENT])] == [-500_00]
    assert book.balances(db, loan.id).principal_kop == 9_500_00  # type: ignore[arg-type]
