"""Closing a paid-off loan's file: «Справка о погашении» issued into the documents, in the
transaction that took the last kopeck (`documents.statement` draws the PDF)."""

from __future__ import annotations

from sqlmodel import Session

from credit7_web.clock import Clock
from credit7_web.documents import archive
from credit7_web.documents.models import Document, DocumentKind
from credit7_web.documents.statement import closing_pdf
from credit7_web.identity.models import Profile
from credit7_web.ledger import book
from credit7_web.lending.models import Loan
from credit7_web.settings import Settings


def issue_closing(db: Session, clock: Clock, settings: Settings, loan: Loan) -> Document:
    """File the closing statement of a loan just paid off, in the caller's transaction."""
    if loan.id is None or loan.start_date is None or loan.closed_on is None:
        raise ValueError("only a disbursed, closed loan has a closing statement")
    profile = db.get(Profile, loan.borrower_id)
    parts = [profile.last_name, profile.first_name, profile.middle_name] if profile else []
    name = " ".join(p for p in parts if p) or "—"
    paid = debt_paid(db, loan)
    pdf = closing_pdf(
        settings.lender, loan.number, name, loan.start_date, loan.closed_on, paid, clock.now()
    )
    return archive.store_document(
        db,
        clock,
        settings,
        loan.borrower_id,
        loan.id,
        DocumentKind.CLOSING,
        f"Справка о погашении займа № {loan.number}",
        pdf,
        commit=False,
    )


def debt_paid(db: Session, loan: Loan) -> int:
    return sum(p.amount_kop for p in book.paid_towards(db, loan.id))  # type: ignore[arg-type]
