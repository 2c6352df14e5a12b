"""From application to money on the card: apply, decide, offer the contract, sign, disburse.

Each function is one business operation in one transaction. The decision and the payout are
idempotent: a second call for the same application or loan changes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, col, select

from credit7_web import cards, documents, kyc, otp, pricing, scoring, security, sms_texts, tariff
from credit7_web.clock import Clock
from credit7_web.errors import FormError
from credit7_web.gateways.acquirer import Acquirer
from credit7_web.gateways.bureaus import Bureau, PersonQuery, ask_all
from credit7_web.gateways.sms import SmsGateway
from credit7_web.models import (
    ApplicationStatus,
    Borrower,
    BorrowerStatus,
    Card,
    Loan,
    LoanApplication,
    LoanStatus,
    Operation,
    OperationKind,
    Profile,
)
from credit7_web.money import rub
from credit7_web.settings import Settings
from credit7_web.validators import clean_sms_code, format_date

OPEN_LOAN = (LoanStatus.AWAITING_SIGNATURE, LoanStatus.ACTIVE)


def services_of(codes: object) -> tuple[tariff.ExtraService, ...]:
    """Known extra services from a client's list of codes; anything else is refused."""
    if not isinstance(codes, list | tuple) or len(codes) > len(tariff.EXTRA_SERVICES):
        raise FormError.one("services", "Неизвестная дополнительная услуга")
    chosen = []
    for code in codes:
        if not isinstance(code, str) or code not in tariff.SERVICES_BY_CODE:
            raise FormError.one("services", "Неизвестная дополнительная услуга")
        chosen.append(tariff.SERVICES_BY_CODE[code])
    return tuple(dict.fromkeys(chosen))


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
    """The figures for this borrower's choice, services included; FormError outside the rules."""
    services = services_of(codes)
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
        has_photo=kyc.latest_photo(db, borrower_id) is not None,
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


def apply(
    db: Session, clock: Clock, borrower_id: int, amount_kop: int, term_days: int, codes: object
) -> LoanApplication:
    """File an application; the decision comes from `decide`, a moment later."""
    ready = readiness(db, borrower_id)
    if not ready.ready:
        missing = []
        if not ready.profile_complete:
            missing.append("заполните анкету")
        if not ready.has_photo:
            missing.append("загрузите фото с паспортом")
        if not ready.has_card:
            missing.append("привяжите карту")
        raise FormError.one("", "Перед заявкой: " + ", ".join(missing) + ".")
    if open_application(db, borrower_id) or open_loan(db, borrower_id):
        raise FormError.one("", "У вас уже есть заявка или заём: новый можно оформить после.")
    quote = offer(db, clock, borrower_id, amount_kop, term_days, codes)
    application = LoanApplication(
        borrower_id=borrower_id,
        amount_kop=quote.amount_kop,
        term_days=quote.term_days,
        services=json.dumps([s.code for s in services_of(codes)]),
        first_loan=quote.promo,
        created_at=clock.now(),
        application_date=clock.today(),
    )
    db.add(application)
    db.commit()
    db.refresh(application)
    return application


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


def _history(db: Session, borrower_id: int) -> tuple[int, int, int]:
    """Open loans, loans repaid, loans repaid late — with this lender."""
    loans = db.exec(select(Loan).where(Loan.borrower_id == borrower_id)).all()
    open_count = sum(1 for loan in loans if loan.status in OPEN_LOAN)
    closed = [loan for loan in loans if loan.status == LoanStatus.CLOSED]
    late = sum(
        1
        for loan in closed
        if loan.closed_at and loan.due_date and loan.closed_at.date() > loan.due_date
    )
    return open_count, len(closed), late


def decide(
    db: Session, clock: Clock, settings: Settings, bureaus: list[Bureau], application_id: int
) -> LoanApplication:
    """Score an application; on approval prepare the contract to sign. Runs once per application."""
    application = db.get(LoanApplication, application_id)
    if application is None:
        raise FormError.one("", "Заявка не найдена")
    if application.status != ApplicationStatus.SCORING:
        return application
    profile = db.get(Profile, application.borrower_id)
    if profile is None:
        raise FormError.one("", "Анкета не заполнена")
    services = services_of(json.loads(application.services))
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
    application.score = decision.score
    application.pdn_percent = (
        str(decision.pdn_percent) if decision.pdn_percent is not None else None
    )
    application.decision_log = decision.log_json()
    if not decision.approved:
        application.status = ApplicationStatus.REFUSED
        application.refusal_code = decision.refusal_code
        application.refusal_text = decision.refusal_text
        application.reapply_after = decision.reapply_after
        db.add(application)
        db.commit()
        return application
    _approve(db, clock, settings, application, decision.amount_kop, services)
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
    except FormError:
        # A smaller approved amount may not carry the chosen services under the caps.
        services, services_kop = (), 0
        quote = pricing.quote(
            amount_kop, application.term_days, clock.today(), application.first_loan
        )
    card = cards.active_card(db, application.borrower_id)
    if card is None:
        raise FormError.one("", "Привяжите карту")
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
    pdf = documents.contract_pdf(contract_data(db, loan, quote))
    documents.store_document(
        db,
        clock,
        settings,
        loan.borrower_id,
        loan.id,
        "contract_draft",
        f"Индивидуальные условия договора № {loan.number} (проект)",
        pdf,
        commit=False,
    )
    db.add(loan)
    db.commit()


def contract_data(
    db: Session, loan: Loan, quote: pricing.Quote, signed: bool = False
) -> documents.ContractData:
    """The individual conditions of `loan` as priced by `quote`; `signed` adds the signature."""
    borrower = db.get(Borrower, loan.borrower_id)
    profile = db.get(Profile, loan.borrower_id)
    card = db.get(Card, loan.card_id)
    if borrower is None or profile is None or card is None:
        raise FormError.one("", "Нет данных заёмщика для договора")
    return documents.contract_data(
        number=loan.number,
        signing_date=quote.start,
        borrower=borrower,
        profile=profile,
        offer=quote,
        card_label=cards.card_label(card),
        services=[(s.title, s.price_kop) for s in services_of(json.loads(loan.services))],
        signed_at=loan.signed_at if signed else None,
        signed_phone=loan.signed_phone if signed else None,
    )


def _awaiting(db: Session, borrower_id: int, loan_id: object) -> tuple[Loan, Borrower]:
    """The borrower's contract that waits for a signature, with its borrower."""
    loan = db.get(Loan, loan_id) if isinstance(loan_id, int) else None
    borrower = db.get(Borrower, borrower_id)
    if loan is None or borrower is None or loan.borrower_id != borrower_id:
        raise FormError.one("", "Договор не найден")
    if loan.status != LoanStatus.AWAITING_SIGNATURE:
        raise FormError.one("", "Этот договор уже подписан")
    return loan, borrower


def send_sign_code(
    db: Session,
    clock: Clock,
    settings: Settings,
    sms: SmsGateway,
    borrower_id: int,
    loan_id: object,
) -> None:
    """An SMS code for the simple electronic signature (АСП) of this contract."""
    loan, borrower = _awaiting(db, borrower_id, loan_id)
    code = otp.issue_code(db, clock, settings, borrower.phone, otp.SIGN)
    sms.send(borrower.phone, sms_texts.sign_code(code, loan.number, rub(loan.principal_kop)))
    db.commit()


def sign(
    db: Session,
    clock: Clock,
    settings: Settings,
    acquirer: Acquirer,
    borrower_id: int,
    loan_id: object,
    code: str,
) -> Loan:
    """Check the SMS code, send the money to the bound card, and start the loan today."""
    loan, borrower = _awaiting(db, borrower_id, loan_id)
    code = clean_sms_code(code)  # a malformed code is refused without using up a try
    otp.verify_code(db, clock, settings, borrower.phone, otp.SIGN, code)
    card = cards.active_card(db, borrower_id)
    if card is None or card.id != loan.card_id:
        raise FormError.one("", "Карта для выдачи больше не привязана: привяжите её снова")
    payout = acquirer.payout(f"payout-{loan.number}", card.token, loan.principal_kop)
    if payout.status != "succeeded":
        raise FormError.one("", f"Банк не принял перевод: {payout.failure}")
    today = clock.today()
    loan.status = LoanStatus.ACTIVE
    loan.start_date = today
    loan.due_date = loan.original_due_date = today + timedelta(days=loan.term_days)
    loan.signed_at = clock.now()
    loan.signed_phone = borrower.phone
    loan.signature_code_hash = security.code_hash(
        settings.secret_key, borrower.phone, otp.SIGN, code
    )
    db.add(
        Operation(
            borrower_id=borrower_id,
            loan_id=loan.id,
            kind=OperationKind.DISBURSEMENT,
            amount_kop=loan.principal_kop,
            business_date=today,
            created_at=clock.now(),
            description=f"Выдача займа по договору № {loan.number} на {cards.card_label(card)}",
            external_id=f"payout-{loan.number}",
        )
    )
    quote = pricing.quote(
        loan.principal_kop, loan.term_days, today, loan.first_loan, loan.services_kop
    )
    documents.store_document(
        db,
        clock,
        settings,
        borrower_id,
        loan.id,
        "contract",
        f"Индивидуальные условия договора № {loan.number} от {format_date(today)}",
        documents.contract_pdf(contract_data(db, loan, quote, signed=True)),
        commit=False,
    )
    db.add(loan)
    db.commit()
    return loan
