"""The landing calculator: figures follow the sliders in the browser and equal the domain's."""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import Page, expect

from credit7_web import tariff
from credit7_web.clock import SystemClock
from credit7_web.lending import pricing
from credit7_web.money import rub
from credit7_web.russian import format_date
from tests.e2e.a11y import assert_accessible

SHOWN = ("total", "psk", "psk_rub", "std_total", "std_psk")
# Every amount with every term, through the sliders as a person moves them; read back as shown.
SWEEP = """async ({amounts, terms, shown}) => {
  const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set;
  const slider = (id) => document.querySelector(`[data-testid=${id}]`);
  const [amount, term, apply] = [slider("calc-amount-range"), slider("calc-term-range"),
                                 slider("calc-apply")];
  const move = (el, value) => { set.call(el, String(value));
                                el.dispatchEvent(new Event("input", {bubbles: true})); };
  const out = {};
  for (const a of amounts) {
    for (const t of terms) {
      move(amount, a);
      move(term, t);
      const link = `amount=${a}&term=${t}`;
      while (!apply.getAttribute("href").endsWith(link)) await new Promise((r) => setTimeout(r));
      out[`${a}:${t}`] = Object.fromEntries(
        shown.map((name) => [name, slider("calc-" + name.replace("_", "-")).textContent]));
    }
  }
  return out;
}"""


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


def test_every_amount_and_term_shows_exactly_the_domains_figures(page: Page) -> None:
    """The browser's rule (assets/pricing.js) against the domain's pricing, byte for byte:
    no-break spaces, decimal commas and the ruble sign included."""
    _open(page)
    table = pricing.calculator_table(first_loan=True)
    bounds = tariff.amount_range(first_loan=True)
    shown = page.evaluate(
        SWEEP,
        {
            "amounts": [kop // 100 for kop in bounds.values()],
            "terms": list(tariff.terms()),
            "shown": list(SHOWN),
        },
    )
    expected = {key: {name: row[name] for name in SHOWN} for key, row in table.items()}
    assert len(shown) == len(expected) == 59 * 24
    assert shown == expected


def test_the_sliders_work_by_keyboard_with_visible_focus(page: Page) -> None:
    _open(page)
    page.get_by_label("Сумма займа, ₽").click()
    page.keyboard.press("Tab")
    amount = page.get_by_role("slider", name="Сумма займа")
    expect(amount).to_be_focused()
    outline = amount.evaluate(
        "e => [getComputedStyle(e).outlineStyle, getComputedStyle(e).outlineWidth]"
    )
    assert outline[0] != "none" and outline[1] == "2px", outline
    page.keyboard.press("ArrowRight")
    _expect_figures(page, 10_500, 20)
    page.keyboard.press("Tab")
    term = page.get_by_role("slider", name="Срок займа")
    expect(term).to_be_focused()
    page.keyboard.press("ArrowLeft")
    _expect_figures(page, 10_500, 19)
    assert_accessible(page)


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
    # The Gosuslugi button and the calculator below it keep a gap between them.
    button = page.get_by_role("link", name="Оформите заём через Госуслуги").bounding_box()
    calculator = page.get_by_role("heading", name="Рассчитайте заём").bounding_box()
    assert button and calculator
    assert calculator["y"] - (button["y"] + button["height"]) >= 24


def test_landing_uses_the_width_of_a_desktop(page: Page) -> None:
    """The offer and the calculator side by side, the offer filling its column."""
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto("/")
    offer = page.get_by_role("heading", level=1).bounding_box()
    calculator = page.get_by_role("heading", name="Рассчитайте заём").bounding_box()
    points = page.locator(".c7-points").bounding_box()
    assert offer and calculator and points
    assert offer["x"] + offer["width"] <= calculator["x"]  # beside, not above
    assert points["width"] >= 400
