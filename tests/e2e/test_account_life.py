"""Account life in Chromium: sign-up through the sandbox Gosuslugi, phone change, deletion and
restoration. What a test is not about is set up with domain calls on the app's database."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import Engine
from sqlmodel import Session, col, select, update

from credit7_web.clock import Clock
from credit7_web.identity import deletion
from credit7_web.identity.models import (
    Borrower,
    BorrowerStatus,
    DeletionRequest,
    DeletionStatus,
)
from credit7_web.lending.models import Loan
from credit7_web.messages.outbox import Outbox
from credit7_web.russian import format_phone
from credit7_web.sandbox import business_date
from credit7_web.sandbox import esia as sandbox
from credit7_web.settings import Settings
from tests.e2e.a11y import assert_accessible
from tests.e2e.conftest import SECRET_KEY, ConsoleOperator
from tests.e2e.test_account import CABINET, sign_in
from tests.e2e.test_loan import prepare
from tests.e2e.test_operator import operator_signs_in
from tests.jobs import instant_sms
from tests.unit.account_setup import jpeg, lend, repay

APPLY = re.compile(r"/apply/?$")
PROVIDER = re.compile(r"/sandbox/esia/aas/oauth2/ac\?")


@dataclass
class Domain:
    """Domain calls on the app's database, for the set-up a test is not about."""

    engine: Engine
    settings: Settings

    @contextmanager
    def unit(self) -> Iterator[tuple[Session, Clock, Outbox]]:
        with Session(self.engine) as s:
            clock = business_date.clock_for(s)
            yield s, clock, instant_sms(s, clock)

    def borrower_id(self, phone: str) -> int:
        with Session(self.engine) as s:
            return s.exec(select(Borrower.id).where(Borrower.phone == phone)).one()


@pytest.fixture
def domain(app_engine: Engine, tmp_path: Path) -> Domain:
    """The app's key (a deleted account's trace is keyed with it); PDFs made here stay here."""
    return Domain(
        app_engine, Settings(secret_key=SECRET_KEY.encode(), bcrypt_rounds=4, data_dir=tmp_path)
    )


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    path = tmp_path / "passport.jpg"
    path.write_bytes(jpeg())
    return path


def live(page: Page, path: str) -> None:
    """Open a page and wait until it is live (hydrated): a click before may go nowhere."""
    page.goto(path)
    expect(page.locator("button[type=submit]").first).to_be_enabled()


def choose_person(page: Page, person: sandbox.Persona) -> None:
    expect(page).to_have_url(PROVIDER)
    page.get_by_role("button", name=f"Войти как {person.name}").click()


def test_a_confirmed_person_signs_up_through_gosuslugi_and_applies(
    page: Page,
    sms_code,
    photo: Path,
) -> None:
    page.goto("/")
    expect(page.get_by_test_id("calc-amount-range")).to_be_enabled()  # the page is live
    page.get_by_role("link", name="Оформите заём через Госуслуги").click()
    choose_person(page, sandbox.CONFIRMED)

    expect(page.get_by_role("heading", name="Данные с Госуслуг")).to_be_visible()
    for label, value in (
        ("Фамилия", "Смирнова"),
        ("Номер паспорта", "345678"),
        ("СНИЛС", "145-236-987 76"),
        ("Адрес регистрации", "г. Москва, ул. Арбат, д. 10, кв. 5"),
    ):
        locked = page.get_by_label(label, exact=True)
        expect(locked).to_have_value(value)
        expect(locked).not_to_be_editable()
    expect(page.get_by_text("из Госуслуг").first).to_be_visible()

    page.get_by_label("Место рождения (как в паспорте)").fill("г. Москва")
    page.get_by_label("Место работы").fill("ООО «Ромашка»")
    page.get_by_label("Должность").fill("Инженер")
    page.get_by_label("Семейное положение").select_option("married")
    page.get_by_label("Количество иждивенцев").fill("0")
    page.get_by_label("Ежемесячный доход, ₽").fill("90000")
    page.get_by_label("Придумайте пароль").fill("Secret123")
    page.get_by_label("Повторите пароль").fill("Secret123")
    page.get_by_role("button", name="Получить код по SMS").click()
    expect(page.get_by_text("Нужно согласие на обработку персональных данных")).to_be_visible()
    page.get_by_label(re.compile("Я даю согласие")).check()
    page.get_by_role("button", name="Получить код по SMS").click()

    expect(page.get_by_text(format_phone("9165550101"))).to_be_visible()
    page.get_by_label("Код из SMS").fill(sms_code("9165550101"))
    page.get_by_role("button", name="Подтвердить и создать аккаунт").click()
    expect(page).to_have_url(APPLY)

    prepare(page, photo)
    page.get_by_role("button", name="Отправить заявку").click()
    expect(page.get_by_role("heading", name="Заём одобрен")).to_be_visible(timeout=20_000)


def test_an_unconfirmed_person_is_refused_with_the_reason(page: Page) -> None:
    live(page, "/login")
    page.get_by_role("link", name="Войти через Госуслуги").click()
    choose_person(page, sandbox.SIMPLIFIED)
    refusal = page.get_by_test_id("gosuslugi-refusal")
    expect(refusal).to_contain_text("учётная запись на Госуслугах не подтверждена")
    refusal.get_by_role("link", name="Зарегистрироваться по номеру телефона").click()
    expect(page).to_have_url(re.compile(r"/register/?$"))


def test_a_tampered_code_or_state_is_refused(page: Page) -> None:
    live(page, "/register")
    page.get_by_role("link", name="Войти через Госуслуги").click()
    expect(page).to_have_url(PROVIDER)
    state = dict(parse_qsl(urlsplit(page.url).query))["state"]
    page.goto(f"/gosuslugi/callback?code=forged-code&state={state}")
    refusal = page.get_by_test_id("gosuslugi-refusal")
    expect(refusal).to_contain_text("не подтвердили код авторизации")

    refusal.get_by_role("link", name="Попробовать через Госуслуги ещё раз").click()
    expect(page).to_have_url(PROVIDER)
    page.goto("/gosuslugi/callback?code=whatever&state=forged-state")
    expect(page.get_by_test_id("gosuslugi-refusal")).to_contain_text("параметр state")


def test_a_changed_phone_signs_in_and_the_old_one_does_not(page: Page, borrower, sms_code) -> None:
    phone, password = borrower
    new_phone = "9" + str(uuid.uuid4().int)[:9]
    page.goto("/login")
    sign_in(page, phone, password)
    expect(page).to_have_url(CABINET)
    page.get_by_role("link", name="Профиль").click()
    expect(page.get_by_test_id("profile-phone")).to_have_text(format_phone(phone))
    expect(page.get_by_test_id("profile-passport")).to_have_text("•••• ••3456")

    page.get_by_role("button", name="Сменить телефон").click()
    page.get_by_label("Текущий пароль").fill(password)
    page.get_by_label("Новый номер телефона").fill(format_phone(new_phone))
    page.get_by_role("button", name="Получить код").click()
    expect(page.get_by_label("Код из SMS")).to_be_visible()
    page.get_by_label("Код из SMS").fill(sms_code(new_phone))
    page.get_by_role("button", name="Подтвердить новый номер").click()
    expect(page.get_by_text(re.compile("Телефон изменён"))).to_be_visible()
    expect(page.get_by_test_id("profile-phone")).to_have_text(format_phone(new_phone))

    page.get_by_role("link", name="Вернуться в личный кабинет").click()
    page.get_by_role("button", name="Выйти").click()
    expect(page).to_have_url(re.compile(r"/login/?$"))
    sign_in(page, phone, password)
    expect(page.get_by_text("Неверный телефон или пароль")).to_be_visible()
    sign_in(page, new_phone, password)
    expect(page).to_have_url(CABINET)


def open_queue(browser: Browser, base_url: str, operator: ConsoleOperator, section: str) -> Page:
    """The operator's own browser, signed in to the console, on one of its queues."""
    console = browser.new_context(locale="ru-RU", base_url=base_url).new_page()
    operator_signs_in(console, operator)
    console.get_by_role("link", name=section).first.click()
    expect(console.get_by_role("heading", level=1)).to_have_text(section)
    return console


def first_to_delete(domain: Domain, borrower_id: int) -> None:
    """Put this borrower's request at the head of the queue, whatever other tests left waiting:
    theirs are moved later (never earlier, or the deletion job might take them meanwhile)."""
    with domain.unit() as (s, clock, _):
        s.exec(
            update(DeletionRequest)
            .where(
                col(DeletionRequest.status) == DeletionStatus.PENDING,
                col(DeletionRequest.borrower_id) != borrower_id,
            )
            .values(due_on=clock.today() + timedelta(days=30))
        )
        s.commit()


def test_deletion_is_refused_with_a_loan_open_and_carried_out_without_one(
    page: Page,
    browser: Browser,
    base_url: str,
    borrower,
    domain: Domain,
    accounts_operator: ConsoleOperator,
) -> None:
    phone, password = borrower
    with domain.unit() as (s, clock, _):
        loan = lend(s, clock, domain.settings, domain.borrower_id(phone))
        number, loan_id = loan.number, loan.id
    page.goto("/login")
    sign_in(page, phone, password)
    expect(page).to_have_url(CABINET)
    page.goto("/profile")
    page.get_by_role("button", name="Удалить аккаунт").click()
    page.get_by_role("button", name="Да, удалить аккаунт").click()
    expect(page.get_by_text(f"По договору № {number} заём ещё не погашен")).to_be_visible()

    with domain.unit() as (s, clock, _):
        repay(s, clock, s.get(Loan, loan_id))  # type: ignore[arg-type]
    page.get_by_role("button", name="Да, удалить аккаунт").click()
    expect(page.get_by_test_id("deletion-pending")).to_contain_text("будет удалён не позднее")

    first_to_delete(domain, domain.borrower_id(phone))
    console = open_queue(browser, base_url, accounts_operator, "Удаление аккаунтов")
    item = console.get_by_test_id("deletion-item")
    expect(item).to_contain_text(format_phone(phone))
    expect(item.get_by_test_id("deletion-blocker")).to_have_count(0)
    assert_accessible(console)
    item.get_by_role("button", name="Удалить сейчас").click()
    expect(console.get_by_text("Аккаунт удалён, клиенту отправлено SMS.")).to_be_visible()
    console.context.close()
    page.reload()
    expect(page).to_have_url(re.compile(r"/login\?next="))
    sign_in(page, phone, password)
    expect(page.get_by_text("Неверный телефон или пароль")).to_be_visible()


def test_a_restored_account_comes_back_with_its_loans(
    page: Page,
    browser: Browser,
    base_url: str,
    borrower,
    domain: Domain,
    photo: Path,
    sms_code,
    accounts_operator: ConsoleOperator,
) -> None:
    phone, _ = borrower
    borrower_id = domain.borrower_id(phone)
    with domain.unit() as (s, clock, sms):
        loan = lend(s, clock, domain.settings, borrower_id)
        repay(s, clock, loan)
        number = loan.number
        request = deletion.request_deletion(s, clock, sms, borrower_id)
        deletion.carry_out_deletion(s, clock, domain.settings, sms, request.id or 0, None)

    live(page, "/login")
    page.get_by_role("link", name="Восстановить удалённый аккаунт").click()
    expect(page.get_by_role("heading", name="Восстановление удалённого аккаунта")).to_be_visible()
    page.get_by_label("Номер телефона").fill(format_phone(phone))
    for label in ("Фото разворота паспорта", "Селфи с паспортом в руке"):
        page.get_by_label(label).set_input_files(str(photo))
        page.get_by_role("button", name="Загрузить фото").first.click()
        expect(page.get_by_role("button", name="Загрузить другое фото")).to_have_count(
            1 if label.startswith("Фото") else 2
        )
    page.get_by_role("button", name="Отправить заявку").click()
    expect(page.get_by_text(re.compile("Заявка отправлена"))).to_be_visible()

    console = open_queue(browser, base_url, accounts_operator, "Восстановление аккаунтов")
    item = console.get_by_test_id("restoration-item")
    expect(item).to_contain_text(format_phone(phone))
    expect(item.get_by_test_id("restoration-account")).to_contain_text(number)
    for name in ("Фото разворота паспорта", "Селфи с паспортом в руке"):
        image = item.get_by_role("img", name=name)
        expect(image).to_be_visible()
        image.evaluate("img => img.decode()")  # served by the accounts role's route
        assert image.evaluate("img => img.naturalWidth") > 0
    assert_accessible(console)
    item.get_by_role("button", name="Восстановить").click()
    expect(console.get_by_text(re.compile("Аккаунт восстановлен"))).to_be_visible()
    expect(console.get_by_test_id("restoration-item")).to_have_count(0)
    console.goto("/operator/audit")
    expect(console.get_by_test_id("audit-entry").first).to_contain_text("Аккаунт восстановлен")
    console.context.close()

    page.goto("/recover")
    page.get_by_label("Номер телефона").fill(format_phone(phone))
    page.get_by_role("button", name="Продолжить").click()
    expect(page.get_by_label("Код из SMS")).to_be_visible()
    page.get_by_label("Код из SMS").fill(sms_code(phone))
    page.get_by_role("button", name="Подтвердить").click()
    page.get_by_label("Новый пароль").fill("Back4567")
    page.get_by_label("Повторите пароль").fill("Back4567")
    page.get_by_role("button", name="Сохранить пароль").click()
    sign_in(page, phone, "Back4567")
    # Its questionnaire was erased with the deletion: it is asked again; the loans stayed.
    expect(page.get_by_role("heading", name="Личные данные")).to_be_visible()
    with domain.unit() as (s, _, _):
        assert s.get(Borrower, borrower_id).status == BorrowerStatus.QUESTIONNAIRE  # type: ignore[union-attr]
        assert s.exec(select(Loan).where(Loan.borrower_id == borrower_id)).all()
