"""A borrower's file for the console, found by phone: loans, money history, documents, the
identification photo. Read-only, and the passport and СНИЛС are masked before they leave here.
Opening a file is itself recorded in the audit log (who looked at whose data).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from credit7_web.backoffice import audit
from credit7_web.backoffice.identification import full_name
from credit7_web.clock import Clock
from credit7_web.documents import archive
from credit7_web.documents.models import Document
from credit7_web.identity import kyc
from credit7_web.identity.accounts import find_borrower
from credit7_web.identity.fields import clean_phone
from credit7_web.identity.models import Borrower, PassportPhoto, Profile
from credit7_web.ledger import book
from credit7_web.ledger.models import LedgerTransaction
from credit7_web.lending.models import Loan, LoanStatus
from credit7_web.russian import mask_passport, mask_snils
from credit7_web.servicing import debt
from credit7_web.settings import Settings

SHOWN_DIGITS = 4


@dataclass(frozen=True)
class LoanLine:
    loan: Loan
    owed_kop: int | None  # the debt today, for a running loan


@dataclass(frozen=True)
class BorrowerFile:
    borrower: Borrower
    full_name: str
    birth_date: date | None
    passport: str  # masked
    snils: str  # masked
    photo: PassportPhoto | None  # the latest one
    loans: list[LoanLine]
    operations: list[LedgerTransaction]
    documents: list[Document]


def _loans(db: Session, borrower_id: int, today: date) -> list[LoanLine]:
    loans = db.exec(
        select(Loan).where(Loan.borrower_id == borrower_id).order_by(col(Loan.id).desc())
    )
    return [
        LoanLine(loan, debt.loan_debt(db, loan, today).total_kop)
        if loan.status == LoanStatus.ACTIVE
        else LoanLine(loan, None)
        for loan in loans
    ]


def borrower_file(
    db: Session, clock: Clock, operator_id: int, phone_text: str
) -> BorrowerFile | None:
    """The file of the borrower with this phone, or None; Refusal("phone") for a bad number."""
    borrower = find_borrower(db, clean_phone(phone_text))
    if borrower is None or borrower.id is None:
        return None
    audit.record(
        db,
        clock,
        operator_id,
        audit.Action.BORROWER_VIEWED,
        f"borrower:{borrower.id}",
        borrower_id=borrower.id,
    )
    db.commit()
    profile = db.get(Profile, borrower.id)
    return BorrowerFile(
        borrower=borrower,
        full_name=full_name(profile),
        birth_date=profile.birth_date if profile else None,
        passport=mask_passport(profile.passport_series, profile.passport_number) if profile else "",
        snils=mask_snils(profile.snils) if profile else "",
        photo=kyc.latest_photo(db, borrower.id),
        loans=_loans(db, borrower.id, clock.today()),
        operations=book.operations(db, borrower.id),
        documents=archive.documents_of(db, borrower.id),
    )


def document_file(db: Session, settings: Settings, document_id: int) -> bytes | None:
    """Any borrower's document, for an operator (read-only, like the rest of the file)."""
    doc = db.get(Document, document_id)
    if doc is None:
        return None
    found = archive.read_document(db, settings, doc.borrower_id, document_id)
    return found[1] if found else None
