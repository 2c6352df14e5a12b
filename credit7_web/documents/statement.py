"""«Справка о погашении»: the PDF that says a loan is paid off and nothing more is owed."""

from __future__ import annotations

from datetime import date, datetime

from fpdf import FPDF
from sqlmodel import Session

from credit7_web.clock import Clock, to_moscow
from credit7_web.documents import archive
from credit7_web.documents.contract import FONTS
from credit7_web.documents.models import Document, DocumentKind
from credit7_web.identity.models import Profile
from credit7_web.ledger import book
from credit7_web.lender import Lender
from credit7_web.lending.models import Loan
from credit7_web.money import rub
from credit7_web.russian import format_date
from credit7_web.settings import Settings


def closing_pdf(
    lender: Lender,
    number: str,
    name: str,
    signed_on: date,
    closed_on: date,
    paid_kop: int,
    issued_at: datetime,
) -> bytes:
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_creation_date(to_moscow(issued_at))  # the same data make the same bytes
    pdf.set_title(f"Справка о погашении займа № {number}")
    pdf.set_lang("ru")
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 9)
    pdf.multi_cell(0, 5, lender.requisites, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    pdf.set_font("DejaVu", "B", 16)
    pdf.cell(0, 10, "Справка о погашении займа", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("DejaVu", "", 11)
    pdf.multi_cell(
        0,
        7,
        f"{lender.name} подтверждает, что заёмщик {name} полностью исполнил обязательства по "
        f"договору займа № {number} от {format_date(signed_on)}. Заём погашен "
        f"{format_date(closed_on)}; всего по договору уплачено {rub(paid_kop)}. "
        "Задолженности по договору нет, претензий к заёмщику кредитор не имеет.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(6)
    issued = format_date(to_moscow(issued_at).date())
    pdf.cell(0, 7, f"Дата выдачи справки: {issued}", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 7, f"Телефон: {lender.hotline}, документы: {lender.docs_email}")
    return bytes(pdf.output())


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
