"""Sign-in by phone and password; «Разблокировать по SMS» for the owner of a locked phone.

The password check (bcrypt) runs off the event loop, after the client address's rate limit:
neither a flood of made-up phones nor anyone's lockout can hold up the other tabs.
"""

from __future__ import annotations

import reflex as rx

from credit7_web import rate_limits, urls, wiring
from credit7_web.errors import Refusal
from credit7_web.identity import accounts, otp, sessions
from credit7_web.identity.fields import clean_phone
from credit7_web.rate_limits import Action
from credit7_web.russian import format_phone
from state.caller import (
    borrower_of,
    browser_key,
    client_address,
    go_to_claim,
    home_of,
    query_param,
)
from state.forms import FormMixin, answers, secret, text
from state.off_loop import off_loop
from state.phone_code import ResendTimer

RESET_NOTICE = "Пароль изменён. Войдите с новым паролем."
UNLOCKED_NOTICE = "Вход разблокирован. Войдите с паролем."
# `unlock`: "" (nothing to offer), "offer" (the phone is locked: «Разблокировать по SMS»),
# "code" (the code is on its way to the phone).
OFFER, CODE = "offer", "code"


def _sign_in(address: str, phone_text: str, password: str, browser: str) -> tuple[str, str]:
    """In the pool: the address's limit, the password, a session; (ticket, where to go)."""
    with wiring.unit() as u:
        rate_limits.spend(u.settings, address, Action.LOGIN)
        borrower = accounts.authenticate(u.db, u.clock, u.settings, phone_text, password)
        ticket = sessions.open_session(u.db, u.clock, u.settings, borrower.id, browser)
        return ticket, home_of(borrower)


class LoginState(FormMixin, rx.State):
    notice: str = ""
    unlock: str = ""
    phone_display: str = ""
    resend_timer: ResendTimer = ResendTimer()
    _phone: str = ""  # the locked phone the owner may unlock

    @rx.event
    def load(self):
        self.errors = {}
        self.notice = RESET_NOTICE if query_param(self, "reset") else ""
        self._forget_lock()
        with wiring.unit() as u:
            borrower = borrower_of(self, u)
            if borrower is not None:
                return rx.redirect(home_of(borrower))
        return None

    @rx.event
    @answers
    async def submit(self, form: dict):
        phone_text = text(form, "phone", 40)
        try:
            ticket, target = await off_loop(
                _sign_in,
                client_address(self),
                phone_text,
                secret(form, "password"),
                browser_key(self),
            )
        except accounts.LockedOut as error:
            self._fail(error)
            self._offer_unlock(phone_text)
            return None
        except Refusal as error:
            self._fail(error)
            return None
        self._ok()
        if target == urls.CABINET:
            target = urls.after_sign_in(query_param(self, "next"))
        return go_to_claim(ticket, target)

    @rx.event
    def send_unlock_code(self):
        """«Разблокировать по SMS»: a code to the locked phone (its owner reads it)."""
        if self.unlock not in (OFFER, CODE) or not self._phone:
            return
        with wiring.unit() as u:
            try:
                rate_limits.spend(u.settings, client_address(self), Action.SMS)
                accounts.start_unlock(u.db, u.clock, u.settings, u.sms, self._phone)
            except Refusal as error:
                self.errors = {"": next(iter(error.errors.values()))}
                return
            wait = otp.resend_wait_seconds(u.db, u.clock, self._phone, otp.UNLOCK)
        self.errors = {}
        self.unlock = CODE
        self.resend_timer = ResendTimer(wait=wait, sent=self.resend_timer.sent + 1)

    @rx.event
    @answers
    def submit_unlock(self, form: dict):
        if self.unlock != CODE or not self._phone:
            return
        with wiring.unit() as u:
            try:
                accounts.confirm_unlock(
                    u.db, u.clock, u.settings, self._phone, text(form, "code", 10)
                )
            except Refusal as error:
                self._fail(error)
                return
        self._ok()
        self._forget_lock()
        self.notice = UNLOCKED_NOTICE

    def _offer_unlock(self, phone_text: str) -> None:
        try:
            self._phone = clean_phone(phone_text)
        except Refusal:
            return
        self.unlock = OFFER
        self.phone_display = format_phone(self._phone)

    def _forget_lock(self) -> None:
        self.unlock, self.phone_display, self._phone = "", "", ""
