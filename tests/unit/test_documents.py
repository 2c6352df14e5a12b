from __future__ import annotations

import io
import re
import stat
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream
from sqlmodel import Session

from credit7_web import russian
from credit7_web.clock import FixedClock
from credit7_web.documents import archive
from credit7_web.documents import contract as pdf_contract
from credit7_web.documents.contract import ContractData, contract_pdf
from credit7_web.documents.models import Document, DocumentKind
from credit7_web.identity.models import Borrower, Profile
from credit7_web.lending import contracts, pricing
from credit7_web.lending.models import Card, Loan, LoanApplication
from credit7_web.settings import Settings
from tests.factories import add_borrower

START = date(2026, 11, 24)
SIGNED_AT = datetime(2026, 11, 24, 11, 5, 7)  # 14:05:07 in Moscow
SERVICES = [("Страхование жизни", 49_900), ("Кредитный отчёт", 29_900)]


def norm(text: str) -> str:
    """Every kind of space as one plain space, so NBSPs from money.rub compare with ' '."""
    return re.sub(r"[\s\u00a0\u202f\u2009]+", " ", text)


def contract(**changes) -> ContractData:
    offer = pricing.standard_quote(10_000_00, 30, START)
    data = ContractData(
        number="C7-000123",
        signing_date=START,
        full_name="Иванов Иван Иванович",
        birth_date=date(1990, 5, 17),
        passport_series="4510",
        passport_number="123456",
        passport_issue_date=date(2010, 6, 1),
        passport_issuer="ОВД района Хамовники г. Москвы",
        passport_division_code="770-001",
        reg_address="г. Москва, ул. Льва Толстого, д. 16, кв. 5",
        phone="9001234567",
        email="ivanov@mail.ru",
        amount_kop=offer.amount_kop,
        term_days=offer.term_days,
        start_date=offer.start,
        due_date=offer.due_date,
        interest_kop=offer.interest_kop,
        total_kop=offer.total_kop,
        psk_percent=offer.psk_percent,
        psk_kop=offer.psk_rub_kop,
        services=SERVICES,
        card_label="Visa •••• 4242",
    )
    return replace(data, **changes)


def pages_text(pdf: bytes) -> list[str]:
    return [norm(page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]


def all_text(pdf: bytes) -> str:
    return " ".join(pages_text(pdf))


# ----------------------------------------------------------------------------- the contract


def test_base_rate_figures() -> None:
    offer = pricing.standard_quote(10_000_00, 30, START)
    assert offer.psk_percent == Decimal("292.000")
    assert offer.interest_kop == 2_400_00
    assert russian.daily_rate_text() == "0,8\u00a0% в день (292\u00a0% годовых)"


def test_page_one_has_the_psk_box() -> None:
    first = pages_text(contract_pdf(contract()))[0]
    assert "ПОЛНАЯ СТОИМОСТЬ ЗАЙМА" in first
    assert "292,000 % годовых" in first
    assert "2 400 ₽" in first


def _text_positions(pdf: bytes) -> tuple[list[tuple[str, float, float]], float, float]:
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    found: list[tuple[str, float, float]] = []

    def visit(text, cm, tm, _font, _size) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((norm(text).strip(), x, y))

    page.extract_text(visitor_text=visit)
    return found, float(page.mediabox.width), float(page.mediabox.height)


def test_psk_box_is_in_the_upper_right_corner() -> None:
    pdf = contract_pdf(contract())
    found, width, height = _text_positions(pdf)
    for wanted in ("ПОЛНАЯ СТОИМОСТЬ ЗАЙМА", "292,000 % годовых", "2 400 ₽"):
        hits = [(x, y) for text, x, y in found if wanted in text]
        assert hits, wanted
        x, y = hits[0]
        assert x > width / 2, (wanted, x)
        assert y > height * 0.75, (wanted, y)
    # The box comes before the table of conditions: its text sits above the table's first row.
    table_y = max(y for text, _, y in found if text.startswith("Сумма займа"))
    box_y = min(y for text, _, y in found if "2 400 ₽" in text and y > height / 2)
    assert box_y > table_y


def test_psk_box_is_a_frame_of_at_least_five_percent_of_the_page() -> None:
    reader = PdfReader(io.BytesIO(contract_pdf(contract())))
    page = reader.pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    found, *_ = _text_positions(contract_pdf(contract()))
    title_x, title_y = next((x, y) for t, x, y in found if "ПОЛНАЯ СТОИМОСТЬ" in t)
    frames = []
    for operands, operator in ContentStream(page.get_contents(), reader).operations:
        if operator == b"re":
            x, y, w, h = (float(v) for v in operands)
            x0, x1 = sorted((x, x + w))
            y0, y1 = sorted((y, y + h))
            if x0 <= title_x <= x1 and y0 <= title_y <= y1:
                frames.append((x0, y0, x1, y1))
    assert frames, "no rectangle drawn around the ПСК"
    x0, y0, x1, y1 = frames[0]
    assert (x1 - x0) * (y1 - y0) >= 0.05 * width * height
    assert abs((x1 - x0) - (y1 - y0)) < 1  # square
    assert x0 > width / 2
    assert y1 > height * 0.9


def test_conditions_table_and_schedule() -> None:
    text = all_text(contract_pdf(contract()))
    for wanted in (
        "ИНДИВИДУАЛЬНЫЕ УСЛОВИЯ",
        "№ C7-000123 от 24.11.2026",
        "Сумма займа 10 000 ₽",
        "0,8 % в день (292 % годовых)",
        "до 24.12.2026 включительно",
        "Один платёж 24.12.2026: 12 400 ₽",
        "Неустойка 20 % годовых",
        "100 % суммы займа",
        "545-ФЗ",
        "Visa •••• 4242",
        "код из SMS",
        "График платежей",
        "24.12.2026 10 000 ₽ 2 400 ₽ 12 400 ₽",
        "8 800 000-00-07",
        "doc@creditseven.ru",
    ):
        assert wanted in text, wanted


def test_cyrillic_and_borrower_details_survive() -> None:
    text = all_text(contract_pdf(contract()))
    for wanted in (
        "Иванов Иван Иванович",
        "17.05.1990",
        "серия 4510 № 123456, выдан 01.06.2010 ОВД района Хамовники г. Москвы",
        "770-001",
        "г. Москва, ул. Льва Толстого, д. 16, кв. 5",
        "+7 (900) 123-45-67",
        "ivanov@mail.ru",
        "ООО МКК «Кредит Севен»",
    ):
        assert wanted in text, wanted


def test_services_are_listed_with_prices() -> None:
    text = all_text(contract_pdf(contract()))
    assert "Страхование жизни: 499 ₽" in text
    assert "Кредитный отчёт: 299 ₽" in text
    none = all_text(contract_pdf(contract(services=())))
    assert "Не выбраны" in none
    assert "Страхование жизни" not in none


def test_draft_and_signed_copy() -> None:
    draft = all_text(contract_pdf(contract()))
    assert "Проект договора" in draft
    assert "14:05:07" not in draft
    signed_pdf = contract_pdf(
        contract(signed_at=SIGNED_AT, signed_phone="9161112233", signature_code="482913")
    )
    signed = all_text(signed_pdf)
    assert "подписан Заемщиком простой электронной подписью" in signed
    assert "+7 (916) 111-22-33" in signed
    assert "24.11.2026 14:05:07 (МСК)" in signed
    assert "482913" in signed
    assert "Проект договора" not in signed


def test_promo_condition_for_a_first_loan() -> None:
    offer = pricing.quote(10_000_00, 30, START, first_loan=True)
    data = contract(
        promo=pdf_contract.promo_text(offer.due_date),
        interest_kop=offer.interest_kop,
        total_kop=offer.total_kop,
        psk_percent=offer.psk_percent,
        psk_kop=offer.psk_rub_kop,
    )
    first, *_ = pages_text(contract_pdf(data))
    assert "0,000 % годовых" in first
    assert "Льготное условие первого займа" in first
    assert "не позднее 24.12.2026" in first


def test_promo_flag_and_formatted_phones() -> None:
    data = contract(promo=True, phone="+7 (900) 123-45-67", signed_phone="+7 (916) 111-22-33")
    assert data.promo == pdf_contract.promo_text(data.due_date)
    assert data.daily_rate == russian.daily_rate_text()
    assert contract(promo=False).promo is None
    signed = all_text(contract_pdf(replace(data, signed_at=SIGNED_AT)))
    assert "+7 (900) 123-45-67" in signed
    assert "+7 (916) 111-22-33" in signed


def test_services_repaid_with_the_loan_show_in_the_schedule() -> None:
    # A first loan (0 % promo) with 790 ₽ of services repaid on the due date.
    total = 10_000_00 + 790_00
    data = contract(
        promo=True,
        interest_kop=0,
        total_kop=total,
        psk_percent=pricing.single_payment_psk(10_000_00, total, 30),
        psk_kop=790_00,
        services=[("Страхование жизни", 290_00), ("Отчёт о кредитной истории", 500_00)],
    )
    text = all_text(contract_pdf(data))
    assert "Итого: 790 ₽ — входит в платёж в дату возврата" in text
    assert "дополнительные услуги 790 ₽" in text
    assert "24.12.2026 10 000 ₽ 0 ₽ 790 ₽ 10 790 ₽" in text
    first = pages_text(contract_pdf(data))[0]
    assert "96,117 % годовых" in first  # 790 / 10 000 × 365 / 30 × 100
    assert "790 ₽" in first


def test_output_is_deterministic() -> None:
    assert contract_pdf(contract()) == contract_pdf(contract())
    signed = contract(signed_at=SIGNED_AT, signed_phone="9001234567")
    assert contract_pdf(signed) == contract_pdf(signed)


def test_contract_data_from_records() -> None:
    borrower = Borrower(
        id=1,
        phone="9001234567",
        password_hash="x",
        pd_consent_at=SIGNED_AT,
        created_at=SIGNED_AT,
        password_changed_at=SIGNED_AT,
    )
    profile = Profile(
        borrower_id=1,
        last_name="Петрова",
        first_name="Анна",
        middle_name=None,
        birth_date=date(1995, 3, 8),
        passport_series="4511",
        passport_number="654321",
        passport_issue_date=date(2015, 4, 1),
        passport_issuer="ГУ МВД России по г. Москве",
        passport_division_code="770-002",
        reg_address="г. Москва, Тверская ул., д. 1",
    )
    offer = pricing.quote(5_000_00, 14, START, first_loan=True)
    data = contracts.build_conditions(
        number="C7-9",
        signing_date=START,
        borrower=borrower,
        profile=profile,
        offer=offer,
        card_label="Мир •••• 0001",
    )
    assert data.full_name == "Петрова Анна"
    assert data.promo is not None
    assert data.psk_percent == offer.psk_percent
    assert "Петрова Анна" in all_text(contract_pdf(data))
    with pytest.raises(ValueError, match="reg_address"):
        contracts.build_conditions(
            number="C7-9",
            signing_date=START,
            borrower=borrower,
            profile=replace_profile(profile, reg_address=None),
            offer=offer,
            card_label="",
        )


def replace_profile(profile: Profile, **changes) -> Profile:
    return Profile(**{**profile.model_dump(), **changes})


# ----------------------------------------------------------------------------- storage


def borrower(db: Session, clock: FixedClock, phone: str) -> int:
    borrower_id = add_borrower(db, clock, phone).id
    assert borrower_id is not None
    return borrower_id


def loan(db: Session, clock: FixedClock, borrower_id: int, number: str) -> int:
    card = Card(
        borrower_id=borrower_id,
        token=f"tok-{number}",
        masked="4242 42•• •••• 4242",
        expiry_month=12,
        expiry_year=2030,
        bound_at=clock.now(),
    )
    db.add(card)
    db.flush()
    application = LoanApplication(
        borrower_id=borrower_id,
        amount_kop=10_000_00,
        term_days=30,
        first_loan=True,
        created_at=clock.now(),
        application_date=clock.today(),
    )
    db.add(application)
    db.flush()
    assert card.id is not None and application.id is not None
    row = Loan(
        borrower_id=borrower_id,
        application_id=application.id,
        number=number,
        principal_kop=10_000_00,
        term_days=30,
        first_loan=True,
        psk_percent="0.000",
        psk_kop=0,
        card_id=card.id,
        created_at=clock.now(),
    )
    db.add(row)
    db.commit()
    assert row.id is not None
    return row.id


PDF = b"%PDF-1.4 test document\n%%EOF\n"


def test_store_and_read_back(db: Session, clock: FixedClock, settings: Settings) -> None:
    owner = borrower(db, clock, "9001234567")
    loan_id = loan(db, clock, owner, "C7-000001")
    pdf = contract_pdf(contract())
    doc = archive.store_document(
        db, clock, settings, owner, loan_id, DocumentKind.CONTRACT, "Условия", pdf
    )
    assert doc.id is not None
    assert doc.created_at == clock.now()
    path = settings.data_dir / "documents" / doc.file_name
    assert path.read_bytes() == pdf
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert re.fullmatch(r"[0-9a-f]{32}\.pdf", doc.file_name)

    found = archive.read_document(db, settings, owner, doc.id)
    assert found is not None
    got, data = found
    assert got.id == doc.id and got.kind == "contract" and data == pdf


def test_other_borrower_reads_nothing(db: Session, clock: FixedClock, settings: Settings) -> None:
    owner = borrower(db, clock, "9001234567")
    other = borrower(db, clock, "9007654321")
    doc = archive.store_document(db, clock, settings, owner, None, "contract", "Условия", PDF)
    assert doc.id is not None
    assert archive.read_document(db, settings, other, doc.id) is None
    assert archive.read_document(db, settings, owner, doc.id + 1000) is None
    assert archive.documents_of(db, other) == []


def test_tampered_or_missing_file_reads_nothing(
    db: Session, clock: FixedClock, settings: Settings
) -> None:
    owner = borrower(db, clock, "9001234567")
    doc = archive.store_document(db, clock, settings, owner, None, "contract", "Условия", PDF)
    assert doc.id is not None
    path = settings.data_dir / "documents" / doc.file_name
    path.write_bytes(PDF.replace(b"test", b"fake"))
    assert archive.read_document(db, settings, owner, doc.id) is None
    path.unlink()
    assert archive.read_document(db, settings, owner, doc.id) is None


def test_documents_of_lists_by_loan(db: Session, clock: FixedClock, settings: Settings) -> None:
    owner = borrower(db, clock, "9001234567")
    first = loan(db, clock, owner, "C7-000001")
    a = archive.store_document(db, clock, settings, owner, first, "contract", "Условия", PDF)
    b = archive.store_document(db, clock, settings, owner, None, "agreement", "Соглашение", PDF)
    assert [d.id for d in archive.documents_of(db, owner)] == [a.id, b.id]
    assert [d.id for d in archive.documents_of(db, owner, loan_id=first)] == [a.id]


def test_store_without_commit_is_part_of_the_callers_transaction(
    db: Session, clock: FixedClock, settings: Settings
) -> None:
    owner = borrower(db, clock, "9001234567")
    doc = archive.store_document(
        db, clock, settings, owner, None, "contract", "Условия", PDF, commit=False
    )
    assert doc.id is not None  # flushed
    db.rollback()
    assert db.get(Document, doc.id) is None
    assert archive.documents_of(db, owner) == []
