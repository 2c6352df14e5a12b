"""The console's queue pattern, shared by the identification, deletion and restoration queues.

`load` shows the head of the queue and how many wait; each verdict names the item it was given
for, and an item other than the one on screen is ignored (a stale tab, a forged event); the
domain call re-checks that the item still waits and records the verdict in the audit log in
its transaction; the page then shows the next item. A refused reason keeps the item on screen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx

from credit7_web.errors import Refusal
from state.forms import FormMixin
from state.operator_caller import OperatorCaller
from state.operator_console import ConsoleMixin


class QueueMixin(ConsoleMixin, FormMixin, rx.State, mixin=True):
    """A subclass shows its head item in `_show` and names its id in `_head`. Name `rx.State`
    after the mixin in every subclass (see `state.forms.FormMixin`)."""

    waiting: int = 0
    notice: str = ""

    def _head(self) -> int:
        """The id of the item on screen; 0 when the queue is empty."""
        raise NotImplementedError

    def _show(self, me: OperatorCaller) -> None:
        """Show the head of the queue and set `waiting`."""
        raise NotImplementedError

    def _open(self, me: OperatorCaller) -> None:
        self._ok()
        self.notice = ""
        self._frame(me)
        self._show(me)

    def _on_screen(self, item_id: Any) -> bool:
        return (
            isinstance(item_id, int)
            and not isinstance(item_id, bool)
            and item_id > 0
            and item_id == self._head()
        )

    def _decided(self, me: OperatorCaller, verdict: Callable[[], None], done: str) -> None:
        """Run the verdict and move on to the queue's head; a refused reason stays on screen."""
        self.notice = ""
        try:
            verdict()
        except Refusal as error:
            self._fail(error)
            if "reason" in error.errors:
                return  # the operator fixes the reason for the same item
        else:
            self._ok()
            self.notice = done
        self._show(me)
