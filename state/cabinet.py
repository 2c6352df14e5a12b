"""The cabinet: the borrower's loan today — debt, next payment, schedule, documents, history."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import reflex as rx

from credit7_web import urls
from credit7_web.clock import moscow_date
from credit7_web.documents.models import Document
from credit7_web.identity.models import BorrowerStatus
from credit7_web.ledger.models import LedgerTransaction
from credit7_web.lending import pricing
from credit7_web.lending.models import ApplicationStatus, LoanStatus
from credit7_web.money import percent, rub
from credit7_web.russian import days, format_date, format_phone
from credit7_web.servicing.dashboard import Dashboard, RunningLoan, current_dashboard
from credit7_web.servicing.models import PaymentAttempt, PaymentStatus
from state.apply import refusal_texts
from state.caller import Caller, PersonalState, query_param, signed_in

PENDING_TEXT = {
    ApplicationStatus.SCORING: "Заявка на рассмотрении",
    LoanStatus.AWAITING_SIGNATURE: "Заём одобрен: подпишите договор",
}


@dataclass(frozen=True)
class LoanView:
    number: str = ""
    status: str = ""
    overdue: bool = False
    due: str = ""
    today: str = ""
    total: str = ""
    principal: str = ""
    interest: str = ""
    penalty: str = ""
    services_due: str = ""  # "" when no service is owed
    days: str = ""
    psk: str = ""
    promo: bool = False
    services: str = ""  # the chosen services' titles, "" when none


@dataclass(frozen=True)
class ScheduleView:
    date: str
    principal: str
    interest: str
    services: str
    total: str


@dataclass(frozen=True)
class DocumentView:
    title: str
    url: str
    date: str


@dataclass(frozen=True)
class OperationView:
    date: str
    text: str
    amount: str
    kind: str


def _signed(kop: int) -> str:
    return ("+" if kop > 0 else "−") + rub(abs(kop))


def document_views(documents: list[Document], url_of: Callable[[int], str]) -> list[DocumentView]:
    return [
        DocumentView(
            title=d.title, url=url_of(d.id or 0), date=format_date(moscow_date(d.created_at))
        )
        for d in documents
    ]


def operation_views(operations: list[LedgerTransaction]) -> list[OperationView]:
    return [
        OperationView(
            date=format_date(o.business_date),
            text=o.description,
            amount=_signed(o.amount_kop),
            kind=o.kind,
        )
        for o in operations
    ]


def payment_note(attempt: PaymentAttempt) -> tuple[str, bool]:
    """What the payer reads on coming back from the acquirer: (text, whether it failed)."""
    if attempt.status == PaymentStatus.SUCCEEDED:
        return f"Платёж {rub(attempt.amount_kop)} принят. Квитанция отправлена в SMS.", False
    if attempt.status == PaymentStatus.FAILED:
        return f"Платёж не прошёл: {attempt.failure}", True
    return "Банк ещё обрабатывает платёж. Обновите страницу через минуту.", False


def _greeting(view: Dashboard) -> str:
    profile = view.profile
    if profile and profile.first_name:
        return " ".join(p for p in (profile.first_name, profile.middle_name) if p)
    return format_phone(view.borrower.phone)


def _loan_view(running: RunningLoan, today: str) -> LoanView:
    loan, owed = running.loan, running.debt
    if owed.overdue:
        days_text = f"Просрочка {days(owed.days_overdue)}"
    elif owed.days_left == 0:
        days_text = "Срок оплаты — сегодня"
    else:
        days_text = f"До платежа {days(owed.days_left or 0)}"
    return LoanView(
        number=loan.number,
        status="Просрочен" if owed.overdue else "Активен",
        overdue=owed.overdue,
        due=format_date(owed.due),
        today=today,
        total=rub(owed.total_kop),
        principal=rub(owed.principal_kop),
        interest=rub(owed.all_interest_kop),
        penalty=rub(owed.penalty_kop),
        services_due=rub(owed.services_kop) if owed.services_kop else "",
        days=days_text,
        psk=percent(Decimal(loan.psk_percent)),
        promo=running.promo,
        services=", ".join(s.title for s in pricing.services_of(loan.service_codes)),
    )


def _shown(view: Dashboard) -> dict[str, Any]:
    """Every var of the cabinet for this view (a var the view leaves out is back to empty)."""
    borrower = view.borrower
    requested = ""
    if borrower.requested_amount_kop and borrower.requested_term_days:
        requested = f"{rub(borrower.requested_amount_kop)} на {borrower.requested_term_days} дн."
    refusal, reapply = refusal_texts(view.refused, view.today) if view.refused else ("", "")
    running = view.running
    note, failed = payment_note(view.payment) if view.payment else ("", False)
    return {
        "name": _greeting(view),
        "phone": format_phone(borrower.phone),
        "requested": requested,
        "pending": PENDING_TEXT.get(view.awaiting, "") if view.awaiting else "",
        "refusal": refusal,
        "reapply": reapply,
        "documents": document_views(view.documents, urls.document_file),
        "operations": operation_views(view.operations),
        "payment_note": note,
        "payment_failed": failed,
        "loan": _loan_view(running, format_date(view.today)) if running else LoanView(),
        "schedule": [
            ScheduleView(
                date=format_date(row.date),
                principal=rub(row.principal_kop),
                interest=rub(row.interest_kop),
                services=rub(row.services_kop),
                total=rub(row.total_kop),
            )
            for row in running.schedule
        ]
        if running
        else [],
        "loaded": True,
    }


class CabinetState(PersonalState, rx.State):
    name: str = ""
    phone: str = ""
    requested: str = ""
    pending: str = ""
    refusal: str = ""  # why the newest application was refused, when it was
    reapply: str = ""  # from when a new one may be sent, when not at once
    loan: LoanView = LoanView()
    schedule: list[ScheduleView] = []
    documents: list[DocumentView] = []
    operations: list[OperationView] = []
    payment_note: str = ""  # how the payment the borrower came back from ended
    payment_failed: bool = False
    loaded: bool = False

    @rx.event
    @signed_in
    def load(self, me: Caller):
        borrower = me.borrower
        assert borrower is not None  # noqa: S101  (signed_in)
        if borrower.status == BorrowerStatus.QUESTIONNAIRE:
            self.reset()
            return rx.redirect(urls.QUESTIONNAIRE)
        # Only what changed goes to the browser: a reload of the same cabinet sends nothing.
        view = current_dashboard(me.db, me.clock, borrower, query_param(self, "payment") or None)
        for name, value in _shown(view).items():
            if getattr(self, name) != value:
                setattr(self, name, value)
        return None
