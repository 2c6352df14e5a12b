"""Paying back in Chromium: a partial then a full repayment in the cabinet, and quick pay."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from PIL import Image
from playwright.sync_api import Page, expect
from sqlalchemy import Engine
from sqlmodel import Session, select

from credit7_web.identity import kyc
from credit7_web.identity.accounts import find_borrower
from credit7_web.identity.models import OneTimeCode
from credit7_web.lending import applications, cards, signing
from credit7_web.money import rub
from credit7_web.sandbox import business_date
from credit7_web.sandbox.acquirer import SandboxAcquirer, check_card_entry
from credit7_web.sandbox.bureaus import sandbox_bureaus
from credit7_web.settings import Settings
from tests.e2e.a11y import assert_accessible
from tests.e2e.test_account import CABINET, sign_in
from tests.jobs import NoJobs, instant_sms

SETTINGS = Settings(secret_key=b"unused-for-passwords", bcrypt_rounds=4)


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1200, 900), (200, 190, 170)).save(out, "JPEG", quality=90)
    return out.getvalue()


@pytest.fixture
def borrower_with_loan(borrower, app_engine: Engine, app_data_dir, sms_code):
    """A borrower whose first loan of 10 000 ₽ is on the card: (phone, password)."""
    phone, password = borrower
    settings = Settings(secret_key=b"unused", bcrypt_rounds=4, data_dir=app_data_dir)
    with Session(app_engine) as s:
        clock = business_date.clock_for(s)
        acquirer = SandboxAcquirer(s, clock)
        borrower_id = find_borrower(s, phone).id  # type: ignore[union-attr]
        kyc.save_passport_photo(s, clock, settings, borrower_id, jpeg(), "selfie.jpg")
        order = cards.start_binding(s, clock, acquirer, borrower_id, "/cards/return")
        entry = check_card_entry("4111111111111111", "12/30", "123", "MARIA", clock.today())
        acquirer.submit_card(order.rsplit("/", 1)[1], entry)
        s.commit()
        cards.finish_binding(s, clock, acquirer, borrower_id, order.rsplit("/", 1)[1])
        application = applications.apply(s, clock, NoJobs(), borrower_id, 10_000_00, 20, [])
        applications.decide(
            s, clock, settings, sandbox_bureaus(), instant_sms(s, clock), application.id or 0
        )
        loan = applications.open_loan(s, borrower_id)
        assert loan is not None
        loan_id = loan.id
        signing.send_sign_code(s, clock, settings, instant_sms(s, clock), borrower_id, loan_id)
    with Session(app_engine) as s:
        clock = business_date.clock_for(s)
        signing.sign(
            s, clock, settings, SandboxAcquirer(s, clock), borrower_id, loan_id, sms_code(phone)
        )
    return phone, password


def pay_in_cabinet(page: Page, phone: str, sms_code, amount: str | None) -> None:
    """«Погасить» → the sum (`None`: all of it) → the code → the acquirer's page."""
    page.get_by_role("link", name="Погасить").click()
    expect(page.get_by_role("heading", name="Погашение займа")).to_be_visible()
    if amount is None:
        page.get_by_label("Новая карта").check()
    else:
        page.get_by_label("Другая сумма").check()
        page.get_by_label("Сумма платежа").fill(amount)
    assert_accessible(page)
    page.get_by_role("button", name="Оплатить").click()
    expect(page.get_by_label("Код из SMS")).to_be_visible()
    page.get_by_label("Код из SMS").fill(sms_code(phone))
    page.get_by_role("button", name="Подтвердить и перейти к оплате").click()
    expect(page).to_have_url(re.compile(r"/sandbox/acquirer/pay/"))


def a_minute_passes(engine: Engine, phone: str) -> None:
    with Session(engine) as s:
        for code in s.exec(select(OneTimeCode).where(OneTimeCode.phone == phone)):
            code.created_at -= timedelta(seconds=61)
            s.add(code)
        s.commit()


def test_a_partial_then_a_full_repayment_in_the_cabinet(
    page: Page, borrower_with_loan, sms_code, app_engine: Engine
) -> None:
    phone, password = borrower_with_loan
    page.goto("/login")
    sign_in(page, phone, password)
    expect(page).to_have_url(CABINET)
    expect(page.get_by_test_id("debt-total")).to_have_text(rub(10_000_00))

    pay_in_cabinet(page, phone, sms_code, "1500")
    page.get_by_role("button", name=f"Оплатить {rub(1_500_00)}").click()  # the bound card
    expect(page.get_by_test_id("payment-note")).to_have_text(
        f"Платёж {rub(1_500_00)} принят. Квитанция отправлена в SMS."
    )
    expect(page.get_by_test_id("debt-total")).to_have_text(rub(8_500_00))
    payments = page.get_by_test_id("operation").filter(has_text="Платёж по договору")
    expect(payments).to_contain_text("−" + rub(1_500_00))
    assert_accessible(page)

    a_minute_passes(app_engine, phone)  # a new code is sent no sooner than 60 s after the last
    pay_in_cabinet(page, phone, sms_code, None)
    page.get_by_label("Номер карты").fill("4111 1111 1111 1111")
    page.get_by_label(re.compile("Срок действия")).fill("1230")
    page.get_by_label("CVC").fill("123")
    page.get_by_role("button", name=f"Оплатить {rub(8_500_00)}").click()
    expect(page.get_by_test_id("payment-note")).to_contain_text(f"Платёж {rub(8_500_00)} принят")
    expect(page.get_by_role("heading", name="Нет активных займов")).to_be_visible()
    statement = page.get_by_role("link", name=re.compile("Справка о погашении займа"))
    expect(statement).to_have_count(1)
    assert page.request.get(statement.get_attribute("href")).body()[:5] == b"%PDF-"

    # Repaid on time: the next application may ask for 50 000 ₽.
    page.goto("/apply")
    page.get_by_label("Сумма займа, ₽").fill("50000")
    page.get_by_label("Срок, дней").fill("30")
    # 50 000 ₽ for 30 days at the base rate (no promo on a repeat loan): 62 000 ₽ to repay.
    expect(page.get_by_test_id("apply-total")).to_have_text(rub(62_000_00))


def test_quick_pay_from_the_landing(page: Page, borrower_with_loan) -> None:
    phone, _ = borrower_with_loan
    page.goto("/")
    page.get_by_role("link", name="Внести платёж").first.click()
    expect(page.get_by_role("heading", name="Внести платёж")).to_be_visible()
    button = page.get_by_role("button", name="Найти заём")
    expect(button).to_be_enabled()
    page.get_by_label("Номер телефона").fill(phone)
    page.get_by_label("Фамилия").fill("Петрова")
    button.click()
    expect(page.get_by_role("alert")).to_contain_text("не найден")
    expect(page.get_by_test_id("quick-name")).to_have_count(0)
    assert_accessible(page)

    page.get_by_label("Фамилия").fill("Иванова")
    button.click()
    expect(page.get_by_test_id("quick-name")).to_have_text("Заёмщик: Мария И.")
    expect(page.get_by_test_id("quick-total")).to_contain_text(rub(10_000_00))
    assert_accessible(page)
    page.get_by_label("Сумма платежа").fill("500")
    page.get_by_role("button", name="Оплатить").click()
    expect(page).to_have_url(re.compile(r"/sandbox/acquirer/pay/"))
    page.get_by_label("Номер карты").fill("4111 1111 1111 1111")
    page.get_by_label(re.compile("Срок действия")).fill("1230")
    page.get_by_label("CVC").fill("123")
    page.get_by_role("button", name=f"Оплатить {rub(500_00)}").click()
    expect(page.get_by_test_id("payment-note")).to_have_text(
        f"Платёж {rub(500_00)} принят. Квитанция отправлена в SMS."
    )
