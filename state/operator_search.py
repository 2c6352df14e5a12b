"""A borrower's file by phone, read-only: who, the masked documents, loans, money, PDFs."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from credit7_web import urls
from credit7_web.backoffice import search
from credit7_web.errors import Refusal
from credit7_web.identity.models import BorrowerStatus, PhotoReview
from credit7_web.lending.models import LoanStatus
from credit7_web.money import rub
from credit7_web.russian import format_date, format_phone
from state.cabinet import DocumentView, OperationView, document_views, operation_views
from state.forms import FormMixin, answers, text
from state.operator_caller import OperatorCaller, operator
from state.operator_console import SEARCH, ConsoleMixin

NOT_FOUND = "Клиент с таким номером не найден"
LOAN_STATUS = {
    LoanStatus.AWAITING_SIGNATURE: "Ждёт подписи",
    LoanStatus.ACTIVE: "Активен",
    LoanStatus.CLOSED: "Закрыт",
}
PHOTO_STATUS = {
    PhotoReview.PENDING: "Ждёт проверки",
    PhotoReview.CONFIRMED: "Подтверждено",
    PhotoReview.REJECTED: "Отклонено",
}


@dataclass(frozen=True)
class BorrowerView:
    name: str = ""
    phone: str = ""
    birth_date: str = ""
    passport: str = ""
    snils: str = ""
    questionnaire: str = ""
    photo: str = ""


@dataclass(frozen=True)
class LoanLineView:
    number: str
    status: str
    principal: str
    due: str
    owed: str


class BorrowerSearchState(ConsoleMixin, FormMixin, rx.State):
    found: bool = False
    person: BorrowerView = BorrowerView()
    loans: list[LoanLineView] = []
    operations: list[OperationView] = []
    documents: list[DocumentView] = []

    @rx.event
    @operator(SEARCH.role)
    def load(self, me: OperatorCaller):
        self._forget()
        self._ok()
        self._frame(me)

    def _forget(self) -> None:
        self.found = False
        self.person = BorrowerView()
        self.loans, self.operations, self.documents = [], [], []

    @rx.event
    @answers
    @operator(SEARCH.role)
    def search(self, me: OperatorCaller, form: dict):
        self._forget()
        try:
            found = search.borrower_file(me.db, me.clock, me.id, text(form, "phone", 40))
        except Refusal as error:
            self._fail(error)
            return
        if found is None:
            self._fail(Refusal.one("phone", NOT_FOUND))
            return
        self._ok()
        self._show(found)

    def _show(self, found: search.BorrowerFile) -> None:
        borrower, photo = found.borrower, found.photo
        self.found = True
        self.person = BorrowerView(
            name=found.full_name or "—",
            phone=format_phone(borrower.phone),
            birth_date=format_date(found.birth_date) if found.birth_date else "—",
            passport=found.passport or "—",
            snils=found.snils or "—",
            questionnaire="Заполнена"
            if borrower.status == BorrowerStatus.ACTIVE
            else "Не заполнена",
            photo=PHOTO_STATUS.get(PhotoReview(photo.review), "") if photo else "Не загружено",
        )
        self.loans = [
            LoanLineView(
                number=line.loan.number,
                status=LOAN_STATUS.get(LoanStatus(line.loan.status), line.loan.status),
                principal=rub(line.loan.principal_kop),
                due=format_date(line.loan.due_date) if line.loan.due_date else "—",
                owed=rub(line.owed_kop) if line.owed_kop is not None else "—",
            )
            for line in found.loans
        ]
        self.operations = operation_views(found.operations)
        self.documents = document_views(found.documents, urls.operator_document_file)
