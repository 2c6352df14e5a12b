"""Sandbox control of the business date, so a newcomer can watch a loan become due and overdue."""

from __future__ import annotations

from typing import Any

import reflex as rx

from credit7_web import wiring
from credit7_web.errors import Refusal
from credit7_web.russian import format_date
from credit7_web.sandbox import business_date

STEPS = (1, 3, 7, 30)


class BusinessDateState(rx.State):
    enabled: bool = False
    today: str = ""
    shift: int = 0
    error: str = ""

    def _show(self) -> None:
        with wiring.unit() as u:
            self.shift = business_date.shift_days(u.db)
            self.today = format_date(u.clock.today())

    @rx.event
    def load(self):
        self.enabled = wiring.settings().sandbox
        self.error = ""
        if self.enabled:
            self._show()

    @rx.event
    def move(self, days: Any):
        if not wiring.settings().sandbox or not isinstance(days, int) or days not in STEPS:
            return
        with wiring.unit() as u:
            try:
                business_date.move(u.db, days)
            except Refusal as error:
                self.error = next(iter(error.errors.values()))
                return
        self.error = ""
        self._show()

    @rx.event
    def reset_clock(self):
        if not wiring.settings().sandbox:
            return
        with wiring.unit() as u:
            business_date.reset(u.db)
        self._show()
