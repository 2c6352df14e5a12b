"""The operator console in Chromium: an operator made by the command signs in with a password
and a TOTP code, rejects a borrower's passport photo with a reason, the borrower sees the reason
and uploads a new photo, the operator confirms it; a borrower's session cannot open the console.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pyotp
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import Engine
from sqlmodel import Session, col, select, update

from credit7_web.clock import SystemClock
from credit7_web.identity import kyc
from credit7_web.identity.models import Borrower, PassportPhoto
from credit7_web.russian import format_phone
from credit7_web.settings import Settings
from tests.e2e.a11y import assert_accessible
from tests.e2e.conftest import ConsoleOperator
from tests.e2e.test_account import sign_in
from tests.e2e.test_loan import passport_photo  # noqa: F401  (a fixture)
from tests.operator_setup import OPERATOR_PASSWORD

REASON = "Паспорт не читается: переснимите при дневном свете"
LONG_AGO = datetime(2020, 1, 1)


def first_in_queue(engine: Engine, phone: str) -> None:
    """Put the borrower's photos at the head of the queue, whatever other tests left waiting."""
    with Session(engine) as s:
        borrower_id = s.exec(select(Borrower.id).where(Borrower.phone == phone)).one()
        s.exec(
            update(PassportPhoto)
            .where(col(PassportPhoto.borrower_id) == borrower_id)
            .values(uploaded_at=LONG_AGO)
        )
        s.commit()


def give_photo(engine: Engine, data_dir: Path, phone: str, photo: Path) -> None:
    clock = SystemClock()
    settings = Settings(secret_key=b"unused", data_dir=data_dir)
    with Session(engine) as s:
        borrower_id = s.exec(select(Borrower.id).where(Borrower.phone == phone)).one()
        kyc.save_passport_photo(s, clock, settings, borrower_id, photo.read_bytes(), "a.jpg")
    first_in_queue(engine, phone)


def operator_signs_in(page: Page, operator: ConsoleOperator, a11y: bool = False) -> None:
    page.goto("/operator/login")
    button = page.get_by_role("button", name="Войти")
    expect(button).to_be_enabled()
    if a11y:
        assert_accessible(page)
    page.get_by_label("Логин").fill(operator.login)
    page.get_by_label("Пароль").fill(OPERATOR_PASSWORD)
    page.get_by_label("Код из приложения-аутентификатора").fill(pyotp.TOTP(operator.secret).now())
    button.click()
    expect(page).to_have_url(re.compile(r"/operator/?$"))
    expect(page.get_by_text(f"{operator.name} · {operator.role_title}")).to_be_visible()


def test_an_operator_rejects_a_photo_the_borrower_uploads_again_and_it_is_confirmed(
    page: Page,
    browser: Browser,
    borrower,
    identifier: ConsoleOperator,
    passport_photo: Path,  # noqa: F811
    app_engine: Engine,
    app_data_dir: Path,
) -> None:
    phone, password = borrower
    give_photo(app_engine, app_data_dir, phone, passport_photo)
    operator_signs_in(page, identifier, a11y=True)

    page.get_by_role("link", name="Идентификация").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Идентификация: фото с паспортом")
    expect(page.locator("h1")).to_have_count(1)
    item = page.get_by_test_id("review-item")
    expect(item).to_contain_text(format_phone(phone))
    image = item.get_by_role("img", name=re.compile("Фото с паспортом"))
    expect(image).to_be_visible()
    assert image.evaluate("img => img.naturalWidth") > 0  # served by the operator-only route
    assert_accessible(page)
    item.get_by_role("button", name="Отклонить").click()
    expect(page.get_by_text(re.compile("Напишите причину для клиента"))).to_be_visible()
    page.get_by_label("Причина отказа (её увидит клиент)").fill(REASON)
    item.get_by_role("button", name="Отклонить").click()
    expect(page.get_by_text("Фото отклонено, клиент увидит причину.")).to_be_visible()

    borrower_page = browser.new_context(locale="ru-RU").new_page()
    borrower_page.goto(page.url.split("/operator")[0] + "/login")
    sign_in(borrower_page, phone, password)
    expect(borrower_page).to_have_url(re.compile(r"/cabinet/?$"))
    borrower_page.goto(page.url.split("/operator")[0] + "/apply")
    expect(borrower_page.get_by_test_id("photo-rejected")).to_contain_text(REASON)
    borrower_page.get_by_label("Файл с фото").set_input_files(str(passport_photo))
    borrower_page.get_by_role("button", name="Загрузить фото").click()
    expect(borrower_page.get_by_text("Фото загружено")).to_be_visible()
    expect(borrower_page.get_by_test_id("photo-rejected")).to_have_count(0)

    # The borrower's session opens no page of the console.
    for section in ("identification", "deletions", "restorations"):
        borrower_page.goto(page.url.split("/operator")[0] + f"/operator/{section}")
        expect(borrower_page).to_have_url(re.compile(r"/operator/login/?$"))
        expect(borrower_page.get_by_test_id("review-item")).to_have_count(0)
    borrower_page.context.close()

    first_in_queue(app_engine, phone)
    page.reload()
    expect(item).to_contain_text(format_phone(phone))
    item.get_by_role("button", name="Подтвердить").click()
    expect(page.get_by_text("Фото подтверждено.")).to_be_visible()
    with Session(app_engine) as s:
        reviews = s.exec(
            select(PassportPhoto.review)
            .join(Borrower, col(Borrower.id) == col(PassportPhoto.borrower_id))
            .where(Borrower.phone == phone)
            .order_by(col(PassportPhoto.id))
        ).all()
    assert reviews == ["rejected", "confirmed"]
