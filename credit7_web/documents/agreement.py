"""«Дополнительное соглашение № N» to a loan contract: a prolongation as a PDF.

In the contract's style (`contract.py`): the new ПСК in the framed box in the upper right corner
of page one, a numbered table of what changes (the new due date, what was paid for it, the end of
the first-loan promo), the new schedule, and the SMS-code signature.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from credit7_web import tariff
from credit7_web.documents.contract import (
    BODY_PT,
    LENDER_NAME,
    MARGIN,
    PSK_BOX,
    TOP,
    DocumentPdf,
    document_date,
    psk_box,
    schedule_table,
    section,
    table_of_conditions,
)
from credit7_web.money import rub
from credit7_web.russian import daily_rate_text, days, format_date, format_phone


@dataclass(frozen=True)
class AgreementData:
    """Everything the additional agreement prints; money in kopecks, phones 10 digits."""

    number: int
    contract_number: str
    contract_date: date
    on: date  # the prolongation day
    full_name: str
    previous_due: date
    new_due: date
    principal_kop: int
    paid_interest_kop: int
    paid_penalty_kop: int
    new_interest_kop: int
    services_kop: int
    new_total_kop: int
    psk_percent: Decimal
    promo_ends: bool
    signed_at: datetime
    signed_phone: str
    lender_name: str = LENDER_NAME

    @property
    def title(self) -> str:
        return (
            f"Дополнительное соглашение № {self.number} к договору займа № {self.contract_number}"
        )


def _conditions(d: AgreementData) -> list[tuple[str, str]]:
    paid = d.paid_interest_kop + d.paid_penalty_kop
    rows = [
        (
            "Срок возврата займа",
            f"Переносится с {format_date(d.previous_due)} на {format_date(d.new_due)} "
            f"включительно ({days((d.new_due - d.on).days)} с {format_date(d.on)}).",
        ),
        (
            "Уплачено при продлении",
            f"{rub(paid)}: проценты {rub(d.paid_interest_kop)} и неустойка "
            f"{rub(d.paid_penalty_kop)}, начисленные по {format_date(d.on)} включительно.",
        ),
        (
            "Основной долг",
            f"{rub(d.principal_kop)}. Неуплаченные проценты к сумме основного долга не "
            f"прибавляются.",
        ),
        (
            "Процентная ставка",
            f"{daily_rate_text()} на остаток основного долга за каждый календарный день.",
        ),
    ]
    if d.promo_ends:
        rows.append(
            (
                "Льготное условие первого займа",
                f"Прекращается {format_date(d.on)}: с "
                f"{format_date(d.on + timedelta(days=1))} проценты "
                f"начисляются по ставке {daily_rate_text()}; за прошедшие дни не начисляются.",
            )
        )
    rows.append(
        (
            "Прочие условия",
            f"Остальные условия договора № {d.contract_number} от "
            f"{format_date(d.contract_date)} не изменяются. Продлений по договору — не более "
            f"{tariff.MAX_PROLONGATIONS}.",
        )
    )
    return rows


def agreement_pdf(d: AgreementData) -> bytes:
    """The signed additional agreement."""
    pdf = DocumentPdf(d.title, d.lender_name, document_date(d.signed_at, d.on), d.title)
    pdf.add_page()
    psk_box(pdf, d.psk_percent, d.new_interest_kop)
    width = pdf.w - 2 * MARGIN - PSK_BOX - 6
    pdf.set_xy(MARGIN, TOP)
    pdf.set_font("DejaVu", "B", 10)
    pdf.multi_cell(width, 5, d.lender_name, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("DejaVu", "B", 12)
    pdf.multi_cell(
        width, 6, f"ДОПОЛНИТЕЛЬНОЕ СОГЛАШЕНИЕ № {d.number}", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_font("DejaVu", "B", 10)
    pdf.multi_cell(
        width,
        5,
        f"к договору потребительского займа № {d.contract_number} от "
        f"{format_date(d.contract_date)}\n{format_date(d.on)}",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    pdf.set_font("DejaVu", "", BODY_PT)
    pdf.multi_cell(
        width,
        4.2,
        f"{d.lender_name} (Кредитор) и {d.full_name} (Заемщик) договорились о продлении "
        f"(пролонгации) займа на следующих условиях.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_y(max(pdf.get_y(), TOP + PSK_BOX) + 5)
    table_of_conditions(pdf, _conditions(d))
    schedule_table(
        pdf, d.new_due, d.principal_kop, d.new_interest_kop, d.services_kop, d.new_total_kop
    )
    section(pdf, "Подписание")
    pdf.set_font("DejaVu", "B", BODY_PT)
    pdf.multi_cell(
        0,
        4.2,
        f"Соглашение подписано Заемщиком простой электронной подписью (АСП): одноразовый код "
        f"из SMS, отправленного на номер {format_phone(d.signed_phone)}, введён "
        f"{document_date(d.signed_at, d.on).strftime('%d.%m.%Y %H:%M:%S')} (МСК).",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return bytes(pdf.output())
