"""The app as served, plus one bare state for `benchmarks/cabinet_load.py` to compare with: a
one-line handler costs what Reflex itself costs per event."""

import reflex as rx

from web.app import app

__all__ = ["app"]


class BareState(rx.State):
    n: int = 0

    @rx.event
    def ping(self):
        self.n += 1
