"""Prolongation (PRODUCT.md): when it is allowed, what it costs today, and recording it.

`offer` is pure: from the debt terms, the payments and the business date it answers what the
borrower must pay now (interest and penalty accrued to today inclusive), the new due date (30
days after the later of the due date and today), the new schedule and ПСК — or the reason it is
not allowed. `extend` records an agreed prolongation in the caller's transaction: the numbered
agreement row (which `debt.prolongations_of` reads back), the loan's new due date and the signed
«Дополнительное соглашение № N». Unpaid interest is never added to the principal: the principal
stays what it is, and the interest to date is paid, not capitalised.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from sqlmodel import Session, col, select

from credit7_web import tariff
from credit7_web.clock import Clock
from credit7_web.documents import agreement, archive
from credit7_web.documents.models import Document, DocumentKind
from credit7_web.errors import Refusal
from credit7_web.identity.models import Profile
from credit7_web.lending.contracts import profile_name
from credit7_web.lending.models import Loan, LoanStatus
from credit7_web.lending.pricing import single_payment_psk
from credit7_web.russian import format_date
from credit7_web.servicing import debt
from credit7_web.servicing.models import PaymentAttempt, Prolongation, ProlongationRequest
from credit7_web.settings import Settings

PURPOSE = "prolongation"  # of a payment attempt that buys a prolongation


@dataclass(frozen=True)
class Offer:
    """A prolongation as it would be agreed today. Money in kopecks."""

    number: int  # of the additional agreement
    on: date
    due: date  # the due date it moves
    new_due: date
    principal_kop: int  # unchanged: interest is never added to it
    interest_kop: int  # unpaid interest accrued to today inclusive: paid now
    penalty_kop: int  # unpaid penalty to today: paid now
    new_interest_kop: int  # interest from tomorrow to the new due date
    services_kop: int  # unpaid extra services, repaid with the loan
    new_total_kop: int  # to repay on the new due date
    psk_percent: Decimal
    promo_ends: bool  # a first loan's 0 % ends today; the base rate runs from tomorrow
    left_after: int  # prolongations still possible after this one
    terms: debt.Terms  # the debt terms once prolonged

    @property
    def pay_now_kop(self) -> int:
        return self.interest_kop + self.penalty_kop

    @property
    def new_days(self) -> int:
        return (self.new_due - self.on).days


def refusal(terms: debt.Terms, today_debt: debt.Debt) -> str | None:
    """Why the loan cannot be prolonged today, in Russian; None when it can."""
    due, today = today_debt.due, today_debt.on
    opens = due - timedelta(days=tariff.PROLONGATION_FROM_DAYS_BEFORE_DUE)
    if today_debt.closed:
        return "Заём погашен"
    if today_debt.principal_kop == 0:
        return "Основной долг погашен: продлевать нечего"
    if len(terms.prolongations) >= tariff.MAX_PROLONGATIONS:
        return f"Заём уже продлён {tariff.MAX_PROLONGATIONS} раз: больше продлевать нельзя"
    if today_debt.capped:
        return "Начисления достигли 100 % суммы займа: продление невозможно"
    if today < opens:
        return f"Продлить заём можно с {format_date(opens)}"
    if (today - due).days > tariff.PROLONGATION_UNTIL_DAYS_OVERDUE:
        return (
            f"Продлить можно не позже {tariff.PROLONGATION_UNTIL_DAYS_OVERDUE} дней "
            "после даты возврата"
        )
    return None


def offer(terms: debt.Terms, payments: Sequence[debt.Payment], today: date) -> Offer:
    """The prolongation agreed today; raises Refusal when PRODUCT.md does not allow it."""
    now = debt.debt_on(terms, payments, today)
    reason = refusal(terms, now)
    if reason:
        raise Refusal.one("", reason)
    new_due = debt.moved_due(now.due, today)
    prolonged = replace(terms, due=new_due, prolongations=(*terms.prolongations, today))
    owed = debt.debt_on(prolonged, payments, today)
    pay_now = owed.all_interest_kop + owed.penalty_kop
    paid = [*payments, debt.Payment(today, pay_now)] if pay_now else list(payments)
    row = debt.schedule(prolonged, paid)[0]
    return Offer(
        number=len(terms.prolongations) + 1,
        on=today,
        due=now.due,
        new_due=new_due,
        principal_kop=owed.principal_kop,
        interest_kop=owed.all_interest_kop,
        penalty_kop=owed.penalty_kop,
        new_interest_kop=row.interest_kop,
        services_kop=row.services_kop,
        new_total_kop=row.total_kop,
        psk_percent=single_payment_psk(
            row.principal_kop, row.principal_kop + row.interest_kop, (new_due - today).days
        ),
        promo_ends=debt.promo_on(terms, today),
        left_after=tariff.MAX_PROLONGATIONS - len(terms.prolongations) - 1,
        terms=prolonged,
    )


# ----------------------------------------------------------------------------- database


def agreements_of(db: Session, loan_id: int) -> list[Prolongation]:
    """The loan's prolongations, first first."""
    return list(
        db.exec(
            select(Prolongation)
            .where(Prolongation.loan_id == loan_id)
            .order_by(col(Prolongation.number))
        )
    )


def own_loan(db: Session, borrower_id: int, loan_id: object) -> Loan:
    """The borrower's running loan by id; anything else is one and the same refusal."""
    loan = (
        db.get(Loan, loan_id)
        if isinstance(loan_id, int) and not isinstance(loan_id, bool)
        else None
    )
    if loan is None or loan.borrower_id != borrower_id or loan.status != LoanStatus.ACTIVE:
        raise Refusal.one("", "Заём не найден")
    return loan


@dataclass(frozen=True)
class Prospect:
    """What the prolongation page shows: the borrower's running loan and today's offer, or why
    there is none."""

    loan: Loan | None
    offer: Offer | None
    refusal: str
    agreements: list[Prolongation]


def prospect(db: Session, clock: Clock, borrower_id: int) -> Prospect:
    """Today's prolongation of the borrower's running loan, or the reason it is not offered."""
    loan = db.exec(
        select(Loan).where(Loan.borrower_id == borrower_id, Loan.status == LoanStatus.ACTIVE)
    ).first()
    if loan is None or loan.id is None:
        return Prospect(None, None, "Нет займа, который можно продлить", [])
    done = agreements_of(db, loan.id)
    try:
        return Prospect(loan, offer_for(db, clock, loan), "", done)
    except Refusal as refused:
        return Prospect(loan, None, refused.errors[""], done)


def offer_for(db: Session, clock: Clock, loan: Loan) -> Offer:
    """Today's prolongation offer for a running loan (Refusal when not allowed)."""
    terms = debt.terms_for(db, loan)
    return offer(terms, debt.payments_of(db, loan.id), clock.today())  # type: ignore[arg-type]


def extend(
    db: Session,
    clock: Clock,
    settings: Settings,
    loan: Loan,
    agreed: Offer,
    *,
    signed_phone: str,
    code_hash: str,
) -> Prolongation:
    """Record the prolongation `agreed` today: the agreement row, the loan's new due date and the
    signed PDF. Flushes, never commits: the caller commits it with the payment that bought it.

    Raises Refusal when today's offer is no longer the one agreed (a payment or a day passed).
    """
    if loan.id is None:
        raise ValueError("the loan is not saved")
    current = offer_for(db, clock, loan)
    if current != agreed:
        raise Refusal.one("", "Условия продления изменились: посмотрите их ещё раз")
    row = Prolongation(
        loan_id=loan.id,
        number=agreed.number,
        business_date=agreed.on,
        previous_due=agreed.due,
        new_due=agreed.new_due,
        paid_kop=agreed.pay_now_kop,
        psk_percent=str(agreed.psk_percent),
        created_at=clock.now(),
        signed_phone=signed_phone,
        signature_code_hash=code_hash,
    )
    db.add(row)
    loan.due_date = agreed.new_due
    db.add(loan)
    db.flush()
    issue_agreement(db, clock, settings, loan, row, agreed)
    return row


def extend_paid(
    db: Session, clock: Clock, settings: Settings, loan: Loan, attempt: PaymentAttempt
) -> Prolongation | None:
    """The prolongation a succeeded payment bought, recorded now (the caller books the payment
    and commits both together). None when it no longer holds — the day or the debt changed
    since it was signed — and the money is then an ordinary payment towards the loan."""
    request = db.exec(
        select(ProlongationRequest).where(ProlongationRequest.attempt_id == attempt.id)
    ).first()
    if request is None:
        return None
    try:
        agreed = offer_for(db, clock, loan)
    except Refusal:
        return None
    signed = (request.number, request.business_date, request.amount_kop)
    if signed != (agreed.number, agreed.on, agreed.pay_now_kop) or attempt.amount_kop != (
        agreed.pay_now_kop
    ):
        return None
    return extend(
        db,
        clock,
        settings,
        loan,
        agreed,
        signed_phone=request.signed_phone,
        code_hash=request.signature_code_hash,
    )


def issue_agreement(
    db: Session, clock: Clock, settings: Settings, loan: Loan, row: Prolongation, agreed: Offer
) -> Document:
    """Draw and file «Дополнительное соглашение № N» signed by the SMS code; no commit."""
    profile = db.get(Profile, loan.borrower_id)
    if profile is None or loan.start_date is None:
        raise Refusal.one("", "Нет данных заёмщика для соглашения")
    data = agreement.AgreementData(
        number=agreed.number,
        contract_number=loan.number,
        contract_date=loan.start_date,
        on=agreed.on,
        full_name=profile_name(profile),
        previous_due=agreed.due,
        new_due=agreed.new_due,
        principal_kop=agreed.principal_kop,
        paid_interest_kop=agreed.interest_kop,
        paid_penalty_kop=agreed.penalty_kop,
        new_interest_kop=agreed.new_interest_kop,
        services_kop=agreed.services_kop,
        new_total_kop=agreed.new_total_kop,
        psk_percent=agreed.psk_percent,
        promo_ends=agreed.promo_ends,
        signed_at=row.created_at,
        signed_phone=row.signed_phone,
    )
    return archive.store_document(
        db,
        clock,
        settings,
        loan.borrower_id,
        loan.id,
        DocumentKind.PROLONGATION,
        f"Дополнительное соглашение № {agreed.number} к договору № {loan.number} "
        f"от {format_date(agreed.on)}",
        agreement.agreement_pdf(data),
        commit=False,
    )
