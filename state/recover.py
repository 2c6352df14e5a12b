"""Password recovery: phone → SMS code → new password. The reply never says if a phone exists."""

from __future__ import annotations

import reflex as rx

from credit7_web import rate_limits, urls, wiring
from credit7_web.errors import Refusal
from credit7_web.identity import accounts, otp
from state.forms import answers, secret, text
from state.phone_code import PhoneCodeMixin


class RecoverState(PhoneCodeMixin, rx.State):
    def _send(self, u: wiring.Unit, phone_text: str) -> str:
        return accounts.start_recovery(u.db, u.clock, u.settings, u.sms, phone_text)

    def _confirm(self, u: wiring.Unit, phone: str, code: str) -> None:
        accounts.confirm_recovery(u.db, u.clock, u.settings, phone, code)

    def _purpose(self) -> str:
        return otp.RECOVER

    def _action(self) -> rate_limits.Action:
        return rate_limits.Action.RECOVERY

    @rx.event
    def load(self):
        self._ok()
        self._restart()

    @rx.event
    @answers
    def submit_phone(self, form: dict):
        self._request_code(text(form, "phone", 40))

    @rx.event
    @answers
    def submit_password(self, form: dict):
        with wiring.unit() as u:
            if not self._confirmed(u):
                self._refuse_unconfirmed()
                return None
            try:
                accounts.reset_password(
                    u.db,
                    u.clock,
                    u.settings,
                    self._phone,
                    secret(form, "password"),
                    secret(form, "password2"),
                )
            except Refusal as error:
                self._fail(error)
                return None
        self._ok()
        self._restart()
        return rx.redirect(urls.with_query(urls.LOGIN, reset=1))
