"""Prolongation `/cabinet/prolong`: today's offer itemised, the SMS code that signs the additional
agreement, the payment on the acquirer's page, and the answer when the payer comes back.

The loan is never named by the client: the page prolongs the signed-in borrower's own running
loan, found again on every event (the domain re-checks it is theirs and still open).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import reflex as rx

from credit7_web import urls
from credit7_web.errors import Refusal
from credit7_web.identity import otp
from credit7_web.money import percent, rub
from credit7_web.russian import format_date, plural
from credit7_web.servicing import payments, prolongation, prolonging
from credit7_web.servicing.models import PaymentStatus
from state.caller import Caller, query_param, signed_in
from state.forms import answers, text
from state.phone_code import SignatureCodeMixin

PROLONGED = "Заём продлён до {due}. Дополнительное соглашение — в документах кабинета."


@dataclass(frozen=True)
class OfferView:
    """Today's prolongation as the borrower reads it; every sum already formatted."""

    number: int = 0
    pay_now: str = ""
    interest: str = ""
    penalty: str = ""
    due: str = ""
    new_due: str = ""
    new_total: str = ""
    principal: str = ""
    new_interest: str = ""
    psk: str = ""
    promo_ends: bool = False
    left: str = ""
    free: bool = False  # nothing to pay now: the code alone extends it


def _view(offer: prolongation.Offer) -> OfferView:
    left = offer.left_after
    return OfferView(
        number=offer.number,
        pay_now=rub(offer.pay_now_kop),
        interest=rub(offer.interest_kop),
        penalty=rub(offer.penalty_kop),
        due=format_date(offer.due),
        new_due=format_date(offer.new_due),
        new_total=rub(offer.new_total_kop),
        principal=rub(offer.principal_kop),
        new_interest=rub(offer.new_interest_kop),
        psk=percent(offer.psk_percent),
        promo_ends=offer.promo_ends,
        left=f"ещё {left} {plural(left, 'раз', 'раза', 'раз')}" if left else "больше нельзя",
        free=offer.pay_now_kop == 0,
    )


class ProlongState(SignatureCodeMixin, rx.State):
    loaded: bool = False
    loan_number: str = ""
    offer: OfferView = OfferView()
    unavailable: str = ""  # why there is no offer today
    signing: bool = False
    done: str = ""  # the answer once prolonged
    _key: str = ""  # the payment's idempotency key: one per offer shown
    _loan_id: int = 0  # the signed-in borrower's running loan, never an id the client sent

    @rx.event
    @signed_in
    def load(self, me: Caller):
        self.reset()
        order = query_param(self, "order")
        if order:  # back from the acquirer's page: ask it how the payment ended
            outcome = payments.finish_order(
                me.db, me.clock, me.settings, me.acquirer, me.sms, order, borrower_id=me.id
            )
            if outcome is not None and outcome.attempt.status == PaymentStatus.FAILED:
                self.errors = {"": outcome.attempt.failure or "Платёж не прошёл"}
        self._show(me)

    def _show(self, me: Caller) -> None:
        seen = prolongation.prospect(me.db, me.clock, me.id)
        self.loan_number = seen.loan.number if seen.loan else ""
        self._loan_id = seen.loan.id or 0 if seen.loan else 0
        last = seen.agreements[-1] if seen.agreements else None
        if last is not None and last.business_date == me.clock.today():
            self.done = PROLONGED.format(due=format_date(last.new_due))
        if seen.offer is None:
            self.unavailable = seen.refusal
        else:
            self.offer = _view(seen.offer)
            self._key = payments.new_key()
        self.loaded = True

    @rx.event
    @answers
    @signed_in
    def send_code(self, me: Caller, answered: Any = None):
        """«Оплатить и продлить»: the code that signs the agreement (again: a new one)."""
        assert me.borrower is not None  # noqa: S101  (signed_in)
        sent = self._send_signature_code(
            me,
            me.borrower.phone,
            otp.PROLONG,
            lambda: prolonging.send_code(
                me.db, me.clock, me.settings, me.sms, me.id, self._loan_id or None
            ),
            again=self.signing,
        )
        self.signing = self.signing or sent

    @rx.event
    @answers
    @signed_in
    def confirm(self, me: Caller, form: dict):
        """The code typed: pay on the acquirer's page, or (nothing to pay) prolonged at once."""
        try:
            started = prolonging.confirm(
                me.db,
                me.clock,
                me.settings,
                me.acquirer,
                me.id,
                self._loan_id or None,
                text(form, "code", 10),
                self._key or payments.new_key(),
                urls.PROLONG,
            )
        except Refusal as error:
            self._fail(error)
            return None
        self._ok()
        if started.pay_url:
            return rx.call_script(f"window.location.assign({json.dumps(started.pay_url)})")
        self.reset()
        self._show(me)
        return None
