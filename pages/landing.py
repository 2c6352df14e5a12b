"""Landing `/`: what the lender offers and the loan calculator.

The sliders set browser state and the figures are computed in the browser by the domain's rule
(assets/pricing.js, with the tariff's figures written in here): no server round trip per step,
and the page ships a rule of a few hundred bytes instead of a price table.
"""

from __future__ import annotations

import json

import reflex as rx
from reflex.experimental.client_state import ClientStateVar
from reflex_base.utils.imports import ImportVar
from reflex_base.vars import VarData
from reflex_base.vars.base import Var

from credit7_web import tariff, urls
from credit7_web.money import rub
from credit7_web.russian import (
    amount_range_text,
    days,
    fraction_text,
    per_day_text,
    term_range_text,
)
from pages.client import on_client, snap
from pages.components import ACCENT, NOT_READY, card, link_button, page
from state.calculator import CalculatorState

RANGE = tariff.amount_range(first_loan=True)
RUB = tariff.KOPECKS_PER_RUBLE
LOW, HIGH, STEP = RANGE.min // RUB, RANGE.max // RUB, RANGE.step // RUB
FIRST_TERM, LAST_TERM = tariff.TERM_MIN, tariff.TERM_MAX
TERM_LABELS = {str(t): days(t) for t in tariff.terms()}
# The tariff as assets/pricing.js reads it: the landing prices a first loan.
RULE = {
    "kopecksPerRuble": RUB,
    "rate": [tariff.DAILY_RATE.numerator, tariff.DAILY_RATE.denominator],
    "cap": [tariff.CHARGES_CAP.numerator, tariff.CHARGES_CAP.denominator],
    "daysInYear": tariff.DAYS_IN_YEAR,
    "promo": True,
}
PRICING_JS = "$/public/pricing.js"

amount = ClientStateVar.create("calc_amount", tariff.CALCULATOR_AMOUNT // RUB)
term = ClientStateVar.create("calc_term", tariff.CALCULATOR_TERM)


def _pricing(call: str, *inputs: Var) -> Var:
    """`call` evaluated in the browser with `quote` and `rub` of assets/pricing.js at hand."""
    imports = {PRICING_JS: [ImportVar(tag="quote"), ImportVar(tag="rub")]}
    return Var(
        _js_expr=call,
        _var_data=VarData.merge(*(v._get_all_var_data() for v in inputs), VarData(imports=imports)),
    ).to(str)


def _shown(name: str) -> Var:
    """One figure of the chosen loan; a dash while the typed amount is not an allowed one."""
    a, t = str(amount.value), str(term.value)
    allowed = (
        f"({a} >= {LOW} && {a} <= {HIGH} && ({a} - {LOW}) % {STEP} === 0"
        f" && {t} >= {FIRST_TERM} && {t} <= {LAST_TERM})"
    )
    call = f'({allowed} ? quote({a}, {t}, {json.dumps(RULE)}).{name} : "—")'
    return _pricing(call, amount.value, term.value)


def _figure(label: str, value: Var | str, test_id: str, big: bool = False) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="2", class_name="c7-muted"),
        rx.text(value, size="6" if big else "4", weight="bold", data_testid=test_id),
        spacing="0",
    )


def _range(state: ClientStateVar, label: str, low: int, high: int, step: int, test_id: str):
    """A native range input: keyboard, screen readers and touch work without extra code."""
    return rx.el.input(
        type="range",
        min=low,
        max=high,
        step=step,
        value=state.value,
        on_change=on_client(state, "v", "Number(v)"),
        aria_label=label,
        disabled=NOT_READY,
        class_name="c7-range",
        data_testid=test_id,
    )


def _scale(low: str, high: str) -> rx.Component:
    return rx.hstack(rx.text(low, size="1"), rx.spacer(), rx.text(high, size="1"), width="100%")


def _amount_controls() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.el.label("Сумма займа, ₽", html_for="calc-amount", class_name="c7-label"),
            rx.spacer(),
            rx.text(_pricing(f"rub({amount.value!s} * {RUB})", amount.value), weight="bold"),
            width="100%",
        ),
        rx.el.input(
            id="calc-amount",
            value=amount.value.to_string(),
            input_mode="numeric",
            max_length=6,
            disabled=NOT_READY,
            on_change=on_client(amount, "v", "Number(String(v).replace(/\\D/g, '')) || 0"),
            on_blur=on_client(amount, "v", snap("v", LOW, HIGH, STEP)),
            class_name="c7-input",
        ),
        _range(amount, "Сумма займа", LOW, HIGH, STEP, "calc-amount-range"),
        _scale(rub(RANGE.min), rub(RANGE.max)),
        width="100%",
    )


def _term_controls() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.el.label("Срок займа", html_for="calc-term", class_name="c7-label"),
            rx.spacer(),
            rx.text(
                rx.Var.create(TERM_LABELS).to(dict)[term.value.to_string()].to(str),
                weight="bold",
            ),
            width="100%",
        ),
        rx.box(
            _range(term, "Срок займа", FIRST_TERM, LAST_TERM, tariff.TERM_STEP, "calc-term-range"),
            id="calc-term",
            width="100%",
        ),
        _scale(days(FIRST_TERM), days(LAST_TERM)),
        width="100%",
    )


def calculator() -> rx.Component:
    return card(
        amount,
        term,
        rx.heading("Рассчитайте заём", size="5", as_="h2"),
        _amount_controls(),
        _term_controls(),
        rx.grid(
            _figure("Вернуть", _shown("total"), "calc-total", big=True),
            _figure(
                "До",
                CalculatorState.due_dates.get(term.value.to_string(), "—"),
                "calc-due",
                big=True,
            ),
            _figure("ПСК, % годовых", _shown("psk"), "calc-psk"),
            _figure("ПСК в рублях", _shown("psk_rub"), "calc-psk-rub"),
            columns=rx.breakpoints(initial="1", sm="2"),
            spacing="4",
            width="100%",
        ),
        # callout.text is a <p> already: a rx.text (another <p>) inside it would be cut in two
        # by the HTML parser, and the page's hydration would fail.
        rx.callout.root(
            rx.callout.icon(rx.icon("badge_percent")),
            rx.callout.text(
                f"Первый заём — {fraction_text(tariff.FIRST_LOAN_PROMO_RATE)}\u00a0% при возврате "
                f"в срок. Без акции по ставке {per_day_text()}: вернуть ",
                rx.text.strong(_shown("std_total"), data_testid="calc-std-total"),
                ", ПСК ",
                rx.text.strong(_shown("std_psk"), data_testid="calc-std-psk"),
                ".",
            ),
            color_scheme=ACCENT,
        ),
        link_button(
            "Получить деньги",
            urls.REGISTER
            + "?amount="
            + amount.value.to_string()
            + "&term="
            + term.value.to_string(),
            size="4",
            width="100%",
            data_testid="calc-apply",
        ),
        class_name="c7-calculator",
    )


def _offer() -> rx.Component:
    """The lender's pitch beside the calculator: every figure from the tariff."""
    promo = fraction_text(tariff.FIRST_LOAN_PROMO_RATE)
    points = [
        ("badge_percent", f"Первый заём — {promo}\u00a0% при возврате в срок"),
        ("wallet", f"{amount_range_text(RANGE).capitalize()} на срок {term_range_text()}"),
        ("zap", "Решение автоматически, за секунды — деньги сразу на карту"),
        ("calendar_check", "Досрочное погашение в любой день, без комиссии"),
    ]
    return rx.vstack(
        rx.heading("Деньги на карту за 5 минут", size="8", as_="h1"),
        rx.text(
            "Онлайн-заём по паспорту: без справок, поручителей и визита в офис.",
            size="4",
        ),
        rx.el.ul(
            *[
                rx.el.li(rx.icon(icon, size=20, aria_hidden="true"), rx.text.span(text))
                for icon, text in points
            ],
            class_name="c7-points",
        ),
        link_button(
            "Оформить заём через Госуслуги",
            urls.GOSUSLUGI,
            variant="soft",
            size="3",
            color_scheme="blue",
        ),
        spacing="4",
        class_name="c7-offer",
    )


def landing() -> rx.Component:
    return page(
        rx.el.div(_offer(), calculator(), class_name="c7-hero"),
        member=CalculatorState.signed_in,
    )
