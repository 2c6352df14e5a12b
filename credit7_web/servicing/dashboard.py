"""What the cabinet shows a borrower today: the running loan and its debt, what is pending, the
last refusal, the documents and the history of operations. One read, for one borrower, on the
business date."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import cache, lru_cache
from weakref import WeakKeyDictionary

from sqlalchemy import Select, bindparam, func, true
from sqlmodel import Session, col, select

from credit7_web.clock import Clock
from credit7_web.documents import archive
from credit7_web.documents.models import Document, DocumentKind
from credit7_web.identity.models import Borrower, Profile
from credit7_web.ledger import book
from credit7_web.ledger.models import LedgerTransaction
from credit7_web.lending import applications
from credit7_web.lending.applications import OPEN_LOAN
from credit7_web.lending.models import ApplicationStatus, Loan, LoanApplication, LoanStatus
from credit7_web.servicing import debt, payments, prolongation, services
from credit7_web.servicing.models import PaymentAttempt, Prolongation, ServiceRefusal


@dataclass(frozen=True)
class RunningLoan:
    """A disbursed loan on the business date: its debt, schedule, whether the promo holds and
    whether PRODUCT.md allows prolonging it today."""

    loan: Loan
    debt: debt.Debt
    schedule: list[debt.ScheduleRow]
    promo: bool
    can_prolong: bool = False
    services: list[services.Bought] = field(default_factory=list)


@dataclass(frozen=True)
class Dashboard:
    borrower: Borrower
    profile: Profile | None
    today: date
    awaiting: ApplicationStatus | LoanStatus | None  # an application or contract not done yet
    running: RunningLoan | None
    refused: LoanApplication | None  # the newest application, when it was refused
    documents: list[Document]  # a draft contract only until its signed copy is issued
    operations: list[LedgerTransaction]
    payment: PaymentAttempt | None = None  # the payment the borrower just came back from
    disburse_after: datetime | None = None  # a signed loan in its cooling-off: paid out then


COOLING_OFF = LoanStatus.COOLING_OFF


def dashboard(
    db: Session, clock: Clock, borrower: Borrower, payment_order: object = None
) -> Dashboard:
    if borrower.id is None:
        raise ValueError("the borrower is not saved")
    today = clock.today()
    loan = applications.open_loan(db, borrower.id)
    application = applications.latest_application(db, borrower.id)
    awaiting: ApplicationStatus | LoanStatus | None = None
    refused = (
        application if application and application.status == ApplicationStatus.REFUSED else None
    )
    if application and application.status == ApplicationStatus.SCORING:
        awaiting = ApplicationStatus.SCORING
    elif loan is not None and loan.status in (LoanStatus.AWAITING_SIGNATURE, COOLING_OFF):
        awaiting = LoanStatus(loan.status)
    return Dashboard(
        borrower=borrower,
        profile=db.get(Profile, borrower.id),
        today=today,
        awaiting=awaiting,
        running=_running(db, clock, loan) if loan and loan.status == LoanStatus.ACTIVE else None,
        refused=refused if loan is None else None,
        disburse_after=loan.disburse_after if awaiting == COOLING_OFF and loan else None,
        documents=_current(archive.documents_of(db, borrower.id)),
        operations=book.operations(db, borrower.id),
        payment=payments.own_attempt(db, borrower.id, payment_order) if payment_order else None,
    )


def _current(documents: list[Document]) -> list[Document]:
    """Leave out a draft contract once the same loan's signed copy exists: it is superseded."""
    signed = {d.loan_id for d in documents if d.kind == DocumentKind.CONTRACT}
    return [
        d for d in documents if d.kind != DocumentKind.CONTRACT_DRAFT or d.loan_id not in signed
    ]


def _running(db: Session, clock: Clock, loan: Loan) -> RunningLoan:
    today = clock.today()
    terms = debt.terms_for(db, loan)
    payments = tuple(debt.payments_of(db, loan.id))  # type: ignore[arg-type]
    owed, schedule, promo = _position(terms, payments, today)
    return RunningLoan(
        loan=loan,
        debt=owed,
        schedule=list(schedule),
        promo=promo,
        can_prolong=prolongation.refusal(terms, owed) is None,
        services=services.bought(db, clock, loan),
    )


@lru_cache(maxsize=4096)
def _position(
    terms: debt.Terms, payments: tuple[debt.Payment, ...], today: date
) -> tuple[debt.Debt, tuple[debt.ScheduleRow, ...], bool]:
    """The debt, schedule and promo of a loan: a pure computation, the same for a borrower
    until a payment, a prolongation, a refund or the date changes, so each tab's reload reuses
    it."""
    return (
        debt.debt_on(terms, payments, today),
        tuple(debt.schedule(terms, payments)),  # what is left to pay on the due date
        debt.promo_on(terms, today),
    )


CACHED_BORROWERS = 4096

# per database: borrower id -> (the version the dashboard was read at, the dashboard)
_kept: WeakKeyDictionary[object, OrderedDict[int, tuple[tuple, Dashboard]]] = WeakKeyDictionary()


def current_dashboard(
    db: Session, clock: Clock, borrower: Borrower, payment_order: object = None
) -> Dashboard:
    """`dashboard`, kept per borrower: a reload that finds the same version (`_version_query`)
    and business date reuses the one read before, for one cheap query instead of seven."""
    if borrower.id is None:
        raise ValueError("the borrower is not saved")
    today = clock.today()
    # Core, not the ORM: a plain row of values, no entities
    version = (
        today,
        *db.connection().execute(_version_query(), {"borrower_id": borrower.id}).one(),
    )
    kept = _kept.setdefault(db.get_bind(), OrderedDict())  # ids repeat in another database
    cached = kept.get(borrower.id)
    if cached is not None and cached[0] == version:
        kept.move_to_end(borrower.id)
        view = replace(cached[1], borrower=borrower)
    else:
        view = dashboard(db, clock, borrower)
        _detach(db, view)
        kept[borrower.id] = (version, view)
        if len(kept) > CACHED_BORROWERS:
            kept.popitem(last=False)
    if payment_order:
        view = replace(view, payment=payments.own_attempt(db, borrower.id, payment_order))
    return view


def _detach(db: Session, view: Dashboard) -> None:
    """The kept view outlives this session: its rows must not expire with the session's next
    commit (a detached expired row cannot be read)."""
    running = view.running
    loan = running.loan if running else None
    refusals = [s.refusal for s in running.services] if running else []
    for row in (view.profile, view.refused, loan, *refusals, *view.documents, *view.operations):
        if row is not None and row in db:
            db.expunge(row)


@cache
def _version_query() -> Select:
    """Everything the dashboard is read from that can change, in one row: the newest ledger
    transaction (a payment, an accrual, a prolongation), the documents, the refused services
    and their refunds, the prolongations, the newest application
    and its status, the open loan's whole row and the name it greets by. The ledger and the
    documents only grow, so their newest id and count say whether they changed. A new source of
    the dashboard must be added here, or a reload shows it stale."""
    borrower_id = bindparam("borrower_id")

    def newest(column, where) -> object:
        return select(func.max(column)).where(where).scalar_subquery()

    def count(table, where) -> object:
        return select(func.count()).select_from(table).where(where).scalar_subquery()

    latest = (
        select(LoanApplication.id, LoanApplication.status)
        .where(LoanApplication.borrower_id == borrower_id)
        .order_by(col(LoanApplication.id).desc())
        .limit(1)
        .subquery()
    )
    loan = (
        select(*Loan.__table__.c)  # type: ignore[attr-defined]
        .where(Loan.borrower_id == borrower_id, col(Loan.status).in_(OPEN_LOAN))
        .order_by(col(Loan.id).desc())
        .limit(1)
        .subquery()
    )
    return (
        select(
            newest(LedgerTransaction.id, LedgerTransaction.borrower_id == borrower_id),
            count(LedgerTransaction, LedgerTransaction.borrower_id == borrower_id),
            newest(Document.id, Document.borrower_id == borrower_id),
            count(Document, Document.borrower_id == borrower_id),
            count(ServiceRefusal, ServiceRefusal.borrower_id == borrower_id),
            count(
                ServiceRefusal,
                (ServiceRefusal.borrower_id == borrower_id)
                & col(ServiceRefusal.refunded_at).is_not(None),
            ),
            select(func.count())
            .select_from(Prolongation)
            .join(Loan, col(Loan.id) == col(Prolongation.loan_id))
            .where(Loan.borrower_id == borrower_id)
            .scalar_subquery(),
            latest.c.id,
            latest.c.status,
            *loan.c,
            Profile.first_name,
            Profile.middle_name,
        )
        .select_from(Borrower)
        .outerjoin(latest, true())
        .outerjoin(loan, true())
        .outerjoin(Profile, col(Profile.borrower_id) == col(Borrower.id))
        .where(Borrower.id == borrower_id)
    )
