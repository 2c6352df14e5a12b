"""The landing calculator. Figures come from the domain pricing; the browser only looks them up."""

from __future__ import annotations

import reflex as rx

from credit7_web import tariff, wiring
from credit7_web.lending import pricing
from credit7_web.money import rub
from credit7_web.russian import days

# Every allowed amount and term of a first loan, priced once on the server: the page ships this
# table, so a slider step changes the figures with no round trip and no second formula in JS.
SHOWN = ("total", "psk", "psk_rub", "std_total", "std_psk")
FIRST_LOAN_TABLE = {
    key: {name: row[name] for name in SHOWN}
    for key, row in pricing.calculator_table(first_loan=True).items()
}
FIRST_LOAN_RANGE = tariff.amount_range(first_loan=True)
TERMS = tariff.terms()
AMOUNT_LABELS = {str(kop // 100): rub(kop) for kop in FIRST_LOAN_RANGE.values()}
TERM_LABELS = {str(t): days(t) for t in TERMS}


class CalculatorState(rx.State):
    """Only the due dates depend on the day, so only they come from the server."""

    due_dates: dict[str, str] = {}

    @rx.event
    def load(self):
        with wiring.unit() as u:
            self.due_dates = pricing.due_dates(u.clock.today())
