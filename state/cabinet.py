"""The cabinet: the borrower's loan today — debt, next payment, schedule, documents, history."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import reflex as rx

from credit7_web import urls
from credit7_web.clock import moscow_date, to_moscow
from credit7_web.documents.models import Document
from credit7_web.errors import Refusal
from credit7_web.identity.models import BorrowerStatus
from credit7_web.ledger.models import LedgerTransaction
from credit7_web.lending import pricing, signing
from credit7_web.lending.models import ApplicationStatus, LoanStatus
from credit7_web.money import percent, rub
from credit7_web.russian import days, format_date, format_phone
from credit7_web.servicing import services
from credit7_web.servicing.dashboard import Dashboard, RunningLoan, current_dashboard
from credit7_web.servicing.models import PaymentAttempt, PaymentStatus
from state.apply import refusal_texts
from state.caller import Caller, PersonalState, query_param, signed_in
from state.forms import FormMixin, answers

PENDING_TEXT = {
    ApplicationStatus.SCORING: "Заявка на рассмотрении",
    LoanStatus.AWAITING_SIGNATURE: "Заём одобрен: подпишите договор",
    LoanStatus.COOLING_OFF: "Договор подписан. По закону крупный заём выдаётся не раньше чем "
    "через 4 часа после подписания: до этого от него можно отказаться бесплатно.",
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
    can_prolong: bool = False  # PRODUCT.md allows «Продлить» today


@dataclass(frozen=True)
class ScheduleView:
    date: str
    principal: str
    interest: str
    services: str
    total: str


@dataclass(frozen=True)
class ServiceView:
    """A bought extra service: «Отказаться от услуги» while allowed, else where its refund is."""

    code: str
    title: str
    price: str
    can_refuse: bool
    note: str


def service_views(bought: list[services.Bought]) -> list[ServiceView]:
    views = []
    for b in bought:
        if b.refusal is None:
            note = (
                f"Отказаться можно до {format_date(b.refuse_until)} включительно"
                if b.can_refuse
                else f"Срок отказа истёк {format_date(b.refuse_until)}"
            )
        elif b.refusal.refunded_on is None:
            note = f"Отказ принят: вернём {rub(b.refusal.refund_kop)} до " + format_date(
                b.refusal.refund_by
            )
        else:
            note = f"Возвращено {rub(b.refusal.refund_kop)} {format_date(b.refusal.refunded_on)}"
        views.append(ServiceView(b.code, b.title, rub(b.price_kop), b.can_refuse, note))
    return views


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
        can_prolong=running.can_prolong,
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
        "money_at": to_moscow(view.disburse_after).strftime("%d.%m.%Y %H:%M")
        if view.disburse_after
        else "",
        "services_bought": service_views(running.services) if running else [],
        "loaded": True,
    }


class CabinetState(FormMixin, PersonalState, rx.State):
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
    money_at: str = ""  # a loan in its cooling-off: when the money comes (Moscow time)
    services_bought: list[ServiceView] = []
    loaded: bool = False

    @rx.event
    @signed_in
    def load(self, me: Caller):
        borrower = me.borrower
        assert borrower is not None  # noqa: S101  (signed_in)
        if borrower.status == BorrowerStatus.QUESTIONNAIRE:
            self.reset()
            return rx.redirect(urls.QUESTIONNAIRE)
        self._show(
            current_dashboard(me.db, me.clock, borrower, query_param(self, "payment") or None)
        )
        return None

    def _show(self, view: Dashboard) -> None:
        """Only what changed goes to the browser: a reload of the same cabinet sends nothing."""
        for name, value in _shown(view).items():
            if getattr(self, name) != value:
                setattr(self, name, value)

    @rx.event
    @answers
    @signed_in
    def cancel_loan(self, me: Caller, answered: Any = None):
        """«Отказаться от займа» during the cooling-off: at no cost, nothing was paid out."""
        try:
            signing.cancel(me.db, me.clock, me.id)
        except Refusal as error:
            self._fail(error)
            return
        self._ok()
        assert me.borrower is not None  # noqa: S101  (signed_in)
        self._show(current_dashboard(me.db, me.clock, me.borrower))
        self.pending = "Вы отказались от займа. Ничего платить не нужно."

    @rx.event
    @answers
    @signed_in
    def refuse_service(self, me: Caller, code: Any = None, answered: Any = None):
        """«Отказаться от услуги» of the borrower's own running loan (the domain finds it)."""
        try:
            services.refuse(me.db, me.clock, me.id, code)
        except Refusal as error:
            self._fail(error)
            return
        self._ok()
        assert me.borrower is not None  # noqa: S101  (signed_in)
        self._show(current_dashboard(me.db, me.clock, me.borrower))
