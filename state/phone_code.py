"""The phone → SMS code → password steps that sign-up and recovery share."""

from __future__ import annotations

from datetime import datetime, timedelta

import reflex as rx
from sqlmodel import Session

from credit7_web.errors import FormError
from credit7_web.validators import format_phone
from state.context import CLOCK, db
from state.forms import FormMixin, text

CODE_CONFIRMED_FOR = timedelta(minutes=15)


class PhoneCodeMixin(FormMixin, rx.State, mixin=True):
    """The confirmed phone lives in backend-only vars: the browser never holds the proof."""

    step: str = "phone"
    phone_display: str = ""
    _phone: str = ""
    _confirmed_at: datetime | None = None

    def _send(self, s: Session, phone_text: str) -> str:
        """Send a code (or what the service sends instead) and return the normalised phone."""
        raise NotImplementedError

    def _confirm(self, s: Session, phone: str, code: str) -> None:
        raise NotImplementedError

    def _restart(self) -> None:
        self.step = "phone"
        self.phone_display = ""
        self._phone = ""
        self._confirmed_at = None

    def _confirmed(self) -> bool:
        return (
            self.step == "password"
            and bool(self._phone)
            and self._confirmed_at is not None
            and CLOCK.now() - self._confirmed_at <= CODE_CONFIRMED_FOR
        )

    def _request_code(self, phone_text: str) -> None:
        with db() as s:
            try:
                phone = self._send(s, phone_text)
            except FormError as error:
                self._fail(error)
                return
        self._ok()
        self._phone = phone
        self._confirmed_at = None
        self.phone_display = format_phone(phone)
        self.step = "code"

    def _refuse_unconfirmed(self) -> None:
        self._restart()
        self.errors = {"": "Подтвердите номер телефона ещё раз."}

    @rx.event
    def resend(self):
        if self.step != "code" or not self._phone:
            return
        with db() as s:
            try:
                self._send(s, self._phone)
            except FormError as error:
                self.errors = {"code": next(iter(error.errors.values()))}
                return
        self.errors = {"code": "Мы отправили новый код."}

    @rx.event
    def submit_code(self, form: dict):
        if self.step != "code" or not self._phone:
            return
        with db() as s:
            try:
                self._confirm(s, self._phone, text(form, "code", 10))
            except FormError as error:
                self._fail(error)
                return
        self._ok()
        self._confirmed_at = CLOCK.now()
        self.step = "password"

    @rx.event
    def change_phone(self):
        self._ok()
        self._restart()
