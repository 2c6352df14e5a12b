"""A borrower with a whole life behind them, made by the domain services, for the account-life
tests: a questionnaire of unmistakable values, a photo, a card, a signed loan, a repayment."""

from __future__ import annotations

import io
import re
from typing import Any

from PIL import Image, ImageDraw
from sqlmodel import Session

from credit7_web.clock import Clock, FixedClock
from credit7_web.identity import accounts, kyc, questionnaire
from credit7_web.lending import applications, cards, signing
from credit7_web.lending.models import Loan
from credit7_web.sandbox.acquirer import SandboxAcquirer, check_card_entry
from credit7_web.sandbox.bureaus import sandbox_bureaus
from credit7_web.sandbox.sms import outbox
from credit7_web.servicing import booking, debt
from credit7_web.settings import Settings
from tests.jobs import NoJobs, instant_sms

PHONE = "9161234567"
PASSWORD = "Secret123"
# Values found nowhere else, so a scan can tell whether any of them survived.
PERSON: dict[str, Any] = {
    "last_name": "Пиксельникова",
    "first_name": "Аглая",
    "middle_name": "Ферапонтовна",
    "birth_date": "14.03.1987",
    "birth_place": "г. Кострома, Пиксельный посёлок",
    "citizenship": "RUS",
    "passport_series": "4599",
    "passport_number": "765432",
    "passport_issue_date": "21.03.2007",
    "passport_issuer": "ОВД Пиксельного района г. Костромы",
    "passport_division_code": "440-123",
    "reg_address": "г. Кострома, ул. Пиксельная, д. 7, кв. 77",
    "res_same_as_reg": "",
    "res_address": "г. Ярославль, ул. Тестовая, д. 9, кв. 99",
    "snils": "167-458-309 03",
    "email": "aglaya.pixel@example.ru",
    "employer": "ООО «Пиксельный завод»",
    "position": "Технолог пиксельной линии",
    "family_status": "widowed",
    "dependants": "3",
    "monthly_income": "73456",
}


def make_person(db: Session, clock: Clock, settings: Settings, phone: str = PHONE) -> int:
    """A signed-up borrower with the whole questionnaire of PERSON."""
    borrower = accounts.create_borrower(db, clock, settings, phone, PASSWORD, PASSWORD, clock.now())
    assert borrower.id is not None
    for step, section in enumerate(questionnaire.SECTIONS):
        values = {name: PERSON[name] for name in section.fields}
        questionnaire.submit_section(db, clock, borrower.id, step, values)
    return borrower.id


def jpeg(width: int = 1200, height: int = 900) -> bytes:
    image = Image.new("RGB", (width, height), (200, 190, 170))
    draw = ImageDraw.Draw(image)
    draw.rectangle((400, 300, 800, 700), fill=(120, 30, 40))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def last_code(db: Session, phone: str) -> str:
    match = re.search(r"\b\d{6}\b", outbox(db, limit=1, phone=phone)[0].text)
    assert match is not None
    return match[0]


def ready_to_apply(
    db: Session, clock: Clock, settings: Settings, borrower_id: int
) -> SandboxAcquirer:
    """A photo and a bound card: all an application needs; returns the acquirer used."""
    acquirer = SandboxAcquirer(db, clock)
    kyc.save_passport_photo(db, clock, settings, borrower_id, jpeg(), "selfie.jpg")
    order = cards.start_binding(db, clock, acquirer, borrower_id, "/cards/return").rsplit("/")[-1]
    entry = check_card_entry("4111111111111111", "12/30", "123", "AGLAYA P", clock.today())
    assert acquirer.submit_card(order, entry) is not None
    db.commit()
    cards.finish_binding(db, clock, acquirer, borrower_id, order)
    return acquirer


def lend(
    db: Session,
    clock: FixedClock,
    settings: Settings,
    borrower_id: int,
    services: tuple[str, ...] = (),
) -> Loan:
    """Photo, card, application (with these extra services), approval and signature: a running
    loan."""
    acquirer = ready_to_apply(db, clock, settings, borrower_id)
    application = applications.apply(
        db, clock, NoJobs(), borrower_id, 10_000_00, 20, list(services)
    )
    decided = applications.decide(
        db, clock, settings, sandbox_bureaus(), instant_sms(db, clock), application.id or 0
    )
    assert decided.status == "approved", decided.refusal_text
    loan = applications.open_loan(db, borrower_id)
    assert loan is not None and loan.id is not None
    sms = instant_sms(db, clock)
    signing.send_sign_code(db, clock, settings, sms, borrower_id, loan.id)
    db.commit()
    phone = outbox(db, limit=1)[0].phone
    return signing.sign(db, clock, settings, acquirer, borrower_id, loan.id, last_code(db, phone))


def repay(db: Session, clock: FixedClock, loan: Loan) -> None:
    """The whole debt paid today: the loan is closed."""
    owed = debt.loan_debt(db, loan, clock.today())
    booking.book_payment(
        db,
        clock,
        loan,
        owed.total_kop,
        key=f"repay-{loan.number}",
        description=f"Погашение по договору № {loan.number}",
    )
    db.commit()
