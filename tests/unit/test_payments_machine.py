"""A hypothesis state machine over payments: pay (a new key or a repeated one), a payer who
never comes back, a declined card, the clock moving on, a restart. After every step the ledger
balances, equals `debt_on`, keeps the 100 % cap, and no key has moved money twice."""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from sqlmodel import Session

from credit7_web.clock import FixedClock
from credit7_web.db import make_engine
from credit7_web.errors import Refusal
from credit7_web.ledger import book
from credit7_web.ledger.models import Kind
from credit7_web.lending.models import Loan, LoanStatus
from credit7_web.lending.pricing import charges_cap_kop
from credit7_web.sandbox import acquirer as acq
from credit7_web.sandbox.acquirer import SandboxAcquirer
from credit7_web.servicing import debt, payments, reconcile
from credit7_web.settings import Settings
from tests.conftest import T0, fresh_database
from tests.jobs import instant_sms
from tests.unit.payment_setup import charge, finish, open_attempt, running_loan

CARDS = [acq.CARD_SUCCESS.number] * 3 + [acq.CARD_DECLINED.number]


def assert_legal_order(before: debt.Debt, after: debt.Debt) -> None:
    """353-FZ art. 5 part 20: a bucket gets money only once every bucket before it is paid."""
    names = ["overdue_interest_kop", "principal_kop", "penalty_kop", "interest_kop"]
    if not before.overdue:
        names = ["overdue_interest_kop", "penalty_kop", "interest_kop", "principal_kop"]
    names.append("services_kop")
    for i, name in enumerate(names):
        if getattr(after, name) < getattr(before, name):
            assert all(getattr(after, earlier) == 0 for earlier in names[:i]), (name, after)


class Payments(RuleBasedStateMachine):
    @initialize()
    def start(self) -> None:
        self.workdir = Path(tempfile.mkdtemp())
        self.database = fresh_database(self.workdir)
        self.engine = make_engine(self.database.__enter__())
        self.db = Session(self.engine)
        self.clock = FixedClock(T0)
        self.settings = Settings(secret_key=b"k", bcrypt_rounds=4, data_dir=self.workdir)
        self.loan = running_loan(self.db, self.clock, self.settings, "9161112266")
        self.loan.first_loan = False
        self.db.add(self.loan)
        self.db.commit()
        self.keys: list[str] = []
        self.paid_by_key: dict[str, int] = {}

    def teardown(self) -> None:
        if hasattr(self, "db"):
            self.db.close()
            self.engine.dispose()
            self.database.__exit__(None, None, None)

    def owed(self) -> debt.Debt:
        return debt.loan_debt(self.db, self.loan, self.clock.today())

    @precondition(lambda self: self.loan.status == LoanStatus.ACTIVE)
    @rule(share=st.integers(1, 100), number=st.sampled_from(CARDS))
    def pay(self, share: int, number: str) -> None:
        before = self.owed()
        total = before.total_kop
        amount = max(payments.smallest_kop(total), total * share // 100)
        key = payments.new_key()
        attempt = open_attempt(self.db, self.clock, self.loan, amount, key)
        charge(self.db, self.clock, attempt, number)
        outcome = finish(self.db, self.clock, self.settings, attempt)
        self.keys.append(key)
        if number == acq.CARD_SUCCESS.number:
            self.paid_by_key[key] = amount
        assert outcome.attempt.status == ("succeeded" if key in self.paid_by_key else "failed")
        self.db.refresh(self.loan)
        if key in self.paid_by_key:
            assert_legal_order(before, self.owed())

    @precondition(lambda self: bool(self.keys))
    @rule(data=st.data())
    def repeat_a_key(self, data: st.DataObject) -> None:
        key = data.draw(st.sampled_from(self.keys))
        try:
            attempt = open_attempt(self.db, self.clock, self.loan, 100_00, key)
        except Refusal:
            return
        finish(self.db, self.clock, self.settings, attempt)

    @precondition(lambda self: self.loan.status == LoanStatus.ACTIVE)
    @rule()
    def payer_never_returns_then_restart(self) -> None:
        total = self.owed().total_kop
        attempt = open_attempt(self.db, self.clock, self.loan, payments.smallest_kop(total))
        charge(self.db, self.clock, attempt, acq.CARD_SUCCESS.number)
        self.paid_by_key[attempt.key] = attempt.amount_kop
        loan_id = self.loan.id
        self.db.close()  # the process goes away; a new one settles what is pending
        self.db = Session(self.engine)
        acquirer, sms = SandboxAcquirer(self.db, self.clock), instant_sms(self.db, self.clock)
        payments.settle_pending(self.db, self.clock, self.settings, acquirer, sms)
        self.loan = self.db.get(Loan, loan_id)

    @rule(days=st.integers(1, 40))
    def advance(self, days: int) -> None:
        self.clock.advance(timedelta(days=days))

    @invariant()
    def books_are_exact(self) -> None:
        if not hasattr(self, "db"):
            return
        acquirer, sms = SandboxAcquirer(self.db, self.clock), instant_sms(self.db, self.clock)
        assert reconcile.run(self.db, self.clock, self.settings, acquirer, sms) == []
        owed = self.owed()
        assert owed.charges_accrued_kop + self.loan.services_kop <= charges_cap_kop(
            self.loan.principal_kop
        )
        money_in = -sum(t.amount_kop for t in book.transactions(self.db, [Kind.PAYMENT]))
        returned = sum(t.amount_kop for t in book.transactions(self.db, [Kind.OVERPAYMENT_REFUND]))
        assert money_in == sum(self.paid_by_key.values())  # each key's money once
        assert money_in - returned == owed.paid_kop
        held = book.balances(self.db, self.loan.id)  # type: ignore[arg-type]
        assert min(held.principal_kop, held.interest_kop, held.penalty_kop) >= 0


Payments.TestCase.settings = settings(
    max_examples=15,
    stateful_step_count=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_payments_machine = Payments.TestCase
