"""Getting a loan in Chromium: photo, card, application, decision, signature, dashboard, overdue."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import FileChooser, Page, expect
from sqlalchemy import Engine
from sqlmodel import Session, select

from credit7_web import tariff
from credit7_web.clock import SystemClock
from credit7_web.identity.models import Borrower
from credit7_web.lending.applications import open_loan
from credit7_web.lending.models import ApplicationStatus, LoanApplication
from credit7_web.money import rub
from credit7_web.russian import format_date
from credit7_web.sandbox import business_date
from credit7_web.servicing import debt
from tests.e2e.a11y import assert_accessible
from tests.e2e.test_account import CABINET, sign_in

SUCCESS_CARD = "4111 1111 1111 1111"


@pytest.fixture
def passport_photo(tmp_path: Path) -> Path:
    """A plausible photo: big enough, a real JPEG."""
    image = Image.new("RGB", (1200, 900), (200, 190, 170))
    draw = ImageDraw.Draw(image)
    draw.rectangle((400, 300, 800, 700), fill=(120, 30, 40))
    draw.ellipse((500, 80, 700, 280), fill=(230, 200, 180))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    path = tmp_path / "selfie.jpg"
    path.write_bytes(buffer.getvalue())
    return path


def jpeg(path: Path, width: int, height: int) -> Path:
    Image.new("RGB", (width, height), (200, 190, 170)).save(path, "JPEG", quality=90)
    return path


@pytest.fixture
def clock_reset(app_engine: Engine):
    """Tests that move the sandbox business date put it back, whatever happens."""
    yield
    with Session(app_engine) as s:
        business_date.reset(s)


def prepare(page: Page, photo: Path, card_number: str = SUCCESS_CARD, a11y: bool = False) -> None:
    """On /apply: upload the passport selfie and bind a sandbox card (`a11y`: check the pages
    on the way with axe)."""
    page.goto("/apply")
    expect(page.get_by_role("heading", name="1. Фото с паспортом")).to_be_visible()
    page.get_by_label("Файл с фото").set_input_files(str(photo))
    page.get_by_role("button", name="Загрузить фото").click()
    expect(page.get_by_text("Фото загружено")).to_be_visible()
    expect(page.get_by_role("img", name="Ваше фото с паспортом")).to_be_visible()

    page.get_by_role("button", name="Привязать карту").click()
    expect(page).to_have_url(re.compile(r"/sandbox/acquirer/pay/"))
    if a11y:
        assert_accessible(page)
    page.get_by_label("Номер карты").fill(card_number)
    expiry = page.get_by_label(re.compile("Срок действия"))
    expiry.fill("1230")  # pasted as the digits alone
    expect(expiry).to_have_value("12/30")
    page.get_by_label("CVC").fill("123")
    page.get_by_role("button", name=re.compile("Привязать|Оплатить|Подтвердить")).click()
    expect(page).to_have_url(re.compile(r"/apply/?\?card="))


def test_a_first_loan_from_photo_to_money_on_the_card(
    page: Page, borrower, passport_photo: Path, sms_code, app_engine: Engine, clock_reset
) -> None:
    phone, password = borrower
    page.goto("/login")
    sign_in(page, phone, password)
    expect(page).to_have_url(CABINET)
    prepare(page, passport_photo, a11y=True)
    expect(page.get_by_test_id("card-notice")).to_contain_text("Карта привязана")

    page.get_by_label("Сумма займа, ₽").fill("10000")
    page.get_by_label("Срок, дней").fill("20")
    today = SystemClock().today()
    due = format_date(today + timedelta(days=20))
    expect(page.get_by_test_id("apply-total")).to_have_text("10\u00a0000\u00a0₽")
    expect(page.get_by_test_id("apply-due")).to_have_text(due)
    expect(page.get_by_test_id("apply-psk")).to_have_text("0,000\u00a0%")
    assert_accessible(page)

    # The term by keyboard, a service ticked with Space: it shows ticked at once, the server's
    # figures follow; unticked again, as the borrower changes their mind.
    term = page.get_by_label("Срок, дней")
    term.focus()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_test_id("apply-due")).to_have_text(format_date(today + timedelta(21)))
    page.keyboard.press("ArrowLeft")
    expect(page.get_by_test_id("apply-due")).to_have_text(due)
    life = page.get_by_role("checkbox", name=re.compile("^Страхование жизни"))
    life.focus()
    page.keyboard.press("Space")
    expect(life).to_be_checked()
    expect(page.get_by_test_id("apply-total")).to_have_text("10\u00a0290\u00a0₽")
    page.keyboard.press("Space")
    expect(life).not_to_be_checked()
    expect(page.get_by_test_id("apply-total")).to_have_text("10\u00a0000\u00a0₽")

    page.get_by_role("button", name="Отправить заявку").click()
    expect(page.get_by_role("heading", name="Заём одобрен")).to_be_visible(timeout=20_000)
    expect(page.get_by_test_id("offer-amount")).to_have_text("10\u00a0000\u00a0₽")
    expect(page.get_by_test_id("offer-psk")).to_have_text("0,000\u00a0%")
    expect(page.get_by_test_id("offer-psk-rub")).to_have_text("0\u00a0₽")
    expect(page.get_by_test_id("offer-card")).to_have_text("Деньги придут на карту •••• 1111.")
    assert_accessible(page)
    page.get_by_role("button", name="Подписать кодом из SMS").click()
    expect(page.get_by_label("Код из SMS")).to_be_visible()
    page.get_by_label("Код из SMS").fill(sms_code(phone))
    page.get_by_role("button", name="Подписать и получить деньги").click()

    expect(page).to_have_url(CABINET)
    expect(page.get_by_test_id("debt-total")).to_have_text("10\u00a0000\u00a0₽")
    expect(page.get_by_test_id("next-payment-date")).to_have_text(due)
    expect(page.get_by_test_id("loan-status")).to_have_text("Активен")
    expect(page.get_by_test_id("days-left")).to_have_text("До платежа 20 дней")
    history = page.get_by_test_id("operation")
    expect(history.filter(has_text="Выдача займа")).to_contain_text("+10\u00a0000\u00a0₽")
    expect(history.filter(has_text="Проверочное списание")).to_have_count(1)
    expect(history.filter(has_text="Возврат проверочного списания")).to_have_count(1)
    # The signed contract only: the unsigned draft it replaced is not listed beside it.
    contracts = page.get_by_role("link", name=re.compile("Индивидуальные условия"))
    expect(contracts).to_have_count(1)
    expect(history.filter(has_text="Выдача займа")).to_contain_text("на карту •••• 1111")

    # On a phone the schedule is one block of labelled lines per payment: nothing clipped,
    # nothing scrolling sideways.
    page.set_viewport_size({"width": 375, "height": 812})
    row = page.get_by_test_id("schedule-row")
    expect(row).to_have_count(1)
    expect(row.get_by_role("cell")).to_have_count(4)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    for cell in row.get_by_role("cell").all():
        box = cell.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375
    assert (
        row.get_by_role("cell").first.evaluate("e => getComputedStyle(e, '::before').content")
        == '"Дата"'
    )
    expect(row).to_contain_text(due)
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 720})

    # Past the due date: the promo ends, interest and the penalty run from the first overdue day.
    page.goto("/sandbox/clock")
    page.get_by_role("button", name="+30 дн.").click()
    expect(page.get_by_test_id("business-date")).to_have_text(format_date(today + timedelta(30)))
    page.goto("/cabinet")
    expect(page.get_by_test_id("loan-status")).to_have_text("Просрочен")
    expect(page.get_by_test_id("days-left")).to_have_text("Просрочка 10 дней")
    with Session(app_engine) as s:
        borrower_id = s.exec(select(Borrower.id).where(Borrower.phone == phone)).one()
        loan = open_loan(s, borrower_id)
        assert loan is not None
        owed = debt.loan_debt(s, loan, today + timedelta(days=30))
    assert owed.penalty_kop > 0 and owed.overdue
    expect(page.get_by_test_id("debt-total")).to_have_text(rub(owed.total_kop))
    expect(page.get_by_test_id("debt-penalty")).to_have_text(rub(owed.penalty_kop))


def test_a_self_banned_person_is_told_why(
    page: Page, borrower_with_passport, passport_photo: Path
) -> None:
    phone, password = borrower_with_passport("000001")
    page.goto("/login")
    sign_in(page, phone, password)
    expect(page).to_have_url(CABINET)
    prepare(page, passport_photo)
    page.get_by_role("button", name="Отправить заявку").click()
    expect(page.get_by_role("heading", name="Заявка отклонена")).to_be_visible(timeout=20_000)
    expect(page.get_by_test_id("refusal")).to_contain_text("самозапрет")
    # The cabinet keeps the refusal and its reason (a self-ban: no date to wait for).
    page.goto("/cabinet")
    expect(page.get_by_role("heading", name="Заявка отклонена")).to_be_visible()
    expect(page.get_by_test_id("refusal")).to_contain_text("самозапрет")
    expect(page.get_by_test_id("reapply")).to_have_count(0)
    assert_accessible(page)


def test_the_cabinet_says_from_when_to_apply_again(
    page: Page, borrower, app_engine: Engine
) -> None:
    phone, password = borrower
    today = SystemClock().today()
    reason = "Мы оценили вашу анкету и сейчас не можем выдать заём."
    with Session(app_engine) as s:
        borrower_id = s.exec(select(Borrower.id).where(Borrower.phone == phone)).one()
        s.add(
            LoanApplication(
                borrower_id=borrower_id,
                amount_kop=tariff.CALCULATOR_AMOUNT,
                term_days=tariff.CALCULATOR_TERM,
                first_loan=True,
                status=ApplicationStatus.REFUSED,
                created_at=SystemClock().now(),
                application_date=today,
                refusal_code="score",
                refusal_text=reason,
                reapply_after=today + timedelta(days=30),
            )
        )
        s.commit()
    page.goto("/login")
    sign_in(page, phone, password)
    expect(page).to_have_url(CABINET)
    expect(page.get_by_role("heading", name="Заявка отклонена")).to_be_visible()
    expect(page.get_by_test_id("refusal")).to_have_text(reason)
    expect(page.get_by_test_id("reapply")).to_have_text(
        f"Подать новую заявку можно с {format_date(today + timedelta(days=30))}."
    )
    expect(page.get_by_role("link", name="Оформить заём")).to_have_count(0)


def test_the_passport_photo_by_keyboard_alone(
    page: Page, borrower, passport_photo: Path, tmp_path: Path
) -> None:
    """Tab to the drop area, Enter opens the picker; a refused photo's error goes while the
    next one goes up (the button busy meanwhile); afterwards the file's name leaves the area."""
    phone, password = borrower
    page.goto("/login")
    sign_in(page, phone, password)
    expect(page).to_have_url(CABINET)
    page.goto("/apply")
    expect(page.get_by_role("heading", name="1. Фото с паспортом")).to_be_visible()
    assert_accessible(page)
    upload = page.get_by_role("button", name="Загрузить фото")
    expect(upload).to_be_enabled()
    # Listening from the start: Playwright intercepts the picker only once someone listens, and
    # a listener added just before the key press can lose that race.
    choosers: list[FileChooser] = []
    page.on("filechooser", lambda chooser: choosers.append(chooser))

    def pick(photo: Path, key: str, tab: str) -> None:
        for _ in range(12):  # Tab (through the header, or back from the button) to the area
            page.keyboard.press(tab)
            if page.evaluate("document.activeElement.id") == "passport-photo":
                break
        expect(page.locator("#passport-photo")).to_be_focused()
        opened = len(choosers)
        page.keyboard.press(key)
        for _ in range(100):
            if len(choosers) > opened:
                break
            page.wait_for_timeout(100)
        assert len(choosers) == opened + 1, f"{key} did not open the file picker"
        choosers[-1].set_files(str(photo))
        expect(page.get_by_test_id("chosen-file")).to_have_text(photo.name)

    pick(jpeg(tmp_path / "tiny.jpg", 300, 200), "Enter", "Tab")
    page.keyboard.press("Tab")
    expect(upload).to_be_focused()
    page.keyboard.press("Enter")
    error = page.get_by_text(re.compile("^Фото слишком маленькое"))
    expect(error).to_be_visible()
    expect(page.get_by_test_id("chosen-file")).to_have_count(0)

    pick(passport_photo, "Space", "Shift+Tab")
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    slow = {"offline": False, "latency": 0, "downloadThroughput": -1}
    cdp.send("Network.emulateNetworkConditions", slow | {"uploadThroughput": 20 * 1024})
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("progressbar", name="Загрузка фото")).to_be_visible()
    expect(error).to_have_count(0)
    expect(upload).to_be_disabled()
    cdp.send("Network.emulateNetworkConditions", slow | {"uploadThroughput": -1})
    expect(page.get_by_text("Фото загружено")).to_be_visible()
    expect(page.get_by_test_id("chosen-file")).to_have_count(0)
    expect(page.get_by_role("button", name="Загрузить другое фото")).to_be_enabled()


def test_a_declined_card_is_not_bound(page: Page, borrower, passport_photo: Path) -> None:
    phone, password = borrower
    page.goto("/login")
    sign_in(page, phone, password)
    expect(page).to_have_url(CABINET)
    prepare(page, passport_photo, "4000 0000 0000 0002")
    expect(page.get_by_test_id("card-notice")).to_contain_text("отклонил")
    expect(page.get_by_role("button", name="Отправить заявку")).to_have_count(0)
