"""Sign-in by phone and password."""

from __future__ import annotations

import reflex as rx

from credit7_web import urls, wiring
from credit7_web.errors import Refusal
from credit7_web.identity import accounts, sessions
from state.caller import borrower_of, browser_key, go_to_claim, home_of, query_param
from state.forms import FormMixin, answers, secret, text

RESET_NOTICE = "Пароль изменён. Войдите с новым паролем."


class LoginState(FormMixin, rx.State):
    notice: str = ""

    @rx.event
    def load(self):
        self.errors = {}
        self.notice = RESET_NOTICE if query_param(self, "reset") else ""
        with wiring.unit() as u:
            borrower = borrower_of(self, u)
            if borrower is not None:
                return rx.redirect(home_of(borrower))
        return None

    @rx.event
    @answers
    def submit(self, form: dict):
        with wiring.unit() as u:
            try:
                borrower = accounts.authenticate(
                    u.db, u.clock, u.settings, text(form, "phone", 40), secret(form, "password")
                )
            except Refusal as error:
                self._fail(error)
                return None
            ticket = sessions.open_session(
                u.db, u.clock, u.settings, borrower.id, browser_key(self)
            )
            target = home_of(borrower)
        self._ok()
        if target == urls.CABINET:
            target = urls.after_sign_in(query_param(self, "next"))
        return go_to_claim(ticket, target)
