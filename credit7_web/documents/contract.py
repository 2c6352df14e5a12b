"""The individual conditions of a loan contract as a PDF, and the private store of issued PDFs.

`contract_pdf` draws one `ContractData`: unsigned it is the draft the borrower reads before
typing the SMS code; with `signed_at` / `signed_phone` it is the signed copy. Page one carries
the ПСК in a square frame in the upper right corner, before the table of conditions (353-FZ
art. 6 p. 1: at least 5 % of the page area, figures in the largest type on the page).

Files live under `settings.data_dir / "documents"`, never in a public folder; the database keeps
their sha256, and a file that no longer matches it is never served.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

from credit7_web import tariff
from credit7_web.clock import MOSCOW, to_moscow
from credit7_web.money import NBSP, percent, rub
from credit7_web.russian import daily_rate_text, days, format_date, format_phone, fraction_text

FONTS = Path(__file__).resolve().parent / "fonts"

LENDER_NAME = "ООО МКК «Кредит Севен»"


# ----------------------------------------------------------------------------- contract data


def promo_text(due_date: date) -> str:
    """The first-loan 0 % condition of PRODUCT.md, for the contract's rate row."""
    return (
        f"Льготное условие первого займа: 0{NBSP}% — если вся сумма займа возвращена не позднее "
        f"{format_date(due_date)} (исходной даты возврата). При продлении (пролонгации) или с "
        f"первого дня просрочки льготное условие прекращается, и с этого дня проценты "
        f"начисляются по ставке {daily_rate_text()}; за прошедшие дни проценты не начисляются."
    )


@dataclass(frozen=True)
class ContractData:
    """Everything the individual conditions print. Money in kopecks.

    `phone` / `signed_phone`: 10 digits (formatted here) or already formatted text.
    `promo`: the first-loan condition text, or True for `promo_text(due_date)`, or None/False.
    `daily_rate`: defaults to `daily_rate_text()`. `total_kop` is what is repaid on the due
    date: principal + interest + the services' prices (the schedule shows each part).
    `signed_at` (naive UTC), `signed_phone` and `signature_code` are given only for the signed
    copy; without `signed_at` the PDF is the unsigned draft.
    """

    number: str
    signing_date: date  # the business date the contract is offered / signed
    full_name: str
    birth_date: date
    passport_series: str
    passport_number: str
    passport_issue_date: date
    passport_issuer: str
    passport_division_code: str
    reg_address: str
    phone: str
    email: str | None
    amount_kop: int
    term_days: int
    start_date: date
    due_date: date
    interest_kop: int
    total_kop: int
    psk_percent: Decimal
    psk_kop: int
    promo: str | bool | None = None
    daily_rate: str = ""
    services: tuple[tuple[str, int], ...] = ()  # (title, price in kopecks)
    card_label: str = ""  # masked, e.g. "Visa •••• 4242"
    lender_name: str = LENDER_NAME
    lender_hotline: str = tariff.HOTLINE
    lender_email: str = tariff.DOCS_EMAIL
    signed_at: datetime | None = None
    signed_phone: str | None = None
    signature_code: str | None = None  # the SMS code or an identifier of the signature

    def __post_init__(self) -> None:
        # Frozen: normalise through object.__setattr__. A list of pairs becomes a tuple.
        object.__setattr__(self, "services", tuple((t, int(p)) for t, p in self.services))
        if self.promo is True:
            object.__setattr__(self, "promo", promo_text(self.due_date))
        elif not self.promo:
            object.__setattr__(self, "promo", None)
        if not self.daily_rate:
            object.__setattr__(self, "daily_rate", daily_rate_text())

    @property
    def signed(self) -> bool:
        return self.signed_at is not None

    @property
    def services_kop(self) -> int:
        return sum(price for _, price in self.services)


def _phone(text: str) -> str:
    """'9001234567' -> '+7 (900) 123-45-67'; text already formatted is printed as is."""
    return format_phone(text) if re.fullmatch(r"[0-9]{10}", text) else text


# ----------------------------------------------------------------------------- the PDF

MARGIN = 15.0
TOP = 12.0
# The ПСК frame: a 64 mm square is 4 096 mm², 6.6 % of an A4 page (the law asks for 5 %).
PSK_BOX = 64.0
PSK_FIGURE_PT = 14.0  # the largest type on page one
BODY_PT = 8.5
GREY = (235, 235, 235)


def _moscow_time(instant_utc: datetime) -> str:
    return to_moscow(instant_utc).strftime("%d.%m.%Y %H:%M:%S") + " (МСК)"


class DocumentPdf(FPDF):
    """An A4 document in the house style: DejaVu, margins, deterministic bytes, a footer line."""

    def __init__(self, title: str, author: str, created: datetime, footer_text: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.footer_text = footer_text
        self.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_margins(MARGIN, TOP, MARGIN)
        self.set_auto_page_break(auto=True, margin=16)
        self.alias_nb_pages()
        # Deterministic output: the same data make the same bytes, on any machine.
        self.set_creation_date(created)
        self.set_title(title)
        self.set_author(author)
        self.set_creator("Credit7 Web")
        self.set_producer("Credit7 Web")
        self.set_lang("ru")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("DejaVu", "", 7)
        self.set_text_color(110)
        self.cell(0, 4, f"{self.footer_text} · страница {self.page_no()} из {{nb}}", align="C")
        self.set_text_color(0)


def document_date(signed_at: datetime | None, day: date) -> datetime:
    """A document's creation instant: its signature, or the start of its day in Moscow."""
    if signed_at is not None:
        return to_moscow(signed_at)
    return datetime.combine(day, time(), tzinfo=MOSCOW)


class _ContractPdf(DocumentPdf):
    def __init__(self, data: ContractData) -> None:
        state = "подписан АСП" if data.signed else "проект, не подписан"
        super().__init__(
            f"Индивидуальные условия договора займа № {data.number}",
            data.lender_name,
            document_date(data.signed_at, data.signing_date),
            f"Индивидуальные условия договора займа № {data.number} ({state})",
        )
        self.data = data


def _fit_size(pdf: FPDF, text: str, width: float, size: float, style: str = "B") -> float:
    """The largest font size not above `size` at which `text` fits `width` millimetres."""
    while size > 6:
        pdf.set_font("DejaVu", style, size)
        if pdf.get_string_width(text) <= width:
            return size
        size -= 0.5
    return size


def psk_box(pdf: FPDF, psk_percent: Decimal, psk_kop: int) -> None:
    """The ПСК in a square frame in the upper right corner of the current page."""
    x = pdf.w - MARGIN - PSK_BOX
    y = TOP
    pdf.set_line_width(0.6)
    pdf.rect(x, y, PSK_BOX, PSK_BOX)
    pdf.set_line_width(0.2)
    inner = PSK_BOX - 6
    lines: list[tuple[str, str, float, float]] = [  # text, style, size, height
        ("ПОЛНАЯ СТОИМОСТЬ ЗАЙМА", "B", 9.0, 6.0),
        ("в процентах годовых", "", 7.5, 5.0),
        (f"{percent(psk_percent)} годовых", "B", PSK_FIGURE_PT, 8.0),
        ("в денежном выражении", "", 7.5, 5.0),
        (rub(psk_kop), "B", PSK_FIGURE_PT, 8.0),
    ]
    total = sum(h for *_, h in lines) + 2 * 3.0
    pdf.set_y(y + (PSK_BOX - total) / 2)
    for i, (text, style, size, height) in enumerate(lines):
        if i in (1, 3):
            pdf.ln(3.0)
        pdf.set_font("DejaVu", style, _fit_size(pdf, text, inner, size, style))
        pdf.set_x(x + 3)
        pdf.cell(inner, height, text, align="C", new_x="LMARGIN", new_y="NEXT")


def _header(pdf: _ContractPdf) -> None:
    d = pdf.data
    width = pdf.w - 2 * MARGIN - PSK_BOX - 6
    pdf.set_xy(MARGIN, TOP)
    pdf.set_font("DejaVu", "B", 10)
    pdf.multi_cell(width, 5, d.lender_name, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 7.5)
    pdf.multi_cell(
        width,
        4,
        f"Горячая линия {d.lender_hotline} (звонок по России бесплатный)\n"
        f"Документы: {d.lender_email}",
        align="L",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(4)
    pdf.set_font("DejaVu", "B", 12)
    pdf.multi_cell(
        width,
        6,
        "ИНДИВИДУАЛЬНЫЕ УСЛОВИЯ\nдоговора потребительского займа",
        align="L",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font("DejaVu", "B", 10)
    pdf.multi_cell(
        width, 6, f"№ {d.number} от {format_date(d.signing_date)}", align="L", new_x="LMARGIN"
    )
    pdf.ln(2)
    pdf.set_font("DejaVu", "", BODY_PT)
    pdf.multi_cell(
        width,
        4.2,
        f"{d.lender_name} (Кредитор) и {d.full_name} (Заемщик) заключают договор "
        f"потребительского займа на следующих индивидуальных условиях.",
        align="L",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    if not d.signed:
        pdf.ln(2)
        pdf.set_font("DejaVu", "B", BODY_PT)
        pdf.multi_cell(
            width,
            4.2,
            "ПРОЕКТ: договор вступит в силу после подписания простой электронной подписью.",
            align="L",
            new_x="LMARGIN",
            new_y="NEXT",
        )


def _services_in_payment(d: ContractData) -> bool:
    """The services' prices are repaid with the loan on the due date."""
    return bool(d.services) and d.total_kop == d.amount_kop + d.interest_kop + d.services_kop


def _services_text(d: ContractData) -> str:
    if not d.services:
        return "Не выбраны."
    items = "\n".join(f"— {title}: {rub(price)}" for title, price in d.services)
    total = f"Итого: {rub(d.services_kop)}"
    if _services_in_payment(d):
        total += " — входит в платёж в дату возврата и учтено в полной стоимости займа"
    return (
        f"Выбраны Заемщиком добровольно:\n{items}\n{total}.\n"
        f"Заемщик вправе отказаться от услуги в течение {tariff.SERVICE_REFUSAL_DAYS} дней "
        f"с даты покупки; возврат — в течение "
        f"{tariff.SERVICE_REFUND_WORKING_DAYS} рабочих дней (полностью, если услуга не оказана)."
    )


def _conditions(d: ContractData) -> list[tuple[str, str]]:
    rate = f"{d.daily_rate}."
    if d.promo:
        rate += f"\n{d.promo}"
    penalty = fraction_text(tariff.PENALTY_RATE_YEAR * 100)
    cap = fraction_text(tariff.CHARGES_CAP * 100)
    card = f" {d.card_label}" if d.card_label else ""
    return [
        ("Сумма займа", rub(d.amount_kop)),
        (
            "Срок действия договора, срок возврата займа",
            f"Договор действует до полного исполнения обязательств. Срок возврата займа — "
            f"{days(d.term_days)} с {format_date(d.start_date)}: "
            f"до {format_date(d.due_date)} включительно.",
        ),
        ("Валюта займа", "Российский рубль."),
        (
            "Процентная ставка",
            f"{rate}\nПроценты начисляются на остаток основного долга за каждый календарный "
            f"день пользования займом.",
        ),
        (
            "Ограничение начислений",
            f"Проценты, неустойка и платные дополнительные услуги в сумме не могут превысить "
            f"{cap}{NBSP}% суммы займа ({rub(d.amount_kop)}) — Федеральный закон от "
            f"29.12.2025 № 545-ФЗ; по достижении этой суммы начисления прекращаются.",
        ),
        (
            "Количество, размер и периодичность платежей",
            f"Один платёж {format_date(d.due_date)}: {rub(d.total_kop)}, из них основной "
            f"долг {rub(d.amount_kop)}, проценты {rub(d.interest_kop)}"
            + (f", дополнительные услуги {rub(d.services_kop)}" if _services_in_payment(d) else "")
            + ". График платежей приведён ниже.",
        ),
        (
            "Досрочный возврат",
            "В любой день, полностью или частично, без комиссии и без предварительного "
            "уведомления; проценты — только за фактические дни пользования займом.",
        ),
        (
            "Очередность погашения",
            "Неустойка, затем просроченные проценты, затем текущие проценты, затем стоимость "
            "дополнительных услуг (если выбраны), затем основной долг.",
        ),
        (
            "Продление (пролонгация)",
            f"По заявлению Заемщика при уплате процентов и неустойки, начисленных на дату "
            f"продления: дата возврата переносится на {tariff.PROLONGATION_DAYS} дней после "
            f"текущей даты возврата (или дня продления, если он позже), оформляется "
            f"дополнительное соглашение с новым графиком. Неуплаченные проценты к сумме займа "
            f"не прибавляются.",
        ),
        (
            "Ответственность Заемщика за ненадлежащее исполнение договора",
            f"Неустойка {penalty}{NBSP}% годовых на сумму просроченного основного долга за "
            f"каждый день просрочки; проценты за пользование займом продолжают начисляться.",
        ),
        ("Обеспечение исполнения обязательств", "Не требуется."),
        ("Услуги, оказываемые за отдельную плату (дополнительные услуги)", _services_text(d)),
        (
            "Способ получения займа",
            f"Перечисление на банковскую карту Заемщика{card} после подписания договора.",
        ),
        (
            "Способы исполнения обязательств",
            "Оплата банковской картой в личном кабинете Заемщика на сайте Кредитора.",
        ),
        (
            "Подписание договора",
            "Простой электронной подписью (аналогом собственноручной подписи, АСП): Заемщик "
            "вводит одноразовый код из SMS, отправленного на его номер телефона "
            f"{_phone(d.phone)}.",
        ),
        (
            "Способ обмена информацией",
            f"Личный кабинет на сайте Кредитора, SMS на номер Заемщика, электронная почта "
            f"{d.lender_email}; горячая линия {d.lender_hotline}.",
        ),
    ]


def section(pdf: FPDF, title: str) -> None:
    pdf.ln(4)
    pdf.set_font("DejaVu", "B", 10)
    pdf.cell(0, 6, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", BODY_PT)


def table_of_conditions(pdf: FPDF, conditions: list[tuple[str, str]]) -> None:
    """The numbered table «№ · Условие · Содержание условия»."""
    pdf.set_font("DejaVu", "", BODY_PT)
    heading = FontFace(emphasis="BOLD", fill_color=GREY)
    with pdf.table(
        col_widths=(8, 52, 120),
        width=pdf.epw,
        text_align=("CENTER", "LEFT", "LEFT"),
        v_align="TOP",
        line_height=4.2,
        padding=1.2,
        headings_style=heading,
    ) as table:
        table.row(["№", "Условие", "Содержание условия"])
        for number, (name, value) in enumerate(conditions, start=1):
            table.row([str(number), name, value])


def schedule_table(
    pdf: FPDF, due: date, principal_kop: int, interest_kop: int, services_kop: int, total_kop: int
) -> None:
    """«График платежей»: the one bullet payment, services as a column only when repaid in it."""
    section(pdf, "График платежей")
    heading = FontFace(emphasis="BOLD", fill_color=GREY)
    head = ["Дата платежа", "Основной долг", "Проценты"]
    row = [format_date(due), rub(principal_kop), rub(interest_kop)]
    if services_kop:
        head.append("Дополнительные услуги")
        row.append(rub(services_kop))
    head.append("Сумма платежа")
    row.append(rub(total_kop))
    with pdf.table(
        col_widths=tuple(1 for _ in head),
        width=pdf.epw,
        text_align="CENTER",
        line_height=4.6,
        padding=1.2,
        headings_style=heading,
    ) as table:
        table.row(head)
        table.row(row)


def _schedule(pdf: _ContractPdf) -> None:
    d = pdf.data
    services = d.services_kop if _services_in_payment(d) else 0
    schedule_table(pdf, d.due_date, d.amount_kop, d.interest_kop, services, d.total_kop)
    if d.promo:
        pdf.ln(1)
        pdf.multi_cell(
            0,
            4.2,
            "Проценты указаны при соблюдении льготного условия первого займа (п. 4).",
            align="L",
            new_x="LMARGIN",
            new_y="NEXT",
        )


def _parties(pdf: _ContractPdf) -> None:
    d = pdf.data
    section(pdf, "Стороны")
    borrower = [
        ("ФИО", d.full_name),
        ("Дата рождения", format_date(d.birth_date)),
        (
            "Паспорт",
            f"серия {d.passport_series} № {d.passport_number}, выдан "
            f"{format_date(d.passport_issue_date)} {d.passport_issuer}, код подразделения "
            f"{d.passport_division_code}",
        ),
        ("Адрес регистрации", d.reg_address),
        ("Телефон", _phone(d.phone)),
        ("Электронная почта", d.email or "не указана"),
    ]
    lender = [
        ("Горячая линия", f"{d.lender_hotline} (звонок по России бесплатный)"),
        ("Электронная почта для документов", d.lender_email),
    ]
    with pdf.table(
        col_widths=(52, 128),
        width=pdf.epw,
        text_align="LEFT",
        v_align="TOP",
        line_height=4.2,
        padding=1.2,
        first_row_as_headings=False,
    ) as table:
        table.row(["Кредитор", d.lender_name], style=FontFace(emphasis="BOLD"))
        for name, value in lender:
            table.row([name, value])
        table.row(["Заемщик", d.full_name], style=FontFace(emphasis="BOLD"))
        for name, value in borrower[1:]:
            table.row([name, value])


def _signature(pdf: _ContractPdf) -> None:
    d = pdf.data
    section(pdf, "Подписание")
    if d.signed_at is not None:
        phone = _phone(d.signed_phone or d.phone)
        code = f" {d.signature_code}" if d.signature_code else ""
        text = (
            f"Договор подписан Заемщиком простой электронной подписью (АСП): одноразовый "
            f"код{code} из SMS, отправленного на номер {phone}, введён "
            f"{_moscow_time(d.signed_at)}. Подписание кодом из SMS равнозначно собственноручной "
            f"подписи Заемщика."
        )
        pdf.set_font("DejaVu", "B", BODY_PT)
    else:
        text = (
            f"Проект договора. Договор подписывается простой электронной подписью (АСП): "
            f"Заемщик вводит одноразовый код из SMS, отправленного на номер "
            f"{_phone(d.phone)}. До подписания договор не заключён и займ не выдаётся."
        )
    pdf.multi_cell(0, 4.2, text, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", BODY_PT)
    pdf.ln(2)
    pdf.multi_cell(
        0,
        4.2,
        f"Кредитор: {d.lender_name}. Вопросы по договору — горячая линия {d.lender_hotline}, "
        f"документы — {d.lender_email}.",
        align="L",
        new_x="LMARGIN",
        new_y="NEXT",
    )


def contract_pdf(data: ContractData) -> bytes:
    """The individual conditions: the draft, or with `signed_at` the signed copy."""
    pdf = _ContractPdf(data)
    pdf.add_page()
    psk_box(pdf, data.psk_percent, data.psk_kop)
    _header(pdf)
    pdf.set_y(max(pdf.get_y(), TOP + PSK_BOX) + 5)
    table_of_conditions(pdf, _conditions(data))
    _schedule(pdf)
    _parties(pdf)
    _signature(pdf)
    return bytes(pdf.output())
