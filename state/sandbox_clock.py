"""Sandbox control of the business date, so a newcomer can watch a loan become due and overdue."""

from __future__ import annotations

from typing import Any

import reflex as rx

from credit7_web import business_clock
from credit7_web.errors import FormError
from credit7_web.validators import format_date
from state.context import db, settings

STEPS = (1, 3, 7, 30)


class SandboxClockState(rx.State):
    enabled: bool = False
    today: str = ""
    shift: int = 0
    error: str = ""

    def _show(self) -> None:
        with db() as s:
            self.shift = business_clock.shift_days(s)
            self.today = format_date(business_clock.clock_for(s).today())

    @rx.event
    def load(self):
        self.enabled = settings().sandbox
        self.error = ""
        if self.enabled:
            self._show()

    @rx.event
    def move(self, days: Any):
        if not settings().sandbox or not isinstance(days, int) or days not in STEPS:
            return
        with db() as s:
            try:
                business_clock.move(s, days)
            except FormError as error:
                self.error = next(iter(error.errors.values()))
                return
        self.error = ""
        self._show()

    @rx.event
    def reset_clock(self):
        if not settings().sandbox:
            return
        with db() as s:
            business_clock.reset(s)
        self._show()
