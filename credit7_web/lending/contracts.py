"""The individual conditions of a loan as a PDF: the draft offered with the approval, then the
signed copy. Both are drawn from the same records, so what was read is what was signed."""

from __future__ import annotations

from sqlmodel import Session

from credit7_web.clock import Clock
from credit7_web.documents import archive, contract
from credit7_web.documents.models import Document, DocumentKind
from credit7_web.errors import Refusal
from credit7_web.identity.models import Borrower, Profile
from credit7_web.lending import cards, pricing
from credit7_web.lending.models import Card, Loan
from credit7_web.russian import format_date
from credit7_web.settings import Settings


def conditions(
    db: Session, loan: Loan, quote: pricing.Quote, signed: bool = False
) -> contract.ContractData:
    """The individual conditions of `loan` as priced by `quote`; `signed` adds the signature."""
    borrower = db.get(Borrower, loan.borrower_id)
    profile = db.get(Profile, loan.borrower_id)
    card = db.get(Card, loan.card_id)
    if borrower is None or profile is None or card is None:
        raise Refusal.one("", "Нет данных заёмщика для договора")
    return contract.conditions(
        number=loan.number,
        signing_date=quote.start,
        borrower=borrower,
        profile=profile,
        offer=quote,
        card_label=cards.card_label(card),
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
