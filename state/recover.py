"""Password recovery: phone → SMS code → new password. The reply never says if a phone exists."""

from __future__ import annotations

import reflex as rx
from sqlmodel import Session

from credit7_web import accounts
from credit7_web.errors import FormError
from state.context import CLOCK, db, settings, sms
from state.forms import secret, text
from state.phone_code import PhoneCodeMixin


class RecoverState(PhoneCodeMixin, rx.State):
    def _send(self, s: Session, phone_text: str) -> str:
        return accounts.start_recovery(s, CLOCK, settings(), sms(s), phone_text)

    def _confirm(self, s: Session, phone: str, code: str) -> None:
        accounts.confirm_recovery(s, CLOCK, settings(), phone, code)

    @rx.event
    def load(self):
        self._ok()
        self._restart()

    @rx.event
    def submit_phone(self, form: dict):
        self._request_code(text(form, "phone", 40))

    @rx.event
    def submit_password(self, form: dict):
        if not self._confirmed():
            self._refuse_unconfirmed()
            return None
        with db() as s:
            try:
                accounts.reset_password(
                    s,
                    CLOCK,
                    settings(),
                    self._phone,
                    secret(form, "password"),
                    secret(form, "password2"),
                )
            except FormError as error:
                self._fail(error)
                return None
        self._ok()
        self._restart()
        return rx.redirect("/login?reset=1")
