"""From application to an offer: readiness, apply, the automatic decision, the draft contract.

Each function is one business operation in one transaction. The decision is idempotent: a
second call for the same application changes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select, update

from credit7_web import tariff
from credit7_web.clock import Clock, moscow_date
from credit7_web.documents import archive
from credit7_web.documents.models import DocumentKind
from credit7_web.errors import Refusal
from credit7_web.gateways.bureaus import Bureau, PersonQuery, ask_all
from credit7_web.gateways.jobs import Jobs
from credit7_web.gateways.sms import SmsGateway
from credit7_web.identity import kyc
from credit7_web.identity.models import Borrower, BorrowerStatus, Profile
from credit7_web.lending import cards, contracts, pricing, scoring
from credit7_web.lending.models import ApplicationStatus, Loan, LoanApplication, LoanStatus
from credit7_web.messages import texts
from credit7_web.money import rub
from credit7_web.settings import Settings

OPEN_LOAN = (LoanStatus.AWAITING_SIGNATURE, LoanStatus.COOLING_OFF, LoanStatus.ACTIVE)
ONE_AT_A_TIME = "У вас уже есть заявка или заём: новый можно оформить после."


def is_first_loan(db: Session, borrower_id: int) -> bool:
    """The promo is for a borrower who has never received money from us."""
    signed = db.exec(
        select(Loan.id).where(
            Loan.borrower_id == borrower_id,
            col(Loan.status).in_([LoanStatus.ACTIVE, LoanStatus.CLOSED]),
        )
    ).first()
    return signed is None


def offer(
    db: Session, clock: Clock, borrower_id: int, amount_kop: int, term_days: int, codes: object
) -> pricing.Quote:
    """The figures for this borrower's choice, services included; Refusal outside the rules."""
    services = pricing.services_of(codes)
    return pricing.quote(
        amount_kop,
        term_days,
        clock.today(),
        is_first_loan(db, borrower_id),
        sum(s.price_kop for s in services),
    )


def remember_choice(db: Session, borrower_id: int, amount_kop: int, term_days: int) -> None:
    """Keep what the borrower picked on the calculator for the application form."""
    borrower = db.get(Borrower, borrower_id)
    if borrower is None:
        return
    borrower.requested_amount_kop, borrower.requested_term_days = amount_kop, term_days
    db.add(borrower)
    db.commit()


@dataclass(frozen=True)
class Readiness:
    """What is still missing before a first application."""

    profile_complete: bool
    has_photo: bool
    has_card: bool

    @property
    def ready(self) -> bool:
        return self.profile_complete and self.has_photo and self.has_card


def readiness(db: Session, borrower_id: int) -> Readiness:
    borrower = db.get(Borrower, borrower_id)
    return Readiness(
        profile_complete=borrower is not None and borrower.status == BorrowerStatus.ACTIVE,
        has_photo=kyc.usable_photo(db, borrower_id) is not None,
        has_card=cards.active_card(db, borrower_id) is not None,
    )


def open_application(db: Session, borrower_id: int) -> LoanApplication | None:
    return db.exec(
        select(LoanApplication)
        .where(LoanApplication.borrower_id == borrower_id)
        .where(LoanApplication.status == ApplicationStatus.SCORING)
    ).first()


def open_loan(db: Session, borrower_id: int) -> Loan | None:
    return db.exec(
        select(Loan).where(Loan.borrower_id == borrower_id, col(Loan.status).in_(OPEN_LOAN))
    ).first()


def latest_application(db: Session, borrower_id: int) -> LoanApplication | None:
    return db.exec(
        select(LoanApplication)
        .where(LoanApplication.borrower_id == borrower_id)
        .order_by(col(LoanApplication.id).desc())
    ).first()


def price_choice(
    db: Session, clock: Clock, borrower_id: int, amount_kop: int, term_days: int, codes: object
) -> pricing.PricedChoice:
    """This borrower's choice priced today, with the services that would still fit."""
    return pricing.price_choice(
        amount_kop, term_days, clock.today(), is_first_loan(db, borrower_id), codes
    )


class Stage(StrEnum):
    """Where the borrower's way to a loan stands."""

    PREPARE = "prepare"  # photo or card still missing
    FORM = "form"  # ready to choose and apply
    SCORING = "scoring"  # the decision is being made
    REFUSED = "refused"  # refused, and a new application must wait
    OFFER = "offer"  # approved: the contract waits for a signature
    SIGNED = "signed"  # the loan is running: the cabinet shows it


@dataclass(frozen=True)
class Offer:
    """An approved contract waiting for the signature, priced for signing today."""

    loan: Loan
    quote: pricing.Quote
    why_less: str | None  # the decision's words when it approved less than asked
    draft_document_id: int | None


@dataclass(frozen=True)
class Progress:
    stage: Stage
    ready: Readiness
    first_loan: bool = True
    latest: LoanApplication | None = None  # the newest application, whatever became of it
    refused: LoanApplication | None = None
    offer: Offer | None = None


def progress(db: Session, clock: Clock, borrower_id: int) -> Progress:
    """The borrower's stage on the way to a loan, and what that stage shows."""
    ready = readiness(db, borrower_id)
    latest = latest_application(db, borrower_id)
    loan = open_loan(db, borrower_id)
    if loan is not None and loan.status == LoanStatus.ACTIVE:
        return Progress(Stage.SIGNED, ready, latest=latest)
    if loan is not None:
        return Progress(Stage.OFFER, ready, latest=latest, offer=_offer(db, clock, loan))
    if latest and latest.status == ApplicationStatus.SCORING:
        return Progress(Stage.SCORING, ready, latest=latest)
    if (
        latest
        and latest.status == ApplicationStatus.REFUSED
        and latest.reapply_after
        and latest.reapply_after > clock.today()
    ):
        return Progress(Stage.REFUSED, ready, latest=latest, refused=latest)
    stage = Stage.FORM if ready.has_photo and ready.has_card else Stage.PREPARE
    return Progress(stage, ready, first_loan=is_first_loan(db, borrower_id), latest=latest)


def _offer(db: Session, clock: Clock, loan: Loan) -> Offer:
    draft = next(
        (
            d
            for d in archive.documents_of(db, loan.borrower_id, loan.id)
            if d.kind == DocumentKind.CONTRACT_DRAFT
        ),
        None,
    )
    quote = pricing.quote(
        loan.principal_kop, loan.term_days, clock.today(), loan.first_loan, loan.services_kop
    )
    application = db.get(LoanApplication, loan.application_id)
    why_less = application.offer_text if application else None
    return Offer(loan, quote, why_less, draft.id if draft else None)


def apply(
    db: Session,
    clock: Clock,
    jobs: Jobs,
    borrower_id: int,
    amount_kop: int,
    term_days: int,
    codes: object,
) -> LoanApplication:
    """File an application and start its decision as a job (`decide`), which runs whether or
    not the borrower's tab stays open."""
    ready = readiness(db, borrower_id)
    if not ready.ready:
        missing = []
        if not ready.profile_complete:
            missing.append("заполните анкету")
        if not ready.has_photo:
            missing.append("загрузите фото с паспортом")
        if not ready.has_card:
            missing.append("привяжите карту")
        raise Refusal.one("", "Перед заявкой: " + ", ".join(missing) + ".")
    if open_application(db, borrower_id) or open_loan(db, borrower_id):
        raise Refusal.one("", ONE_AT_A_TIME)
    quote = offer(db, clock, borrower_id, amount_kop, term_days, codes)
    application = LoanApplication(
        borrower_id=borrower_id,
        amount_kop=quote.amount_kop,
        term_days=quote.term_days,
        services=json.dumps([s.code for s in pricing.services_of(codes)]),
        first_loan=quote.promo,
        created_at=clock.now(),
        application_date=clock.today(),
    )
    db.add(application)
    try:
        db.commit()
    except IntegrityError:  # a parallel application got in first (one in scoring per borrower)
        db.rollback()
        raise Refusal.one("", ONE_AT_A_TIME) from None
    db.refresh(application)
    jobs.decide(application.id or 0)
    return application


def scoring_applications(db: Session, filed_before: datetime | None = None) -> list[int]:
    """Applications still waiting for their decision, oldest first (for the sweep)."""
    query = select(LoanApplication.id).where(LoanApplication.status == ApplicationStatus.SCORING)
    if filed_before is not None:
        query = query.where(LoanApplication.created_at < filed_before)
    return [i for i in db.exec(query.order_by(col(LoanApplication.id))) if i is not None]


def _claim(db: Session, application: LoanApplication) -> bool:
    """Take the application for this decision, in the transaction that records it: of two runs
    at once (a job retried after a crash, the sweep), one writes and the other finds it taken."""
    taken = db.connection().execute(
        update(LoanApplication)
        .where(
            col(LoanApplication.id) == application.id,
            col(LoanApplication.status) == ApplicationStatus.SCORING,
        )
        .values(decided_at=application.decided_at)
    )
    if taken.rowcount == 1:
        return True
    db.rollback()
    return False


def _person(profile: Profile) -> PersonQuery:
    return PersonQuery(
        last_name=profile.last_name or "",
        first_name=profile.first_name or "",
        middle_name=profile.middle_name,
        birth_date=profile.birth_date,  # type: ignore[arg-type]
        passport_series=profile.passport_series or "",
        passport_number=profile.passport_number or "",
        snils=profile.snils or "",
    )


def _repaid_late(loan: Loan) -> bool:
    """Judged by Moscow dates: the business date it was paid off, or the Moscow date of the
    instant it was closed (a UTC date would count 00:30 Moscow time as the day before)."""
    closed_on = loan.closed_on or (moscow_date(loan.closed_at) if loan.closed_at else None)
    return closed_on is not None and loan.due_date is not None and closed_on > loan.due_date


def _history(db: Session, borrower_id: int) -> tuple[int, int, int]:
    """Open loans, loans repaid, loans repaid late — with this lender."""
    loans = db.exec(select(Loan).where(Loan.borrower_id == borrower_id)).all()
    open_count = sum(1 for loan in loans if loan.status in OPEN_LOAN)
    closed = [loan for loan in loans if loan.status == LoanStatus.CLOSED]
    late = sum(1 for loan in closed if _repaid_late(loan))
    return open_count, len(closed), late


def decide(
    db: Session,
    clock: Clock,
    settings: Settings,
    bureaus: list[Bureau],
    sms: SmsGateway,
    application_id: int,
) -> LoanApplication:
    """Score an application; on approval prepare the contract to sign; tell the borrower by SMS.
    Decides once per application, however many times it runs and whether runs overlap."""
    application = db.get(LoanApplication, application_id, populate_existing=True)
    if application is None:
        raise Refusal.one("", "Заявка не найдена")
    if application.status != ApplicationStatus.SCORING:
        return application
    profile = db.get(Profile, application.borrower_id)
    borrower = db.get(Borrower, application.borrower_id)
    if profile is None or borrower is None:
        raise Refusal.one("", "Анкета не заполнена")
    services = pricing.services_of(application.service_codes)
    services_kop = sum(s.price_kop for s in services)
    open_count, repaid, late = _history(db, application.borrower_id)
    decision = scoring.decide(
        scoring.ScoringInput(
            today=application.application_date,
            amount_kop=application.amount_kop,
            term_days=application.term_days,
            first_loan=application.first_loan,
            birth_date=profile.birth_date,
            citizenship=profile.citizenship,
            reg_address=profile.reg_address,
            passport_series=profile.passport_series,
            passport_number=profile.passport_number,
            passport_issue_date=profile.passport_issue_date,
            passport_division_code=profile.passport_division_code,
            snils=profile.snils,
            monthly_income_kop=profile.monthly_income_kop,
            employer=profile.employer,
            position=profile.position,
            dependants=profile.dependants,
            family_status=profile.family_status,
            open_loans_with_us=open_count,
            loans_repaid_with_us=repaid,
            loans_repaid_late_with_us=late,
            bureau_reports=ask_all(bureaus, _person(profile)),
            extra_services_kop=services_kop,
        )
    )
    application.decided_at = clock.now()
    if not _claim(db, application):
        return db.get(LoanApplication, application_id, populate_existing=True) or application
    application.score = decision.score
    application.pdn_percent = (
        str(decision.pdn_percent) if decision.pdn_percent is not None else None
    )
    application.decision_log = decision.log_json()
    application.offer_text = decision.offer_text
    if not decision.approved:
        application.status = ApplicationStatus.REFUSED
        application.refusal_code = decision.refusal_code
        application.refusal_text = decision.refusal_text
        application.reapply_after = decision.reapply_after
        db.add(application)
        sms.send(borrower.phone or "", texts.application_refused())
        db.commit()
        return application
    _approve(db, clock, settings, application, decision.amount_kop, services)  # no commit
    sms.send(borrower.phone or "", texts.application_approved(rub(decision.amount_kop)))
    db.commit()
    return application


def _approve(
    db: Session,
    clock: Clock,
    settings: Settings,
    application: LoanApplication,
    amount_kop: int,
    services: tuple[tariff.ExtraService, ...],
) -> None:
    services_kop = sum(s.price_kop for s in services)
    try:
        quote = pricing.quote(
            amount_kop,
            application.term_days,
            clock.today(),
            application.first_loan,
            services_kop,
        )
    except Refusal:
        # A smaller approved amount may not carry the chosen services under the caps.
        services, services_kop = (), 0
        quote = pricing.quote(
            amount_kop, application.term_days, clock.today(), application.first_loan
        )
    card = cards.active_card(db, application.borrower_id)
    if card is None:
        raise Refusal.one("", "Привяжите карту")
    application.status = ApplicationStatus.APPROVED
    application.approved_amount_kop = amount_kop
    loan = Loan(
        borrower_id=application.borrower_id,
        application_id=application.id,  # type: ignore[arg-type]
        number="",
        principal_kop=amount_kop,
        term_days=application.term_days,
        first_loan=application.first_loan,
        services=json.dumps([s.code for s in services]),
        services_kop=services_kop,
        psk_percent=str(quote.psk_percent),
        psk_kop=quote.psk_rub_kop,
        card_id=card.id,  # type: ignore[arg-type]
        created_at=clock.now(),
    )
    db.add(application)
    db.add(loan)
    db.flush()
    loan.number = f"C7-{clock.today():%Y}-{loan.id:06d}"
    contracts.issue(db, clock, settings, loan, quote, DocumentKind.CONTRACT_DRAFT)
    db.add(loan)
