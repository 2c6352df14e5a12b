"""The operator's sign-in: login, password and the code from the authenticator app.

bcrypt is slow on purpose, so the check runs in a small pool of its own threads: the event loop
that carries every websocket never waits for it, and a flood of sign-ins queues in the pool
instead of taking every thread of the default one.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import reflex as rx

from credit7_web import urls, wiring
from credit7_web.backoffice import operators
from credit7_web.errors import Refusal
from state.caller import browser_key
from state.forms import FormMixin, answers, secret, text
from state.operator_caller import go_to_claim, operator_of

_SIGN_IN_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="operator-sign-in")


def _sign_in(login: str, password: str, code: str, browser: str) -> str:
    with wiring.unit() as u:
        return operators.authenticate(u.db, u.clock, u.settings, login, password, code, browser)


class OperatorLoginState(FormMixin, rx.State):
    @rx.event
    def load(self):
        self._ok()
        with wiring.unit() as u:
            if operator_of(self, u) is not None:
                return rx.redirect(urls.OPERATOR)
        return None

    @rx.event
    @answers
    async def submit(self, form: dict):
        login, code = text(form, "login", 40), text(form, "code", 10)
        loop = asyncio.get_running_loop()
        try:
            ticket = await loop.run_in_executor(
                _SIGN_IN_POOL, _sign_in, login, secret(form, "password"), code, browser_key(self)
            )
        except Refusal as error:
            self._fail(error)
            return None
        self._ok()
        return go_to_claim(ticket)
