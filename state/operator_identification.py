"""The identification queue, one photo at a time: the oldest waiting photo with the borrower's
name and phone, «Подтвердить», or a reason and «Отклонить».

This is the console's queue pattern (the deletion and restoration queues follow it): `load`
shows the head of the queue and how many wait; each verdict names the item it was given for,
and an item other than the one on screen is ignored (a stale tab, a forged event); the domain
call re-checks that the item still waits and records the verdict in the audit log; the page
then shows the next item.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import reflex as rx

from credit7_web import urls
from credit7_web.backoffice import identification
from credit7_web.errors import Refusal
from credit7_web.russian import format_phone
from state.forms import FormMixin, answers, text
from state.operator_caller import OperatorCaller, operator
from state.operator_console import IDENTIFICATION, ConsoleMixin, moscow_time


@dataclass(frozen=True)
class PhotoView:
    id: int = 0
    url: str = ""
    name: str = ""
    phone: str = ""
    uploaded: str = ""


class IdentificationState(ConsoleMixin, FormMixin, rx.State):
    photo: PhotoView = PhotoView()
    waiting: int = 0
    notice: str = ""

    @rx.event
    @operator(IDENTIFICATION.role)
    def load(self, me: OperatorCaller):
        self._ok()
        self.notice = ""
        self._frame(me)
        self._show(me)

    def _show(self, me: OperatorCaller) -> None:
        photos, self.waiting = identification.waiting(me.db, limit=1)
        if not photos:
            self.photo = PhotoView()
            return
        head = photos[0]
        self.photo = PhotoView(
            id=head.photo.id or 0,
            url=urls.operator_photo_file(head.photo.id or 0),
            name=head.full_name or "Анкета не заполнена",
            phone=format_phone(head.phone),
            uploaded=moscow_time(head.photo.uploaded_at),
        )

    def _on_screen(self, photo_id: Any) -> bool:
        return (
            isinstance(photo_id, int)
            and not isinstance(photo_id, bool)
            and photo_id > 0
            and photo_id == self.photo.id
        )

    @rx.event
    @answers
    @operator(IDENTIFICATION.role)
    def confirm(self, me: OperatorCaller, photo_id: Any, answered: Any = None):
        if not self._on_screen(photo_id):
            return
        self._decided(me, lambda: identification.confirm(me.db, me.clock, me.id, photo_id))
        self.notice = "" if self.errors else "Фото подтверждено."

    @rx.event
    @answers
    @operator(IDENTIFICATION.role)
    def reject(self, me: OperatorCaller, photo_id: Any, form: dict):
        if not self._on_screen(photo_id):
            return
        reason = text(form, "reason", identification.REASON_MAX + 100)
        self._decided(me, lambda: identification.reject(me.db, me.clock, me.id, photo_id, reason))
        self.notice = "" if self.errors else "Фото отклонено, клиент увидит причину."

    def _decided(self, me: OperatorCaller, verdict: Callable[[], None]) -> None:
        """Run the verdict and move on to the queue's head; a refused reason stays on screen."""
        self.notice = ""
        try:
            verdict()
        except Refusal as error:
            self._fail(error)
            if "reason" in error.errors:
                return  # the operator fixes the reason for the same photo
        else:
            self._ok()
        self._show(me)
