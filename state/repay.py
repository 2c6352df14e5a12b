"""«Погасить» in the cabinet: the whole debt or another sum, the card, an SMS code, then the
acquirer's page. The idempotency key is made when the form is shown, before anything is sent,
and kept server-side (`_key`): a double click, a retry or a reconnect brings the same one."""

from __future__ import annotations

import reflex as rx

from credit7_web import urls
from credit7_web.errors import Refusal
from credit7_web.lending import cards
from credit7_web.money import rub
from credit7_web.servicing import payments
from state.caller import Caller, PersonalState, go_to, signed_in
from state.forms import FormMixin, answers, text

FORM = "form"
CODE = "code"


class RepayState(FormMixin, PersonalState, rx.State):
    number: str = ""
    total: str = ""  # the debt today
    minimum: str = ""  # the smallest payment today
    card: str = ""  # the bound card's label, "" when none
    step: str = ""  # "" while loading, then "form", then "code"
    amount: str = ""  # what the code confirms
    _key: str = ""
    _amount_kop: int = 0
    _bound: bool = False

    @rx.event
    @signed_in
    def load(self, me: Caller):
        try:
            view = payments.repay_form(me.db, me.clock, me.id, self._key)
        except Refusal:
            return rx.redirect(urls.CABINET)
        self._key = view.key
        self.number = view.loan.number
        self.total = rub(view.owed.total_kop)
        self.minimum = rub(payments.smallest_kop(view.owed.total_kop))
        self.card = cards.card_label(view.card) if view.card else ""
        self.step, self.amount, self.errors = FORM, "", {}
        return None

    @rx.event
    @answers
    @signed_in
    def submit(self, me: Caller, form: dict):
        whole = text(form, "choice") != "other"
        bound = bool(self.card) and text(form, "card") != "new"
        try:
            amount = payments.request_code(
                me.db, me.clock, me.settings, me.sms, me.id, whole, text(form, "amount", 20)
            )
        except Refusal as error:
            self._fail(error)
            return
        self._amount_kop, self._bound = amount, bound
        self.amount, self.step = rub(amount), CODE
        self._ok()

    @rx.event
    @answers
    @signed_in
    def confirm(self, me: Caller, form: dict):
        if self.step != CODE or not self._amount_kop:
            self._ok()
            return None
        try:
            attempt = payments.confirm(
                me.db,
                me.clock,
                me.settings,
                me.acquirer,
                me.id,
                self._amount_kop,
                self._key,
                text(form, "code", 10),
                self._bound,
            )
        except Refusal as error:
            self._fail(error)
            return None
        self._ok()
        return go_to(attempt.pay_url)

    @rx.event
    @signed_in
    def change(self, me: Caller):
        """Back from the code to the amount."""
        del me
        if self.step == CODE:
            self.step, self.errors = FORM, {}
