"""The individual conditions of a loan as a PDF: the draft offered with the approval, then the
signed copy. Both are drawn from the same records, so what was read is what was signed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlmodel import Session

from credit7_web.clock import Clock
from credit7_web.documents import archive, contract
from credit7_web.documents.models import Document, DocumentKind
from credit7_web.errors import Refusal
from credit7_web.identity.models import Borrower, Profile
from credit7_web.lending import pricing
from credit7_web.lending.models import Card, Loan
from credit7_web.russian import format_card, format_date
from credit7_web.settings import Settings


def profile_name(profile: Profile) -> str:
    parts = [profile.last_name, profile.first_name, profile.middle_name]
    return " ".join(p for p in parts if p)


def build_conditions(
    *,
    number: str,
    signing_date: date,
    borrower: Borrower,
    profile: Profile,
    offer: pricing.Quote,
    card_label: str,
    services: Sequence[tuple[str, int]] = (),
    signed_at: datetime | None = None,
    signed_phone: str | None = None,
) -> contract.ContractData:
    """ContractData from the borrower's records and the priced offer (`pricing.quote`).

    Raises ValueError when the questionnaire lacks a field the contract must print.
    """
    required = {
        "last_name": profile.last_name,
        "first_name": profile.first_name,
        "birth_date": profile.birth_date,
        "passport_series": profile.passport_series,
        "passport_number": profile.passport_number,
        "passport_issue_date": profile.passport_issue_date,
        "passport_issuer": profile.passport_issuer,
        "passport_division_code": profile.passport_division_code,
        "reg_address": profile.reg_address,
    }
    missing = [name for name, value in required.items() if not value]
    birth, issued = profile.birth_date, profile.passport_issue_date
    if missing or birth is None or issued is None:
        raise ValueError(f"the questionnaire lacks {', '.join(missing)}")
    return contract.ContractData(
        number=number,
        signing_date=signing_date,
        full_name=profile_name(profile),
        birth_date=birth,
        passport_series=profile.passport_series or "",
        passport_number=profile.passport_number or "",
        passport_issue_date=issued,
        passport_issuer=profile.passport_issuer or "",
        passport_division_code=profile.passport_division_code or "",
        reg_address=profile.reg_address or "",
        phone=borrower.phone,
        email=profile.email,
        amount_kop=offer.amount_kop,
        term_days=offer.term_days,
        start_date=offer.start,
        due_date=offer.due_date,
        promo=offer.promo,
        interest_kop=offer.interest_kop,
        total_kop=offer.total_kop,
        psk_percent=offer.psk_percent,
        psk_kop=offer.psk_rub_kop,
        services=tuple(services),
        card_label=card_label,
        signed_at=signed_at,
        signed_phone=signed_phone,
    )


def conditions(
    db: Session, loan: Loan, quote: pricing.Quote, signed: bool = False
) -> contract.ContractData:
    """The individual conditions of `loan` as priced by `quote`; `signed` adds the signature."""
    borrower = db.get(Borrower, loan.borrower_id)
    profile = db.get(Profile, loan.borrower_id)
    card = db.get(Card, loan.card_id)
    if borrower is None or profile is None or card is None:
        raise Refusal.one("", "Нет данных заёмщика для договора")
    return build_conditions(
        number=loan.number,
        signing_date=quote.start,
        borrower=borrower,
        profile=profile,
        offer=quote,
        card_label=format_card(card.masked),
        services=[(s.title, s.price_kop) for s in pricing.services_of(loan.service_codes)],
        signed_at=loan.signed_at if signed else None,
        signed_phone=loan.signed_phone if signed else None,
    )


def issue(
    db: Session, clock: Clock, settings: Settings, loan: Loan, quote: pricing.Quote, kind: str
) -> Document:
    """Draw and file the draft (`CONTRACT_DRAFT`) or the signed copy (`CONTRACT`); no commit."""
    if loan.id is None:
        raise ValueError("the loan is not saved")
    signed = kind == DocumentKind.CONTRACT
    title = f"Индивидуальные условия договора № {loan.number}"
    title += f" от {format_date(quote.start)}" if signed else " (проект)"
    return archive.store_document(
        db,
        clock,
        settings,
        loan.borrower_id,
        loan.id,
        kind,
        title,
        contract.contract_pdf(conditions(db, loan, quote, signed=signed)),
        commit=False,
    )
