"""The payments state machine with prolongation and refused services in it: pay, prolong (signed
by code, paid on the acquirer's page), refuse a service and have it refunded, move the clock,
restart. After every step the ledger balances and equals `debt_on`, the 100 % cap holds, every
key's money moved once, and no prolongation ever added interest to the principal."""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant, precondition, rule
from sqlmodel import Session, select

from credit7_web.clock import FixedClock
from credit7_web.db import make_engine
from credit7_web.errors import Refusal
from credit7_web.ledger import book
from credit7_web.ledger.models import Kind
from credit7_web.lending.models import LoanStatus
from credit7_web.lending.pricing import charges_cap_kop
from credit7_web.sandbox.acquirer import SandboxAcquirer
from credit7_web.servicing import payments, prolongation, prolonging, reconcile, services
from credit7_web.servicing.models import PaymentAttempt, Prolongation
from credit7_web.settings import Settings
from tests.conftest import T0, fresh_database
from tests.jobs import instant_sms
from tests.unit.account_setup import PHONE, last_code, lend, make_person
from tests.unit.payment_setup import finish
from tests.unit.test_payments_machine import Payments


class PaymentsProlongationsRefusals(Payments):
    @initialize()
    def start(self) -> None:
        self.workdir = Path(tempfile.mkdtemp())
        self.database = fresh_database(self.workdir)
        self.engine = make_engine(self.database.__enter__())
        self.db = Session(self.engine)
        self.clock = FixedClock(T0)
        self.settings = Settings(secret_key=b"k", bcrypt_rounds=4, data_dir=self.workdir)
        borrower = make_person(self.db, self.clock, self.settings, PHONE)
        self.loan = lend(self.db, self.clock, self.settings, borrower, ("life", "report"))
        self.db.refresh(self.loan)
        self.keys: list[str] = []
        self.paid_by_key: dict[str, int] = {}

    @precondition(lambda self: self.loan.status == LoanStatus.ACTIVE)
    @rule(offset=st.integers(-3, 60))
    def near_the_due_date(self, offset: int) -> None:
        """Days move on to the prolongation window (from 3 days before the due date)."""
        target = self.owed().due + timedelta(days=offset)
        if target > self.clock.today():
            self.clock.advance(timedelta(days=(target - self.clock.today()).days))

    @precondition(lambda self: self.loan.status == LoanStatus.ACTIVE)
    @rule()
    def prolong(self) -> None:
        try:
            offer = prolongation.offer_for(self.db, self.clock, self.loan)
        except Refusal:
            return
        self.clock.advance(timedelta(seconds=61))  # a new code may be sent
        sms = instant_sms(self.db, self.clock)
        prolonging.send_code(
            self.db, self.clock, self.settings, sms, self.loan.borrower_id, self.loan.id
        )
        key = payments.new_key()
        acquirer = SandboxAcquirer(self.db, self.clock)
        started = prolonging.confirm(
            self.db,
            self.clock,
            self.settings,
            acquirer,
            self.loan.borrower_id,
            self.loan.id,
            last_code(self.db, PHONE),
            key,
            "/cabinet/prolong",
        )
        if started.pay_url is not None:
            attempt = payments.by_key(self.db, key)
            assert attempt is not None
            acquirer.confirm_bound(attempt.order_id)
            self.db.commit()
            finish(self.db, self.clock, self.settings, attempt)
            self.paid_by_key[key] = offer.pay_now_kop
            self.keys.append(key)
        self.db.refresh(self.loan)
        assert self.loan.due_date == offer.new_due
        event("prolonged, paid" if started.pay_url else "prolonged, free")

    @precondition(lambda self: self.loan.status == LoanStatus.ACTIVE)
    @rule(code=st.sampled_from(["life", "report"]), at_once=st.booleans())
    def refuse_a_service(self, code: str, at_once: bool) -> None:
        try:
            services.refuse(self.db, self.clock, self.loan.borrower_id, code)
        except Refusal:
            return
        event("service refused")
        if at_once:
            self.refund_job()

    @rule()
    def refund_job(self) -> None:
        services.refund_due(
            self.db, self.clock, self.settings, SandboxAcquirer(self.db, self.clock)
        )
        self.db.refresh(self.loan)

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
        money_in = -sum(t.amount_kop for t in book.transactions(self.db, book.PAYING))
        returned = sum(t.amount_kop for t in book.transactions(self.db, [Kind.OVERPAYMENT_REFUND]))
        assert money_in == sum(self.paid_by_key.values())  # each key's money once
        assert money_in - returned == owed.paid_kop
        held = book.balances(self.db, self.loan.id)  # type: ignore[arg-type]
        assert 0 <= held.principal_kop <= self.loan.principal_kop  # interest never capitalised
        assert min(held.interest_kop, held.penalty_kop, held.services_kop) >= 0
        # Each prolongation is paid by exactly its own attempt, the sum its agreement names.
        for row in self.db.exec(select(Prolongation)):
            paid = [
                -t.amount_kop
                for t in book.transactions(self.db, [Kind.PROLONGATION])
                if t.business_date == row.business_date
            ]
            assert paid == ([row.paid_kop] if row.paid_kop else [])
        assert not self.db.exec(
            select(PaymentAttempt).where(PaymentAttempt.status == "pending")
        ).all()


PaymentsProlongationsRefusals.TestCase.settings = settings(
    max_examples=12,
    stateful_step_count=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_prolong_machine = PaymentsProlongationsRefusals.TestCase
