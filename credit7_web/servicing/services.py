"""Refusing an extra service (PRODUCT.md): within 30 days of its purchase, in the cabinet.

`refuse` records the refusal at once and names the day the refund is due: the seventh working
day after it (`work_calendar`). `refund_due`, a periodic job, makes each refund long before that,
as one ledger transaction: the price is taken off what the borrower owes for services, and
whatever of it was already paid goes back to the bound card. The refund is full: no service is
provided before the loan is repaid (the insurances pay out on an event, the report is issued on
request), so none has been used. The debt follows the refund from its date
(`debt.service_refunds_of`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from credit7_web import tariff
from credit7_web.clock import Clock
from credit7_web.errors import Refusal
from credit7_web.gateways.acquirer import Acquirer
from credit7_web.ledger import book
from credit7_web.ledger.models import Account, Kind
from credit7_web.lending import cards, loans
from credit7_web.lending.models import Loan, LoanStatus
from credit7_web.lending.pricing import services_of
from credit7_web.russian import format_date
from credit7_web.servicing import booking, closing, debt
from credit7_web.servicing.models import ServiceRefusal
from credit7_web.settings import Settings
from credit7_web.work_calendar import working_days_after

NOT_FOUND = "Услуга не найдена"


@dataclass(frozen=True)
class Bought:
    """An extra service of the running loan, and where its refusal stands."""

    code: str
    title: str
    price_kop: int
    refuse_until: date  # the last day it may be refused
    refusal: ServiceRefusal | None
    can_refuse: bool


def _running(db: Session, borrower_id: int) -> Loan | None:
    return db.exec(
        select(Loan).where(Loan.borrower_id == borrower_id, Loan.status == LoanStatus.ACTIVE)
    ).first()


def bought(db: Session, clock: Clock, loan: Loan) -> list[Bought]:
    """The loan's services in the order chosen, each with its refusal window and state."""
    if loan.id is None or loan.start_date is None:
        return []
    until = loan.start_date + timedelta(days=tariff.SERVICE_REFUSAL_DAYS)
    refused = {
        r.service: r
        for r in db.exec(select(ServiceRefusal).where(ServiceRefusal.loan_id == loan.id))
    }
    return [
        Bought(
            code=s.code,
            title=s.title,
            price_kop=s.price_kop,
            refuse_until=until,
            refusal=refused.get(s.code),
            can_refuse=s.code not in refused and clock.today() <= until,
        )
        for s in services_of(loan.service_codes)
    ]


def refuse(db: Session, clock: Clock, borrower_id: int, code: object) -> ServiceRefusal:
    """«Отказаться от услуги»: the borrower's running loan, a service bought with it, within 30
    days; its full price is refunded by the seventh working day."""
    loan = _running(db, borrower_id)
    found = bought(db, clock, loan) if loan is not None else []
    chosen = next((b for b in found if b.code == code), None)
    if loan is None or chosen is None:
        raise Refusal.one("", NOT_FOUND)
    if chosen.refusal is not None:
        return chosen.refusal
    if not chosen.can_refuse:
        raise Refusal.one(
            "", f"Отказаться можно было до {format_date(chosen.refuse_until)} включительно"
        )
    row = ServiceRefusal(
        loan_id=loan.id,  # type: ignore[arg-type]
        borrower_id=borrower_id,
        service=chosen.code,
        refund_kop=chosen.price_kop,
        business_date=clock.today(),
        refund_by=working_days_after(clock.today(), tariff.SERVICE_REFUND_WORKING_DAYS),
        created_at=clock.now(),
    )
    try:
        db.add(row)
        db.commit()
    except IntegrityError:  # a double click: the first refusal stands
        db.rollback()
        return db.exec(
            select(ServiceRefusal).where(
                ServiceRefusal.loan_id == loan.id, ServiceRefusal.service == chosen.code
            )
        ).one()
    db.refresh(row)
    return row


def refund_due(db: Session, clock: Clock, settings: Settings, acquirer: Acquirer) -> int:
    """The periodic job: make every refund still owed, once each; how many were made."""
    waiting = db.exec(
        select(ServiceRefusal.id, ServiceRefusal.loan_id)
        .where(col(ServiceRefusal.refunded_on).is_(None))
        .order_by(col(ServiceRefusal.id))
    ).all()
    made = 0
    for refusal_id, loan_id in waiting:
        loan = loans.lock_loan(db, loan_id)
        row = db.get(ServiceRefusal, refusal_id, populate_existing=True)
        if loan is None or row is None or row.refunded_on is not None:
            db.rollback()
            continue
        try:
            _refund(db, clock, settings, acquirer, loan, row)
        except Refusal:
            db.rollback()  # the bank refused the payout: the next run tries again
            continue
        db.commit()
        made += 1
    return made


def _refund(
    db: Session,
    clock: Clock,
    settings: Settings,
    acquirer: Acquirer,
    loan: Loan,
    row: ServiceRefusal,
) -> None:
    """One refund as a ledger transaction: off the services owed, the rest to the card."""
    today = clock.today()
    booking.accrue(db, clock, loan)
    before = debt.loan_debt(db, loan, today)
    row.refunded_on, row.refunded_at = today, clock.now()
    db.add(row)
    db.flush()
    after = debt.loan_debt(db, loan, today)
    off_debt = before.services_kop - after.services_kop
    to_card = row.refund_kop - off_debt
    order = f"service-refund-{row.id}"
    if to_card:
        card = cards.active_card(db, loan.borrower_id)
        paid = acquirer.payout(order, card.token, to_card) if card else None
        if paid is None or paid.status != "succeeded":
            raise Refusal.one("", "Банк не принял возврат")
    title = tariff.SERVICES_BY_CODE[row.service].title
    book.post(
        db,
        clock,
        Kind.SERVICE_REFUND,
        key=f"service-refund:{row.id}",
        borrower_id=loan.borrower_id,
        loan_id=loan.id,
        lines=[
            book.Line(Account.SERVICES_INCOME, row.refund_kop),
            book.Line(Account.SERVICES, -off_debt),
            book.Line(Account.ACQUIRER, -to_card),
        ],
        description=f"Возврат за услугу «{title}» по договору № {loan.number}",
        amount_kop=row.refund_kop,
        external_id=order if to_card else None,
    )
    if after.closed and loan.status == LoanStatus.ACTIVE:  # the service was all that was left
        loan.status = LoanStatus.CLOSED
        loan.closed_at, loan.closed_on = clock.now(), today
        db.add(loan)
        db.flush()
        closing.issue_closing(db, clock, settings, loan)
