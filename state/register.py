"""Sign-up by phone: phone and consent → SMS code → password; then the questionnaire."""

from __future__ import annotations

from datetime import datetime

import reflex as rx
from sqlmodel import Session

from credit7_web import accounts, lending, sessions
from credit7_web.errors import FormError
from state.auth import current_borrower, go_to_claim, home_of, query_param
from state.calculator import requested_loan
from state.context import CLOCK, db, settings, sms
from state.forms import checked, secret, text
from state.phone_code import PhoneCodeMixin


class RegisterState(PhoneCodeMixin, rx.State):
    _consent_at: datetime | None = None
    _requested: tuple[int, int] | None = None

    def _send(self, s: Session, phone_text: str) -> str:
        return accounts.start_registration(
            s, CLOCK, settings(), sms(s), phone_text, self._consent_at is not None
        )

    def _confirm(self, s: Session, phone: str, code: str) -> None:
        accounts.confirm_registration(s, CLOCK, settings(), phone, code)

    @rx.event
    def load(self):
        self._ok()
        requested = requested_loan(query_param(self, "amount"), query_param(self, "term"))
        if requested is not None:
            self._requested = requested
        with db() as s:
            borrower = current_borrower(self, s)
            if borrower is not None:
                if requested is not None and borrower.id is not None:
                    lending.remember_choice(s, borrower.id, *requested)
                    if home_of(borrower) == "/cabinet":
                        return rx.redirect("/apply")
                return rx.redirect(home_of(borrower))
        if self.step == "password" and not self._confirmed():
            self._restart()
        return None

    @rx.event
    def submit_phone(self, form: dict):
        self._consent_at = CLOCK.now() if checked(form, "consent") else None
        self._request_code(text(form, "phone", 40))

    @rx.event
    def submit_password(self, form: dict):
        consent_at = self._consent_at
        # Consent is re-read with every phone submission: one withdrawn since then is no consent.
        if not self._confirmed() or consent_at is None:
            self._refuse_unconfirmed()
            return None
        amount, term = self._requested or (None, None)
        with db() as s:
            try:
                borrower = accounts.create_borrower(
                    s,
                    CLOCK,
                    settings(),
                    self._phone,
                    secret(form, "password"),
                    secret(form, "password2"),
                    consent_at,
                    requested_amount_kop=amount,
                    requested_term_days=term,
                )
            except FormError as error:
                self._fail(error)
                return None
            ticket = sessions.open_session(s, CLOCK, settings(), borrower.id)
        self._ok()
        self._restart()
        return go_to_claim(ticket, "/register/questionnaire")
