"""The landing calculator. The browser prices every amount and term itself (assets/pricing.js,
the domain's rule); only what depends on the day and on the visitor comes from the server."""

from __future__ import annotations

import reflex as rx

from credit7_web import wiring
from credit7_web.lending import pricing
from state.caller import borrower_of


class CalculatorState(rx.State):
    """Due dates move with the business date; `signed_in` swaps «Войти» for the cabinet link."""

    due_dates: dict[str, str] = {}
    signed_in: bool = False

    @rx.event
    def load(self):
        with wiring.unit() as u:
            self.due_dates = pricing.due_dates(u.clock.today())
            self.signed_in = borrower_of(self, u) is not None
