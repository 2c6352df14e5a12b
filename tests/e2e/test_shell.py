"""What every page shares, as a Russian borrower meets it: the language, the frame with the
lender's details, the titles and the icon, the 404 page, the connection toast, another port."""

from __future__ import annotations

import re
import urllib.request
from urllib.error import HTTPError

import pytest
from playwright.sync_api import Page, expect

from credit7_web.lender import SANDBOX_LENDER
from tests.e2e.a11y import assert_accessible
from tests.e2e.test_account import CABINET, sign_in

PUBLIC_PAGES = {
    "/": "Credit7 — займы на карту",
    "/register": "Регистрация — Credit7",
    "/login": "Вход — Credit7",
    "/recover": "Восстановление пароля — Credit7",
    "/pay": "Внести платёж — Credit7",
    "/gosuslugi": "Заём через Госуслуги — Credit7",
    "/documents/personal-data": "Персональные данные — Credit7",
    "/sandbox/sms": "SMS — песочница Credit7",
    "/sandbox/clock": "Рабочая дата — песочница Credit7",
}


def _open(page: Page, path: str) -> None:
    page.goto(path)
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("heading", level=1)).to_have_count(1)


@pytest.mark.parametrize("path", list(PUBLIC_PAGES))
def test_every_page_is_russian_titled_framed_and_accessible(page: Page, path: str) -> None:
    _open(page, path)
    expect(page).to_have_title(PUBLIC_PAGES[path])
    expect(page.get_by_role("main")).to_have_count(1)
    expect(page.get_by_test_id("lender-details")).to_have_text(SANDBOX_LENDER.requisites)
    expect(page.get_by_role("link", name="8 800 000-00-07")).to_be_visible()
    assert_accessible(page)


def test_an_unknown_address_gets_a_russian_404_inside_the_layout(page: Page, base_url: str) -> None:
    with pytest.raises(HTTPError) as answer:
        urllib.request.urlopen(base_url + "/no/such/page")  # noqa: S310
    assert answer.value.code == 404
    _open(page, "/no/such/page")
    expect(page).to_have_title("Страница не найдена — Credit7")
    expect(page.get_by_role("heading", level=1)).to_have_text("Страница не найдена")
    expect(page.get_by_role("main")).to_contain_text("Такой страницы у нас нет")
    expect(page.get_by_role("link", name="На главную", exact=True)).to_be_visible()
    expect(page.get_by_test_id("lender-details")).to_be_visible()
    assert_accessible(page)


def test_the_icon_is_served(base_url: str) -> None:
    with urllib.request.urlopen(base_url + "/favicon.ico") as answer:  # noqa: S310
        assert answer.status == 200
        assert answer.read(4) == b"\x00\x00\x01\x00"  # an ICO file, not the 404 page


def test_a_lost_connection_is_announced_in_russian(page: Page, base_url: str) -> None:
    """Opened from an origin the app does not accept, the websocket is refused: the toast that
    says so, and the notifications region it sits in, are Russian."""
    page.goto(base_url.replace("127.0.0.1", "127.0.0.2") + "/login")
    expect(page.get_by_text("Нет связи с сервером")).to_be_visible(timeout=30_000)
    expect(page.get_by_text(re.compile("Cannot connect|Check if server"))).to_have_count(0)
    expect(page.get_by_role("region", name=re.compile("^Уведомления"))).to_be_attached()
    expect(page.get_by_role("button", name="Закрыть уведомление")).to_be_visible()


def test_the_app_works_on_a_port_it_was_not_configured_for(
    page: Page, base_url: str, app_env: dict[str, str], new_phone: str
) -> None:
    """The README's `PORT=8080 make run`: no CREDIT7_ORIGINS, a port other than 3000, and the
    websocket still accepts the page (a refused one would leave the form dead)."""
    assert "CREDIT7_ORIGINS" not in app_env
    assert not base_url.endswith(":3000")
    page.goto("/login")
    sign_in(page, new_phone, "Wrong12345")
    expect(page.get_by_text("Неверный телефон или пароль")).to_be_visible()


def test_the_landing_header_knows_a_signed_in_borrower(page: Page, borrower) -> None:
    page.goto("/")
    expect(page.get_by_role("link", name="Войти")).to_be_visible()
    phone, password = borrower
    page.goto("/login")
    sign_in(page, phone, password)
    expect(page).to_have_url(CABINET)
    page.goto("/")
    header = page.get_by_role("navigation", name="Основное меню")
    expect(header.get_by_role("link", name="Личный кабинет")).to_be_visible()
    expect(header.get_by_role("link", name="Войти")).to_have_count(0)
