"""The cabinet: the borrower's loan today — debt, next payment, schedule, documents, history."""

from __future__ import annotations

import json
from decimal import Decimal

import reflex as rx
from sqlmodel import Session, col, select

from credit7_web import debt, documents, lending, sessions
from credit7_web.business_clock import clock_for
from credit7_web.clock import moscow_date
from credit7_web.models import (
    ApplicationStatus,
    Borrower,
    BorrowerStatus,
    Loan,
    LoanStatus,
    Operation,
    Profile,
)
from credit7_web.money import percent, rub
from credit7_web.validators import format_date, format_phone
from credit7_web.words import days
from state.apply import ApplyState
from state.auth import current_borrower, require_sign_in
from state.context import CLOCK, cookie_value, db
from state.questionnaire import QuestionnaireState

PERSONAL_STATES = (QuestionnaireState, ApplyState)


def _greeting(borrower: Borrower, profile: Profile | None) -> str:
    if profile and profile.first_name:
        return " ".join(p for p in (profile.first_name, profile.middle_name) if p)
    return format_phone(borrower.phone)


def _signed(kop: int) -> str:
    return ("+" if kop > 0 else "−") + rub(abs(kop))


class CabinetState(rx.State):
    name: str = ""
    phone: str = ""
    requested: str = ""
    pending: str = ""
    loan: dict[str, str] = {}
    schedule: list[dict[str, str]] = []
    documents: list[dict[str, str]] = []
    operations: list[dict[str, str]] = []
    loaded: bool = False

    def _clear(self) -> None:
        self.name = self.phone = self.requested = self.pending = ""
        self.loan, self.schedule, self.documents, self.operations = {}, [], [], []
        self.loaded = False

    @rx.event
    def load(self):
        self._clear()
        with db() as s:
            borrower = current_borrower(self, s)
            if borrower is None:
                return require_sign_in(self)
            if borrower.status == BorrowerStatus.QUESTIONNAIRE:
                return rx.redirect("/register/questionnaire")
            self.name = _greeting(borrower, s.get(Profile, borrower.id))
            self.phone = format_phone(borrower.phone)
            if borrower.requested_amount_kop and borrower.requested_term_days:
                self.requested = (
                    f"{rub(borrower.requested_amount_kop)} на {borrower.requested_term_days} дн."
                )
            self._load_loan(s, borrower.id)
        self.loaded = True
        return None

    def _load_loan(self, s: Session, borrower_id: int) -> None:
        loan = lending.open_loan(s, borrower_id)
        application = lending.latest_application(s, borrower_id)
        if application and application.status == ApplicationStatus.SCORING:
            self.pending = "Заявка на рассмотрении"
        elif loan is not None and loan.status == LoanStatus.AWAITING_SIGNATURE:
            self.pending = "Заём одобрен: подпишите договор"
        self.documents = [
            {
                "title": d.title,
                "url": f"/files/documents/{d.id}",
                "date": format_date(moscow_date(d.created_at)),
            }
            for d in documents.documents_of(s, borrower_id)
        ]
        self.operations = [
            {
                "date": format_date(o.business_date),
                "text": o.description,
                "amount": _signed(o.amount_kop),
                "kind": o.kind,
            }
            for o in s.exec(
                select(Operation)
                .where(Operation.borrower_id == borrower_id)
                .order_by(col(Operation.id).desc())
            )
        ]
        if loan is None or loan.status != LoanStatus.ACTIVE:
            return
        self._show_loan(s, loan)

    def _show_loan(self, s: Session, loan: Loan) -> None:
        today = clock_for(s).today()
        owed = debt.loan_debt(s, loan, today)
        if owed.overdue:
            days_text = f"Просрочка {days(owed.days_overdue)}"
        elif owed.days_left == 0:
            days_text = "Срок оплаты — сегодня"
        else:
            days_text = f"До платежа {days(owed.days_left or 0)}"
        self.loan = {
            "number": loan.number,
            "status": "Просрочен" if owed.overdue else "Активен",
            "overdue": "1" if owed.overdue else "",
            "due": format_date(loan.due_date) if loan.due_date else "",
            "today": format_date(today),
            "total": rub(owed.total_kop),
            "principal": rub(owed.principal_kop),
            "interest": rub(owed.interest_kop + owed.overdue_interest_kop),
            "penalty": rub(owed.penalty_kop),
            "services_due": rub(owed.services_kop) if owed.services_kop else "",
            "days": days_text,
            "psk": percent(Decimal(loan.psk_percent)),
            "promo": "1" if loan.first_loan and not owed.overdue else "",
            "services": ", ".join(s.title for s in lending.services_of(json.loads(loan.services))),
        }
        self.schedule = [
            {
                "date": format_date(row.date),
                "principal": rub(row.principal_kop),
                "interest": rub(row.interest_kop),
                "services": rub(row.services_kop),
                "total": rub(row.total_kop),
            }
            for row in debt.schedule(debt.terms_of(loan))
        ]

    @rx.event
    async def logout(self):
        token = cookie_value(self.router.headers.cookie)
        if token:
            with db() as s:
                sessions.revoke(s, CLOCK, token)
        for holder in PERSONAL_STATES:  # the tab outlives the session: forget what it showed
            (await self.get_state(holder)).reset()
        self._clear()
        return rx.call_script(f"window.location.replace({json.dumps('/auth/logout')})")
