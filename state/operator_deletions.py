"""The deletion queue (accounts role): the request due soonest, whose account it is, and
«Удалить сейчас»; what would refuse it today (an open loan) is shown before the click."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import reflex as rx

from credit7_web.backoffice import deletions
from credit7_web.russian import format_date, format_phone
from state.forms import answers
from state.operator_caller import OperatorCaller, operator
from state.operator_console import DELETIONS, moscow_time
from state.operator_queue import QueueMixin

DONE = "Аккаунт удалён, клиенту отправлено SMS."


@dataclass(frozen=True)
class DeletionView:
    id: int = 0
    name: str = ""
    phone: str = ""
    requested: str = ""
    due: str = ""
    blocker: str = ""


class DeletionQueueState(QueueMixin, rx.State):
    request: DeletionView = DeletionView()

    @rx.event
    @operator(DELETIONS.role)
    def load(self, me: OperatorCaller):
        self._open(me)

    def _head(self) -> int:
        return self.request.id

    def _show(self, me: OperatorCaller) -> None:
        queue, self.waiting = deletions.waiting(me.db, me.clock, limit=1)
        if not queue:
            self.request = DeletionView()
            return
        head = queue[0]
        self.request = DeletionView(
            id=head.request.id or 0,
            name=head.full_name or "Анкета не заполнена",
            phone=format_phone(head.phone),
            requested=moscow_time(head.request.requested_at),
            due=format_date(head.request.due_on),
            blocker=head.blocker or "",
        )

    @rx.event
    @answers
    @operator(DELETIONS.role)
    def carry_out(self, me: OperatorCaller, request_id: Any, answered: Any = None):
        if self._on_screen(request_id):
            self._decided(
                me,
                lambda: deletions.carry_out(
                    me.db, me.clock, me.settings, me.sms, me.id, request_id
                ),
                DONE,
            )
