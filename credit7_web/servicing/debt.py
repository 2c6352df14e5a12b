"""A loan's debt on any date: the one computation the dashboard, documents and payments share.

The core, `debt_on`, works on plain data (`Terms`, `Payment`) so it can be tested by properties;
`loan_debt` reads the same data from the database. Nothing here is stored: debt is always
recomputed from the contract and its payments, day by day, as PRODUCT.md describes:

- day k of the loan is the calendar day start + k (k = 1, 2, …); on the start day nothing accrues;
- each day accrues simple interest on the outstanding principal at the base rate, except while the
  first-loan promo holds;
- the promo holds on days up to the original due date while no prolongation has happened; from the
  first overdue day or from the day after a prolongation on, the base rate runs (never
  retroactively): a promo loan prolonged before its due date pays 0 ₽ of interest that day;
- each prolongation moves the due date to 30 days after the later of the due date then in effect
  and the prolongation day; the prolongation day already lies under the moved due date, so it is
  not overdue (its interest is "accrued to date" for the prolongation payment made that day);
- each overdue day (a day after the due date in effect) adds a penalty on the outstanding principal
  at 20 % a year divided by the days of that calendar year (365 or 366); interest keeps running;
- rounding (PRODUCT.md): interest and penalty are each computed exactly over a *stretch* — a run of
  consecutive days whose base (principal, rate; for the penalty also overdue and one calendar year)
  does not change — and the stretch's sum so far is rounded DOWN to a kopeck
  (`pricing.stretch_kop`); a day's charge is the growth of that rounded sum, so at the end of any
  day of a stretch the charge is never above its legal rate. A prolongation (a new agreement,
  its interest to date paid) starts new stretches from the next day, so the new term's interest
  is never above its rate either;
- interest + penalties + paid services never exceed 100 % of the principal: the day that reaches
  the cap is cut short (its interest first, then its penalty) and nothing accrues afterwards;
- the price of extra services the borrower chose is repaid with the loan (a debt of its own,
  counted under the cap from the first day);
- a payment is applied on its date after that day's accrual in the order of 353-FZ art. 5
  part 20 (PRODUCT.md): before the due date interest, then principal; from the first overdue
  day interest, then principal, then penalty; extra services last. A payment larger than the
  whole debt is applied only up to the debt; the excess is reported as `overpaid_kop` (the
  ledger books it as owed back to the payer);
- once principal, interest, penalty and services are all paid, the loan is closed and nothing
  accrues.

Interest is split for the repayment order: *overdue* interest is unpaid interest whose payment
date has passed — the interest of the term once the due date has gone by unpaid, and all interest
accrued on overdue days; *current* interest is interest accrued before a due date still ahead.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from sqlmodel import Session, col, select

from credit7_web import tariff
from credit7_web.ledger import book
from credit7_web.lending.models import Loan
from credit7_web.lending.pricing import charges_cap_kop, stretch_kop
from credit7_web.servicing.models import Prolongation, ServiceRefusal


@dataclass(frozen=True)
class Payment:
    """Money the borrower paid towards the loan on a business date (positive kopecks)."""

    on: date
    amount_kop: int


@dataclass(frozen=True)
class Terms:
    """What a contract fixes for debt: amounts in kopecks, dates in the Moscow calendar.

    `due` is the due date in effect now (already moved by any prolongations); `original_due` is
    the due date at signing. `prolongations` are the days prolongations happened, in any order;
    each moved the due date by PRODUCT.md's rule (`moved_due`), the last one to `due`.
    """

    principal_kop: int
    start: date
    due: date
    original_due: date
    promo: bool = False
    services_kop: int = 0
    prolongations: tuple[date, ...] = ()
    service_refunds: tuple[Payment, ...] = ()  # refused services' prices given back, by date


@dataclass(frozen=True)
class Debt:
    """The state of a loan at the end of the business day `on` (after that day's payments)."""

    on: date
    due: date  # the due date in effect on `on`
    principal_kop: int  # outstanding principal
    interest_kop: int  # unpaid current interest (its due date is still ahead)
    overdue_interest_kop: int  # unpaid interest whose due date has passed
    penalty_kop: int  # unpaid penalty
    services_kop: int  # unpaid extra services: their price is repaid with the loan
    total_kop: int  # everything to pay today to close the loan
    charges_accrued_kop: int  # interest + penalty ever accrued (services not included)
    interest_accrued_kop: int  # interest ever accrued (what the ledger books as interest income)
    penalty_accrued_kop: int  # penalty ever accrued
    paid_kop: int  # payments applied to the loan
    overpaid_kop: int  # paid beyond the debt, not applied
    days_left: int | None  # days to the due date; None when overdue or closed
    days_overdue: int
    overdue: bool
    capped: bool  # interest + penalty + services reached the 100 % cap; accrual has stopped
    closed: bool  # everything is paid

    @property
    def all_interest_kop(self) -> int:
        """Unpaid interest, current and overdue together."""
        return self.interest_kop + self.overdue_interest_kop


@dataclass(frozen=True)
class ScheduleRow:
    """One payment of the schedule; a payday loan has a single one, on the due date."""

    date: date
    principal_kop: int
    interest_kop: int
    total_kop: int
    penalty_kop: int = 0
    services_kop: int = 0


def days_in_year(day: date) -> int:
    """365 or 366: the penalty's yearly rate is divided by the days of the day's calendar year."""
    return (date(day.year + 1, 1, 1) - date(day.year, 1, 1)).days


def penalty_rate(day: date) -> Fraction:
    """The penalty's daily rate on `day`: 20 % a year over the days of that year."""
    return tariff.PENALTY_RATE_YEAR / days_in_year(day)


class Stretch:
    """One charge accruing over consecutive days with an unchanged base, rounded down as a whole.

    `day_kop` answers one day's charge: the growth of the stretch's rounded-down sum. A new base
    (principal or rate) starts a new stretch; `stop` ends it (a day with nothing to charge).
    """

    def __init__(self) -> None:
        self.base: tuple[int, Fraction, int] | None = None
        self.days = 0
        self.charged = 0

    def day_kop(self, principal_kop: int, rate: Fraction, agreement: int = 0) -> int:
        """`agreement` counts the prolongations before the day: each starts a new stretch."""
        if self.base != (principal_kop, rate, agreement):
            self.stop()
            self.base = (principal_kop, rate, agreement)
        self.days += 1
        total = stretch_kop(principal_kop, rate, self.days)
        charge, self.charged = total - self.charged, total
        return charge

    def stop(self) -> None:
        self.base, self.days, self.charged = None, 0, 0


def moved_due(due: date, prolongation_day: date) -> date:
    """A prolongation's new due date: 30 days after the later of the due date and its day."""
    return max(due, prolongation_day) + timedelta(days=tariff.PROLONGATION_DAYS)


def due_in_effect(terms: Terms, day: date) -> date:
    """The due date that holds on `day`: each prolongation on or before it has moved it."""
    due = terms.original_due
    for prolonged in sorted(terms.prolongations):
        if prolonged <= day:
            due = moved_due(due, prolonged)
    return due


def promo_on(terms: Terms, day: date) -> bool:
    """Whether the first-loan promo rate applies to `day`'s interest: up to the original due
    date, and never after a prolongation day (the prolongation day itself is still free)."""
    return (
        terms.promo and day <= terms.original_due and not any(p < day for p in terms.prolongations)
    )


def _rate(terms: Terms, day: date) -> Fraction:
    return tariff.FIRST_LOAN_PROMO_RATE if promo_on(terms, day) else tariff.DAILY_RATE


class _Ledger:
    """The running balances of one loan while its days are replayed."""

    def __init__(self, terms: Terms) -> None:
        self.principal = terms.principal_kop
        self.current = 0  # current interest
        self.overdue = 0  # overdue interest
        self.penalty = 0
        self.services = terms.services_kop
        self.accrued = 0
        self.interest_accrued = 0
        self.penalty_accrued = 0
        self.room = max(charges_cap_kop(terms.principal_kop) - terms.services_kop, 0)
        self.paid = 0
        self.overpaid = 0

    @property
    def total(self) -> int:
        return self.principal + self.current + self.overdue + self.penalty + self.services

    @property
    def accruing(self) -> bool:
        return self.principal > 0 and self.room > 0

    def fall_due(self) -> None:
        """The due date has passed: current interest is now overdue."""
        self.overdue += self.current
        self.current = 0

    def accrue(self, interest: int, penalty: int, overdue_day: bool) -> None:
        interest = min(interest, self.room)
        self.room -= interest
        penalty = min(penalty, self.room)
        self.room -= penalty
        if overdue_day:
            self.overdue += interest
        else:
            self.current += interest
        self.penalty += penalty
        self.accrued += interest + penalty
        self.interest_accrued += interest
        self.penalty_accrued += penalty

    def refund_service(self, amount: int) -> None:
        """A refused service's price: no longer owed (what was already paid for it goes back to
        the card, outside the debt). The cap's room is not given back: charges only fall."""
        self.services -= min(amount, self.services)

    def pay(self, amount: int, overdue_day: bool) -> None:
        """Apply a payment in the order of 353-FZ art. 5 part 20: overdue interest, overdue
        principal, penalty, current interest, current principal, then extra services. For this
        bullet loan the principal is overdue exactly on an overdue day."""
        applied = min(amount, self.total)
        self.paid += applied
        self.overpaid += amount - applied
        left = applied
        order = ("overdue", "principal", "penalty", "current", "services")
        if not overdue_day:
            order = ("overdue", "penalty", "current", "principal", "services")
        for bucket in order:
            part = min(left, getattr(self, bucket))
            setattr(self, bucket, getattr(self, bucket) - part)
            left -= part


def debt_on(terms: Terms, payments: Iterable[Payment], on: date) -> Debt:
    """The debt at the end of `on`, with every payment dated on or before it applied.

    Payments dated before the start are taken as made on the start day; payments after `on` are
    ignored. Raises ValueError for a date before the start or a payment that is not positive.
    """
    if on < terms.start:
        raise ValueError(f"{on} is before the loan started on {terms.start}")
    by_day: dict[date, int] = {}
    for payment in payments:
        if payment.amount_kop <= 0:
            raise ValueError(f"a payment must be positive, got {payment.amount_kop}")
        if payment.on <= on:
            day = max(payment.on, terms.start)
            by_day[day] = by_day.get(day, 0) + payment.amount_kop
    refunds: dict[date, int] = {}
    for refund in terms.service_refunds:
        if refund.on <= on:
            day = max(refund.on, terms.start)
            refunds[day] = refunds.get(day, 0) + refund.amount_kop

    ledger = _Ledger(terms)

    def settle(day: date, overdue_day: bool) -> None:
        """The day's payments, then its refused services: a refund never turns a payment
        already made into an overpayment; it takes off what is still owed for services."""
        if day in by_day:
            ledger.pay(by_day[day], overdue_day)
        if day in refunds:
            ledger.refund_service(refunds[day])

    interest_stretch, penalty_stretch = Stretch(), Stretch()
    day = terms.start
    settle(day, overdue_day=False)
    while day < on and ledger.accruing:
        day += timedelta(days=1)
        overdue_day = day > due_in_effect(terms, day)
        if overdue_day:
            ledger.fall_due()
            penalty = penalty_stretch.day_kop(ledger.principal, penalty_rate(day))
        else:
            penalty_stretch.stop()
            penalty = 0
        interest = interest_stretch.day_kop(
            ledger.principal, _rate(terms, day), sum(1 for p in terms.prolongations if p < day)
        )
        ledger.accrue(interest, penalty, overdue_day)
        settle(day, overdue_day)
    # Nothing accrues any more (paid off or capped): only later payments change the balances.
    for later in sorted(d for d in by_day.keys() | refunds.keys() if d > day):
        overdue_day = later > due_in_effect(terms, later)
        if overdue_day:
            ledger.fall_due()
        settle(later, overdue_day)

    due = due_in_effect(terms, on)
    closed = ledger.total == 0
    overdue = on > due and not closed
    if overdue:
        ledger.fall_due()
    return Debt(
        on=on,
        due=due,
        principal_kop=ledger.principal,
        interest_kop=ledger.current,
        overdue_interest_kop=ledger.overdue,
        penalty_kop=ledger.penalty,
        services_kop=ledger.services,
        total_kop=ledger.total,
        charges_accrued_kop=ledger.accrued,
        interest_accrued_kop=ledger.interest_accrued,
        penalty_accrued_kop=ledger.penalty_accrued,
        paid_kop=ledger.paid,
        overpaid_kop=ledger.overpaid,
        days_left=None if overdue or closed else (due - on).days,
        days_overdue=(on - due).days if overdue else 0,
        overdue=overdue,
        capped=ledger.room == 0,
        closed=closed,
    )


def schedule(terms: Terms, payments: Sequence[Payment] = ()) -> list[ScheduleRow]:
    """The repayment schedule: one bullet payment on the due date in effect.

    At signing pass no payments: principal plus the term's interest (0 with the promo). For the
    new schedule of a prolongation, pass the payments made so far (interest paid at prolongation).
    """
    debt = debt_on(terms, [p for p in payments if p.on <= terms.due], max(terms.due, terms.start))
    return [
        ScheduleRow(
            date=terms.due,
            principal_kop=debt.principal_kop,
            interest_kop=debt.all_interest_kop,
            total_kop=debt.total_kop,
            penalty_kop=debt.penalty_kop,
            services_kop=debt.services_kop,
        )
    ]


# ----------------------------------------------------------------------------- database


def prolongations_of(db: Session, loan: Loan) -> tuple[date, ...]:
    """The days this loan was prolonged on, from its stored additional agreements."""
    if loan.id is None:
        return ()
    rows = db.exec(
        select(Prolongation.business_date)
        .where(Prolongation.loan_id == loan.id)
        .order_by(col(Prolongation.number))
    )
    return tuple(rows)


def terms_of(
    loan: Loan, prolongations: Sequence[date] = (), refunds: Sequence[Payment] = ()
) -> Terms:
    """The debt terms of a signed loan; raises ValueError for one not yet disbursed."""
    if loan.start_date is None or loan.due_date is None:
        raise ValueError(f"loan {loan.number} has not been disbursed")
    return Terms(
        principal_kop=loan.principal_kop,
        start=loan.start_date,
        due=loan.due_date,
        original_due=loan.original_due_date or loan.due_date,
        promo=loan.first_loan,
        services_kop=loan.services_kop,
        prolongations=tuple(sorted(prolongations)),
        service_refunds=tuple(refunds),
    )


def service_refunds_of(db: Session, loan: Loan) -> tuple[Payment, ...]:
    """The prices of refused services given back so far, by the date each refund was made."""
    if loan.id is None:
        return ()
    rows = db.exec(
        select(ServiceRefusal.refunded_on, ServiceRefusal.refund_kop)
        .where(ServiceRefusal.loan_id == loan.id)
        .where(col(ServiceRefusal.refunded_on).is_not(None))
        .order_by(col(ServiceRefusal.id))
    )
    return tuple(Payment(on, amount) for on, amount in rows if on is not None)


def terms_for(db: Session, loan: Loan) -> Terms:
    """The debt terms of a signed loan as stored: its prolongations and refused services."""
    return terms_of(loan, prolongations_of(db, loan), service_refunds_of(db, loan))


def payments_of(db: Session, loan_id: int) -> list[Payment]:
    """The borrower's payments towards the loan, oldest first, as the ledger holds them."""
    return [Payment(on=p.on, amount_kop=p.amount_kop) for p in book.paid_towards(db, loan_id)]


def loan_debt(db: Session, loan: Loan, on: date) -> Debt:
    """The debt of a disbursed loan at the end of business day `on`."""
    if loan.id is None:
        raise ValueError("the loan is not saved")
    terms = terms_for(db, loan)
    return debt_on(terms, payments_of(db, loan.id), on)
