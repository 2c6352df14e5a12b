"""Sign-up by phone: phone and consent → SMS code → password; then the questionnaire."""

from __future__ import annotations

from datetime import datetime

import reflex as rx

from credit7_web import rate_limits, urls, wiring
from credit7_web.errors import Refusal
from credit7_web.identity import accounts, otp, sessions
from credit7_web.lending import applications, pricing
from state.caller import borrower_of, browser_key, go_to_claim, home_of, query_param
from state.forms import answers, checked, secret, text
from state.phone_code import PhoneCodeMixin


class RegisterState(PhoneCodeMixin, rx.State):
    _consent_at: datetime | None = None
    _requested: tuple[int, int] | None = None

    def _send(self, u: wiring.Unit, phone_text: str) -> str:
        return accounts.start_registration(
            u.db, u.clock, u.settings, u.sms, phone_text, self._consent_at is not None
        )

    def _confirm(self, u: wiring.Unit, phone: str, code: str) -> None:
        accounts.confirm_registration(u.db, u.clock, u.settings, phone, code)

    def _purpose(self) -> str:
        return otp.REGISTER

    def _action(self) -> rate_limits.Action:
        return rate_limits.Action.SIGN_UP

    @rx.event
    def load(self):
        self._ok()
        requested = pricing.requested_loan(query_param(self, "amount"), query_param(self, "term"))
        if requested is not None:
            self._requested = requested
        with wiring.unit() as u:
            borrower = borrower_of(self, u)
            if borrower is not None:
                if requested is not None and borrower.id is not None:
                    applications.remember_choice(u.db, borrower.id, *requested)
                    if home_of(borrower) == urls.CABINET:
                        return rx.redirect(urls.APPLY)
                return rx.redirect(home_of(borrower))
            if self.step == "password" and not self._confirmed(u):
                self._restart()
            if self.step == "code":  # back on the page: the countdown goes on from the truth
                self._count_down(u)
        return None

    @rx.event
    @answers
    def submit_phone(self, form: dict):
        with wiring.unit() as u:
            self._consent_at = u.clock.now() if checked(form, "consent") else None
        self._request_code(text(form, "phone", 40))

    @rx.event
    @answers
    def submit_password(self, form: dict):
        consent_at = self._consent_at
        amount, term = self._requested or (None, None)
        with wiring.unit() as u:
            # Consent is re-read with every phone submission: one withdrawn since is no consent.
            if not self._confirmed(u) or consent_at is None:
                self._refuse_unconfirmed()
                return None
            try:
                borrower = accounts.create_borrower(
                    u.db,
                    u.clock,
                    u.settings,
                    self._phone,
                    secret(form, "password"),
                    secret(form, "password2"),
                    consent_at,
                    requested_amount_kop=amount,
                    requested_term_days=term,
                )
            except Refusal as error:
                self._fail(error)
                return None
            ticket = sessions.open_session(
                u.db, u.clock, u.settings, borrower.id, browser_key(self)
            )
        self._ok()
        self._restart()
        return go_to_claim(ticket, urls.QUESTIONNAIRE)
