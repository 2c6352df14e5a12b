"""Quick pay `/pay`, no sign-in: phone and surname find an open loan, then a sum and the
acquirer's page. The loan found stays on the server (`_loan_id`); the page gets only the masked
name, the debt and the due date, and only when both match."""

from __future__ import annotations

import reflex as rx

from credit7_web import wiring
from credit7_web.errors import Refusal
from credit7_web.money import rub
from credit7_web.russian import format_date
from credit7_web.servicing import payments, quick_pay
from state.cabinet import payment_note
from state.caller import go_to, query_param
from state.forms import FormMixin, answers, text


class QuickPayState(FormMixin, rx.State):
    name: str = ""  # "Иван И."
    total: str = ""
    due: str = ""
    minimum: str = ""
    found: bool = False
    note: str = ""  # how a payment the payer came back with ended
    note_failed: bool = False
    _loan_id: int = 0
    _key: str = ""

    @rx.event
    def load(self):
        self.reset()
        order = query_param(self, "payment")
        if order:
            with wiring.unit() as u:
                attempt = payments.by_order(u.db, order)
                if attempt is not None:
                    self.note, self.note_failed = payment_note(attempt)

    @rx.event
    @answers
    def find(self, form: dict):
        self.found, self._loan_id, self.note = False, 0, ""
        address = self.router.session.client_ip or "unknown"
        with wiring.unit() as u:
            try:
                loan = quick_pay.find(
                    u.db, u.clock, address, text(form, "phone", 30), text(form, "surname", 100)
                )
            except Refusal as error:
                self._fail(error)
                return
        self._ok()
        self.found, self._loan_id, self._key = True, loan.loan_id, payments.new_key()
        self.name, self.total, self.due = loan.name, rub(loan.total_kop), format_date(loan.due)
        self.minimum = rub(payments.smallest_kop(loan.total_kop))

    @rx.event
    @answers
    def pay(self, form: dict):
        if not self.found or not self._loan_id:
            self._ok()
            return None
        with wiring.unit() as u:
            try:
                attempt = quick_pay.pay(
                    u.db, u.clock, u.acquirer, self._loan_id, text(form, "amount", 20), self._key
                )
            except Refusal as error:
                self._fail(error)
                return None
        self._ok()
        return go_to(attempt.pay_url)

    @rx.event
    def again(self):
        """Look up another loan."""
        self.reset()
