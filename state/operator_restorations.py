"""The restoration queue (accounts role): the oldest request with its two photos, the deleted
account its phone led to (loans and the contracts kept, to compare the passport with), and
«Восстановить», or a reason and «Отклонить»."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import reflex as rx

from credit7_web import urls
from credit7_web.backoffice import restorations
from credit7_web.identity.restoration import REASON_MAX
from credit7_web.russian import format_phone
from state.cabinet import DocumentView, document_views
from state.forms import answers, text
from state.operator_caller import OperatorCaller, operator
from state.operator_console import RESTORATIONS, moscow_time
from state.operator_queue import QueueMixin
from state.operator_search import LOAN_STATUS

APPROVED = "Аккаунт восстановлен: клиенту отправлено SMS, пароль он задаст по коду."
REJECTED = "Заявка отклонена, клиенту отправлено SMS с причиной."


@dataclass(frozen=True)
class RestorationView:
    id: int = 0
    phone: str = ""
    sent: str = ""
    passport_url: str = ""
    selfie_url: str = ""
    found: bool = False  # the phone led to a deleted account
    deleted: str = ""  # when that account was deleted
    loans: list[str] = field(default_factory=list)  # «№ 2026-000001, закрыт»
    documents: list[DocumentView] = field(default_factory=list)


class RestorationQueueState(QueueMixin, rx.State):
    request: RestorationView = RestorationView()

    @rx.event
    @operator(RESTORATIONS.role)
    def load(self, me: OperatorCaller):
        self._open(me)

    def _head(self) -> int:
        return self.request.id

    def _show(self, me: OperatorCaller) -> None:
        queue, self.waiting = restorations.waiting(me.db, limit=1)
        if not queue:
            self.request = RestorationView()
            return
        head = queue[0]
        request_id, account = head.request.id or 0, head.account
        self.request = RestorationView(
            id=request_id,
            phone=format_phone(head.request.phone or ""),
            sent=moscow_time(head.request.created_at),
            passport_url=urls.operator_restoration_file(request_id, "passport"),
            selfie_url=urls.operator_restoration_file(request_id, "selfie"),
            found=account is not None,
            deleted=moscow_time(account.deleted_at) if account and account.deleted_at else "",
            loans=[
                f"№ {loan.number}, {LOAN_STATUS.get(loan.status, loan.status).lower()}"
                for loan in head.loans
            ],
            documents=document_views(head.documents, urls.operator_document_file),
        )

    @rx.event
    @answers
    @operator(RESTORATIONS.role)
    def approve(self, me: OperatorCaller, request_id: Any, answered: Any = None):
        if self._on_screen(request_id):
            self._decided(
                me,
                lambda: restorations.approve(
                    me.db, me.clock, me.settings, me.sms, me.id, request_id
                ),
                APPROVED,
            )

    @rx.event
    @answers
    @operator(RESTORATIONS.role)
    def reject(self, me: OperatorCaller, request_id: Any, form: dict):
        if self._on_screen(request_id):
            reason = text(form, "reason", REASON_MAX + 100)
            self._decided(
                me,
                lambda: restorations.reject(me.db, me.clock, me.sms, me.id, request_id, reason),
                REJECTED,
            )
