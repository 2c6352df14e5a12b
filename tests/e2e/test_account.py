"""Sign-up, sign-in, lockout, logout and password recovery, as a borrower does them."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import Engine
from sqlmodel import Session, select

from credit7_web.identity.models import AuthSession, Borrower, BorrowerStatus, Profile
from credit7_web.russian import format_phone
from tests.e2e.a11y import assert_accessible
from tests.e2e.conftest import PERSON

CABINET = re.compile(r"/cabinet/?$")


def _fill(page: Page, label: str, value: str) -> None:
    page.get_by_label(label, exact=True).fill(value)


def _next(page: Page) -> None:
    page.get_by_role("button", name=re.compile("^(Далее|Завершить)$")).click()


def sign_in(page: Page, phone: str, password: str) -> None:
    button = page.get_by_role("button", name="Войти", exact=True)
    expect(button).to_be_enabled()  # the page is live: what is typed now stays typed
    page.get_by_label("Номер телефона").fill(format_phone(phone))
    page.get_by_label("Пароль", exact=True).fill(password)
    button.click()


def test_full_sign_up_with_the_sandbox_sms(
    page: Page, new_phone: str, sms_code, app_engine: Engine
) -> None:
    page.goto("/register?amount=12000&term=14")
    page.get_by_label("Номер телефона").fill(format_phone(new_phone))
    page.get_by_role("button", name="Получить код").click()
    expect(page.get_by_text("Нужно согласие на обработку персональных данных")).to_be_visible()

    page.get_by_label(re.compile("Я даю согласие")).check()
    page.get_by_role("button", name="Получить код").click()
    expect(page.get_by_text(format_phone(new_phone))).to_be_visible()
    page.get_by_label("Код из SMS").fill("000000" if sms_code(new_phone) != "000000" else "111111")
    page.get_by_role("button", name="Подтвердить").click()
    expect(page.get_by_text(re.compile("Неверный код"))).to_be_visible()
    page.get_by_label("Код из SMS").fill(sms_code(new_phone))
    page.get_by_role("button", name="Подтвердить").click()

    page.get_by_label("Придумайте пароль").fill("Secret123")
    page.get_by_label("Повторите пароль").fill("Secret124")
    page.get_by_role("button", name="Создать аккаунт").click()
    expect(page.get_by_text("Пароли не совпадают")).to_be_visible()
    page.get_by_label("Придумайте пароль").fill("Secret123")
    page.get_by_label("Повторите пароль").fill("Secret123")
    page.get_by_role("button", name="Создать аккаунт").click()

    expect(page.get_by_role("heading", name="Личные данные")).to_be_visible()
    assert_accessible(page)
    _fill(page, "Фамилия", PERSON["last_name"])
    _fill(page, "Имя", PERSON["first_name"])
    _fill(page, "Отчество (если есть)", PERSON["middle_name"])
    _fill(page, "Дата рождения", "15.05.2015")
    _fill(page, "Место рождения (как в паспорте)", PERSON["birth_place"])
    page.get_by_label("Гражданство").select_option("RUS")
    _next(page)
    expect(page.get_by_text("Займы выдаются только с 18 лет")).to_be_visible()
    _fill(page, "Дата рождения", PERSON["birth_date"])
    _next(page)

    expect(page.get_by_role("heading", name="Паспорт")).to_be_visible()
    _fill(page, "Серия", PERSON["passport_series"])
    _fill(page, "Номер", PERSON["passport_number"])
    _fill(page, "Дата выдачи", PERSON["passport_issue_date"])
    _fill(page, "Кем выдан", PERSON["passport_issuer"])
    page.get_by_label("Код подразделения").fill(PERSON["passport_division_code"])
    page.get_by_label("Код подразделения").blur()
    _next(page)

    # Leaving half-way and coming back resumes where the borrower stopped.
    expect(page.get_by_role("heading", name="Адреса")).to_be_visible()
    _fill(page, "Адрес регистрации", PERSON["reg_address"])
    page.get_by_label("Адрес регистрации").blur()
    page.goto("/")
    page.goto("/register/questionnaire")
    expect(page.get_by_role("heading", name="Адреса")).to_be_visible()
    expect(page.get_by_label("Адрес регистрации")).to_have_value(PERSON["reg_address"])
    page.get_by_role("button", name="Назад").click()
    expect(page.get_by_label("Серия")).to_have_value("45 10")  # as the mask showed it
    _next(page)
    expect(page.get_by_label("Адрес регистрации")).to_have_value(PERSON["reg_address"])
    _next(page)

    expect(page.get_by_role("heading", name="СНИЛС и почта")).to_be_visible()
    _fill(page, "СНИЛС", "112-233-445 96")
    _fill(page, "Электронная почта", PERSON["email"])
    _next(page)
    expect(page.get_by_text(re.compile("Проверьте СНИЛС"))).to_be_visible()
    _fill(page, "СНИЛС", PERSON["snils"])
    _next(page)

    expect(page.get_by_role("heading", name="Работа, семья и доход")).to_be_visible()
    _fill(page, "Место работы", PERSON["employer"])
    _fill(page, "Должность", PERSON["position"])
    page.get_by_label("Семейное положение").select_option(PERSON["family_status"])
    _fill(page, "Количество иждивенцев", PERSON["dependants"])
    _fill(page, "Ежемесячный доход, ₽", PERSON["monthly_income"])
    _next(page)

    expect(page).to_have_url(CABINET)
    expect(page.get_by_role("heading", name="Здравствуйте, Мария Петровна!")).to_be_visible()
    expect(page.get_by_text("Нет активных займов")).to_be_visible()
    expect(page.get_by_text("12\u00a0000\u00a0₽ на 14 дн.")).to_be_visible()
    assert_accessible(page)
    with Session(app_engine) as s:
        borrower = s.exec(select(Borrower).where(Borrower.phone == new_phone)).one()
        profile = s.get(Profile, borrower.id)
        assert borrower.status == BorrowerStatus.ACTIVE
        assert (borrower.requested_amount_kop, borrower.requested_term_days) == (1_200_000, 14)
        assert profile is not None
        assert profile.snils == "11223344595"
        assert profile.res_address == PERSON["reg_address"]
        assert profile.monthly_income_kop == 6_000_000


def test_cabinet_sends_strangers_to_sign_in_and_back(page: Page, borrower) -> None:
    phone, password = borrower
    page.goto("/cabinet")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fcabinet(%2F)?$"))
    sign_in(page, phone, password)
    expect(page).to_have_url(CABINET)
    expect(page.get_by_text("Нет активных займов")).to_be_visible()

    page.reload()
    expect(page.get_by_role("heading", name=re.compile("Здравствуйте"))).to_be_visible()

    page.get_by_role("button", name="Выйти").click()
    expect(page).to_have_url(re.compile(r"/login/?$"))
    page.goto("/cabinet")
    expect(page).to_have_url(re.compile(r"/login\?next="))


def test_logout_ends_the_session_on_the_server(page: Page, borrower, app_engine: Engine) -> None:
    phone, password = borrower
    page.goto("/login")
    sign_in(page, phone, password)
    expect(page).to_have_url(CABINET)
    cookie = next(c for c in page.context.cookies() if c["name"] == "c7_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    page.get_by_role("button", name="Выйти").click()
    expect(page).to_have_url(re.compile(r"/login/?$"))
    with Session(app_engine) as s:
        rows = s.exec(select(AuthSession).join(Borrower).where(Borrower.phone == phone)).all()
    assert rows and all(row.revoked_at is not None for row in rows)


def test_five_wrong_passwords_lock_the_phone(page: Page, borrower) -> None:
    phone, password = borrower
    page.goto("/login")
    for _ in range(4):
        sign_in(page, phone, "Wrong12345")
        expect(page.get_by_text("Неверный телефон или пароль")).to_be_visible()
    sign_in(page, phone, "Wrong12345")
    locked = re.compile(r"Вход заблокирован .* после \d\d:\d\d \(мск\)")
    expect(page.get_by_text(locked)).to_be_visible()
    sign_in(page, phone, password)
    expect(page.get_by_text(locked)).to_be_visible()
    expect(page).to_have_url(re.compile(r"/login/?$"))


def test_recovery_sets_a_new_password_and_ends_old_sessions(
    page: Page, browser: Browser, base_url: str, borrower, sms_code
) -> None:
    phone, old_password = borrower
    other = browser.new_context(base_url=base_url)
    elsewhere = other.new_page()
    elsewhere.goto("/login")
    sign_in(elsewhere, phone, old_password)
    expect(elsewhere).to_have_url(CABINET)

    page.goto("/login")
    page.get_by_role("link", name="Забыли пароль?").click()
    expect(page.get_by_role("heading", name="Восстановление пароля")).to_be_visible()
    expect(page.get_by_role("button", name="Продолжить")).to_be_enabled()
    page.get_by_label("Номер телефона").fill(format_phone(phone))
    page.get_by_role("button", name="Продолжить").click()
    expect(page.get_by_label("Код из SMS")).to_be_visible()
    page.get_by_label("Код из SMS").fill(sms_code(phone))
    page.get_by_role("button", name="Подтвердить").click()
    page.get_by_label("Новый пароль").fill("Fresh4567")
    page.get_by_label("Повторите пароль").fill("Fresh4567")
    page.get_by_role("button", name="Сохранить пароль").click()
    expect(page.get_by_text("Пароль изменён. Войдите с новым паролем.")).to_be_visible()

    sign_in(page, phone, old_password)
    expect(page.get_by_text("Неверный телефон или пароль")).to_be_visible()
    sign_in(page, phone, "Fresh4567")
    expect(page).to_have_url(CABINET)

    elsewhere.reload()
    expect(elsewhere).to_have_url(re.compile(r"/login\?next="))
    other.close()


def test_recovery_answers_alike_for_an_unknown_phone(page: Page, new_phone: str) -> None:
    page.goto("/recover")
    page.get_by_label("Номер телефона").fill(format_phone(new_phone))
    page.get_by_role("button", name="Продолжить").click()
    expect(page.get_by_label("Код из SMS")).to_be_visible()
    expect(page.get_by_text(format_phone(new_phone))).to_be_visible()


def test_the_sandbox_sms_page_shows_the_code(page: Page, new_phone: str, read_sms) -> None:
    """A person trying the app reads the code where the test reads it: the sandbox outbox."""
    page.goto("/register")
    page.get_by_label("Номер телефона").fill(format_phone(new_phone))
    page.get_by_label(re.compile("Я даю согласие")).check()
    page.get_by_role("button", name="Получить код").click()
    expect(page.get_by_label("Код из SMS")).to_be_visible()
    sent = read_sms(new_phone)  # once the outbox has delivered it (a job, a moment after)
    page.goto("/sandbox/sms")
    row = page.get_by_role("row").filter(has_text=format_phone(new_phone))
    expect(row).to_have_count(1)
    expect(row.get_by_test_id("sms-text")).to_have_text(sent)
    expect(row).to_contain_text(re.compile(r"код для регистрации \d{6}"))
    assert_accessible(page)
