"""The landing calculator: figures follow the sliders in the browser and equal the server's."""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import Page, expect

from credit7_web.clock import SystemClock
from credit7_web.lending import pricing
from credit7_web.money import rub
from credit7_web.russian import format_date


def _expect_figures(page: Page, amount_rub: int, term: int) -> None:
    today = SystemClock().today()
    offer = pricing.quote(amount_rub * 100, term, today, first_loan=True)
    standard = pricing.standard_quote(amount_rub * 100, term, today)
    expect(page.get_by_test_id("calc-total")).to_have_text(rub(offer.total_kop))
    expect(page.get_by_test_id("calc-due")).to_have_text(format_date(today + timedelta(term)))
    expect(page.get_by_test_id("calc-std-total")).to_have_text(rub(standard.total_kop))
    expect(page.get_by_test_id("calc-std-psk")).to_have_text("292,000\u00a0%")
    expect(page.get_by_test_id("calc-psk")).to_have_text("0,000\u00a0%")


def _open(page: Page) -> None:
    """The landing page, once hydrated (the controls stay disabled until then)."""
    page.goto("/")
    expect(page.get_by_label("Сумма займа, ₽")).to_be_enabled()


def test_figures_follow_the_sliders_without_the_server(page: Page) -> None:
    _open(page)
    _expect_figures(page, 10_000, 20)
    expect(page.get_by_test_id("calc-std-total")).to_have_text("11\u00a0600\u00a0₽")

    sent: list[str] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda frame: sent.append(str(frame))))
    amount = page.get_by_role("slider", name="Сумма займа")
    term = page.get_by_role("slider", name="Срок займа")

    amount.press("End")
    _expect_figures(page, 30_000, 20)
    term.press("End")
    _expect_figures(page, 30_000, 30)
    expect(page.get_by_test_id("calc-std-total")).to_have_text("37\u00a0200\u00a0₽")
    amount.press("Home")
    term.press("Home")
    _expect_figures(page, 1_000, 7)
    for _ in range(3):
        amount.press("ArrowRight")
    term.press("ArrowRight")
    _expect_figures(page, 2_500, 8)
    assert sent == [], "a slider step went to the server"


def test_typed_amount_snaps_to_the_tariff_step(page: Page) -> None:
    _open(page)
    field = page.get_by_label("Сумма займа, ₽")
    field.fill("15 250")
    field.blur()
    expect(field).to_have_value("15500")
    _expect_figures(page, 15_500, 20)
    field.fill("999999")
    field.blur()
    expect(field).to_have_value("30000")
    _expect_figures(page, 30_000, 20)


def test_apply_carries_amount_and_term_into_sign_up(page: Page) -> None:
    _open(page)
    page.get_by_role("slider", name="Срок займа").press("End")
    page.get_by_test_id("calc-apply").click()
    expect(page).to_have_url(re.compile(r"/register\?amount=10000&term=30$"))
    expect(page.get_by_role("heading", name="Регистрация")).to_be_visible()


def test_landing_fits_a_375_px_phone(page: Page) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/")
    expect(page.get_by_test_id("calc-total")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    expect(page.get_by_role("link", name="Войти")).to_be_visible()
    expect(page.get_by_text("8 800 000-00-07")).to_be_visible()
