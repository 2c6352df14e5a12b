"""«Справка о погашении»: the PDF that says a loan is paid off and nothing more is owed."""

from __future__ import annotations

from datetime import date, datetime

from fpdf import FPDF

from credit7_web.clock import to_moscow
from credit7_web.documents.contract import FONTS
from credit7_web.lender import Lender
from credit7_web.money import rub
from credit7_web.russian import format_date


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
