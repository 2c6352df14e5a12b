"""The identification queue, one photo at a time: the oldest waiting photo with the borrower's
name and phone, «Подтвердить», or a reason and «Отклонить» (the queue pattern of
`state.operator_queue`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import reflex as rx

from credit7_web import urls
from credit7_web.backoffice import identification
from credit7_web.russian import format_phone
from state.forms import answers, text
from state.operator_caller import OperatorCaller, operator
from state.operator_console import IDENTIFICATION, moscow_time
from state.operator_queue import QueueMixin


@dataclass(frozen=True)
class PhotoView:
    id: int = 0
    url: str = ""
    name: str = ""
    phone: str = ""
    uploaded: str = ""


class IdentificationState(QueueMixin, rx.State):
    photo: PhotoView = PhotoView()

    @rx.event
    @operator(IDENTIFICATION.role)
    def load(self, me: OperatorCaller):
        self._open(me)

    def _head(self) -> int:
        return self.photo.id

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

    @rx.event
    @answers
    @operator(IDENTIFICATION.role)
    def confirm(self, me: OperatorCaller, photo_id: Any, answered: Any = None):
        if self._on_screen(photo_id):
            self._decided(
                me,
                lambda: identification.confirm(me.db, me.clock, me.id, photo_id),
                "Фото подтверждено.",
            )

    @rx.event
    @answers
    @operator(IDENTIFICATION.role)
    def reject(self, me: OperatorCaller, photo_id: Any, form: dict):
        if self._on_screen(photo_id):
            reason = text(form, "reason", identification.REASON_MAX + 100)
            self._decided(
                me,
                lambda: identification.reject(me.db, me.clock, me.id, photo_id, reason),
                "Фото отклонено, клиент увидит причину.",
            )
