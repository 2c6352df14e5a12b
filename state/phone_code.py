"""The phone → SMS code → password steps that sign-up and recovery share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import reflex as rx

from credit7_web import rate_limits, wiring
from credit7_web.errors import Refusal
from credit7_web.identity import otp
from credit7_web.russian import format_phone
from state.caller import client_address
from state.forms import FormMixin, answers, text

NEW_CODE_SENT = "Мы отправили новый код."


@dataclass(frozen=True)
class ResendTimer:
    """When a new code may be asked for: `wait` seconds from the answer that brought it.

    `sent` counts the answers, so the browser restarts its countdown even when the wait is the
    same number as before; the browser counts down itself, one server answer per code.
    """

    wait: int = 0
    sent: int = 0


class SignatureCodeMixin(FormMixin, rx.State, mixin=True):
    """A signed-in borrower's code that signs a document (a contract, an additional agreement):
    the first one, or again from «Отправить код ещё раз», with the countdown to the next."""

    resend_timer: ResendTimer = ResendTimer()
    notice: str = ""  # news about the code that is not an error: "a new code is on its way"

    def _send_signature_code(
        self, u: wiring.Unit, phone: str, purpose: str, send: Callable[[], object], again: bool
    ) -> bool:
        """Send by `send()`; too early for a new code is news, not an error. False: refused."""
        try:
            send()
        except Refusal as error:
            if again and "phone" in error.errors:
                self.notice = error.errors["phone"]
            else:
                self._fail(error)
                return False
        else:
            self._ok()
            self.notice = NEW_CODE_SENT if again else ""
        wait = otp.resend_wait_seconds(u.db, u.clock, phone, purpose)
        self.resend_timer = ResendTimer(wait=wait, sent=self.resend_timer.sent + 1)
        return True


class PhoneCodeMixin(FormMixin, rx.State, mixin=True):
    """The confirmed phone lives in backend-only vars: the browser never holds the proof."""

    step: str = "phone"
    phone_display: str = ""
    resend_timer: ResendTimer = ResendTimer()
    notice: str = ""  # news about the code that is not an error: "a new code is on its way"
    _phone: str = ""
    _confirmed_at: datetime | None = None

    def _send(self, u: wiring.Unit, phone_text: str) -> str:
        """Send a code (or what the service sends instead) and return the normalised phone."""
        raise NotImplementedError

    def _confirm(self, u: wiring.Unit, phone: str, code: str) -> None:
        raise NotImplementedError

    def _purpose(self) -> str:
        """The otp purpose of this flow's codes."""
        raise NotImplementedError

    def _action(self) -> rate_limits.Action:
        """What a code request of this flow counts as per client address (beside the SMS)."""
        raise NotImplementedError

    def _send_limited(self, u: wiring.Unit, phone_text: str) -> str:
        """`_send` within the client address's limits: the flow's and the SMS caps."""
        rate_limits.spend(u.settings, client_address(self), self._action(), rate_limits.Action.SMS)
        return self._send(u, phone_text)

    def _restart(self) -> None:
        self.step = "phone"
        self.phone_display = ""
        self.notice = ""
        self._phone = ""
        self._confirmed_at = None

    def _confirmed(self, u: wiring.Unit) -> bool:
        return (
            self.step == "password"
            and bool(self._phone)
            and otp.still_confirmed(self._confirmed_at, u.clock.now())
        )

    def _count_down(self, u: wiring.Unit) -> None:
        wait = otp.resend_wait_seconds(u.db, u.clock, self._phone, self._purpose())
        self.resend_timer = ResendTimer(wait=wait, sent=self.resend_timer.sent + 1)

    def _request_code(self, phone_text: str) -> None:
        with wiring.unit() as u:
            try:
                phone = self._send_limited(u, phone_text)
            except Refusal as error:
                self._fail(error)
                return
            self._ok()
            self._phone = phone
            self._confirmed_at = None
            self.phone_display = format_phone(phone)
            self.step = "code"
            self.notice = ""
            self._count_down(u)

    def _refuse_unconfirmed(self) -> None:
        self._restart()
        self.errors = {"": "Подтвердите номер телефона ещё раз."}

    @rx.event
    def resend(self):
        """A secondary button: it never submits the code form, and says what happened neutrally."""
        if self.step != "code" or not self._phone:
            return
        with wiring.unit() as u:
            try:
                self._send_limited(u, self._phone)
                self.notice = NEW_CODE_SENT
            except Refusal as error:
                self.notice = next(iter(error.errors.values()))
            self.errors = {}
            self._count_down(u)

    @rx.event
    @answers
    def submit_code(self, form: dict):
        if self.step != "code" or not self._phone:
            return
        with wiring.unit() as u:
            try:
                self._confirm(u, self._phone, text(form, "code", 10))
            except Refusal as error:
                self._fail(error)
                return
            self._confirmed_at = u.clock.now()
        self._ok()
        self.notice = ""
        self.step = "password"

    @rx.event
    def change_phone(self):
        self._ok()
        self._restart()
