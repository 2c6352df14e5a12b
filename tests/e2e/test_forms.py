"""Forms as a borrower types into them: secondary buttons never submit, a double click counts
once, the browser never judges a field in English, and digits get their dots and dashes."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from credit7_web.clock import SystemClock
from credit7_web.identity import accounts
from credit7_web.identity.models import LoginThrottle, OneTimeCode
from credit7_web.settings import Settings
from tests.e2e.a11y import assert_accessible
from tests.e2e.conftest import PERSON
from tests.e2e.test_account import sign_in

COUNTDOWN = re.compile(r"^Новый код — через \d+ с$")


def _codes(engine: Engine, phone: str) -> list[OneTimeCode]:
    with Session(engine) as s:
        return list(
            s.exec(
                select(OneTimeCode).where(OneTimeCode.phone == phone).order_by(col(OneTimeCode.id))
            )
        )


def _age_codes(engine: Engine, phone: str, seconds: int) -> None:
    with Session(engine) as s:
        for row in s.exec(select(OneTimeCode).where(OneTimeCode.phone == phone)):
            row.created_at -= timedelta(seconds=seconds)
            s.add(row)
        s.commit()


def test_a_new_code_never_submits_the_code_form(
    page: Page, new_phone: str, sms_code, app_engine: Engine
) -> None:
    """«Отправить код ещё раз» with the right code typed: a new code comes, the typed one is
    not judged, no try is used, and the wait shows as a countdown, not as an error."""
    page.goto("/register")
    phone = page.get_by_label("Номер телефона")
    phone.press_sequentially("8" + new_phone)  # as typed on a phone: 8 9XX …
    expect(phone).to_have_value(
        f"+7 ({new_phone[:3]}) {new_phone[3:6]}-{new_phone[6:8]}-{new_phone[8:]}"
    )
    page.get_by_label(re.compile("Я даю согласие")).check()
    page.get_by_role("button", name="Получить код").click()
    resend = page.get_by_test_id("resend")
    expect(resend).to_have_text(COUNTDOWN)
    expect(resend).to_be_disabled()
    assert_accessible(page)

    # A minute later (the server's clock is the judge; the page asks it again on reload).
    _age_codes(app_engine, new_phone, 61)
    page.reload()
    expect(resend).to_have_text("Отправить код ещё раз")
    expect(resend).to_be_enabled()
    first = sms_code(new_phone)
    page.get_by_label("Код из SMS").fill(first)
    resend.click()

    notice = page.get_by_test_id("code-notice")
    expect(notice).to_have_text("Мы отправили новый код.")
    expect(notice).to_have_attribute("role", "status")  # news, not an alert
    expect(resend).to_have_text(COUNTDOWN)
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(page.get_by_text(re.compile("Введите 6 цифр|Неверный код"))).to_have_count(0)
    old, new = _codes(app_engine, new_phone)
    assert (old.attempts, new.attempts) == (0, 0)  # the typed code was never judged

    page.get_by_label("Код из SMS").fill(sms_code(new_phone))
    page.get_by_role("button", name="Подтвердить").click()
    expect(page.get_by_label("Придумайте пароль")).to_be_visible()


def test_a_double_click_on_sign_in_counts_once(page: Page, borrower, app_engine: Engine) -> None:
    phone, _ = borrower
    page.goto("/login")
    button = page.get_by_role("button", name="Войти", exact=True)
    expect(button).to_be_enabled()
    page.get_by_label("Номер телефона").fill(phone)
    page.get_by_label("Пароль", exact=True).fill("Wrong12345")
    button.dblclick()
    expect(page.get_by_text("Неверный телефон или пароль")).to_be_visible()
    expect(button).to_be_enabled()
    page.wait_for_timeout(500)  # a second submission, had it gone, would have landed by now
    with Session(app_engine) as s:
        throttle = s.get(LoginThrottle, phone)
    assert throttle is not None and throttle.failures == 1


@pytest.fixture
def new_borrower(app_engine: Engine, new_phone: str) -> tuple[str, str]:
    """Signed up, the questionnaire not begun."""
    password = "Secret123"
    clock = SystemClock()
    settings = Settings(secret_key=b"unused-for-passwords", bcrypt_rounds=4)
    with Session(app_engine) as s:
        accounts.create_borrower(s, clock, settings, new_phone, password, password, clock.now())
    return new_phone, password


def _next(page: Page) -> None:
    page.get_by_role("button", name=re.compile("^(Далее|Завершить)$")).click()


def test_the_questionnaire_typed_on_a_phone_keypad(page: Page, new_borrower) -> None:
    """375 px, digits only: dates, passport and СНИЛС get their separators as typed; an empty
    choice asks to choose; an address the browser would call invalid gets a Russian answer."""
    page.set_viewport_size({"width": 375, "height": 812})
    phone, password = new_borrower
    page.goto("/login")
    sign_in(page, phone, password)
    expect(page.get_by_role("heading", name="Личные данные")).to_be_visible()

    for label, name in [("Фамилия", "last_name"), ("Имя", "first_name")]:
        page.get_by_label(label, exact=True).fill(PERSON[name])
    page.get_by_label("Место рождения (как в паспорте)").fill(PERSON["birth_place"])
    birth = page.get_by_label("Дата рождения")
    birth.press_sequentially("15051990")
    expect(birth).to_have_value("15.05.1990")
    _next(page)
    expect(page.get_by_text("Выберите гражданство")).to_be_visible()
    expect(page.get_by_text("только гражданам")).to_have_count(0)
    page.get_by_label("Гражданство").select_option("RUS")
    _next(page)

    expect(page.get_by_role("heading", name="Паспорт")).to_be_visible()
    typed = {
        "Серия": ("4510", "45 10"),
        "Номер": ("123456", "123456"),
        "Дата выдачи": ("20062010", "20.06.2010"),
        "Код подразделения": ("770001", "770-001"),
    }
    for label, (digits, shown) in typed.items():
        field = page.get_by_label(label, exact=True)
        field.press_sequentially(digits)
        expect(field).to_have_value(shown)
    page.get_by_label("Кем выдан").fill(PERSON["passport_issuer"])
    _next(page)

    expect(page.get_by_role("heading", name="Адреса")).to_be_visible()
    page.get_by_label("Адрес регистрации").fill(PERSON["reg_address"])
    _next(page)

    expect(page.get_by_role("heading", name="СНИЛС и почта")).to_be_visible()
    snils = page.get_by_label("СНИЛС")
    snils.press_sequentially("11223344595")
    expect(snils).to_have_value("112-233-445 95")
    email = page.get_by_label("Электронная почта")
    email.fill("maria.example.ru")
    _next(page)
    error = page.get_by_text("Введите адрес электронной почты, например name@mail.ru")
    expect(error).to_be_visible()  # the server's Russian words; no English bubble stopped it
    expect(page.get_by_role("heading", name="СНИЛС и почта")).to_be_visible()
    assert_accessible(page)
    email.fill("maria@почта.рф")
    _next(page)
    expect(page.get_by_role("heading", name="Работа, семья и доход")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
