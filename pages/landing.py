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
from pages.client import lookup, on_client, snap
from pages.components import NOT_READY, link_button, page
from pages.gosuslugi import gosuslugi_start
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
    return rx.el.div(
        rx.el.dt(label),
        rx.el.dd(value, data_testid=test_id),
        class_name="c7-figure c7-figure-big" if big else "c7-figure",
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


def _line(*children: rx.Component | str, class_name: str = "c7-line") -> rx.Component:
    """Two things at the ends of one line: a label and its value, or a scale's bounds."""
    return rx.el.div(
        *[rx.el.span(c) if isinstance(c, str) else c for c in children], class_name=class_name
    )


def _amount_controls() -> rx.Component:
    return rx.fragment(
        _line(
            rx.el.label("Сумма займа, ₽", html_for="calc-amount", class_name="c7-label"),
            rx.el.b(_pricing(f"rub({amount.value!s} * {RUB})", amount.value)),
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
        _line(rub(RANGE.min), rub(RANGE.max), class_name="c7-line c7-scale"),
    )


def _term_controls() -> rx.Component:
    return rx.fragment(
        _line(
            rx.el.label("Срок займа", html_for="calc-term", class_name="c7-label"),
            rx.el.b(lookup(TERM_LABELS, term.value.to_string())),
        ),
        _range(term, "Срок займа", FIRST_TERM, LAST_TERM, tariff.TERM_STEP, "calc-term-range"),
        _line(days(FIRST_TERM), days(LAST_TERM), class_name="c7-line c7-scale"),
    )


def calculator() -> rx.Component:
    """Plain elements and the app's own classes: the first paint is what a visitor waits for,
    and every themed component costs style and layout work before it."""
    promo = fraction_text(tariff.FIRST_LOAN_PROMO_RATE)
    return rx.el.section(
        amount,
        term,
        rx.el.h2("Рассчитайте заём", id="calc-title"),
        _amount_controls(),
        _term_controls(),
        rx.el.dl(
            _figure("Вернуть", _shown("total"), "calc-total", big=True),
            _figure(
                "До",
                CalculatorState.due_dates.get(term.value.to_string(), "—"),
                "calc-due",
                big=True,
            ),
            _figure("ПСК, % годовых", _shown("psk"), "calc-psk"),
            _figure("ПСК в рублях", _shown("psk_rub"), "calc-psk-rub"),
            class_name="c7-figures",
        ),
        rx.el.p(
            f"Первый заём — {promo}\u00a0% при возврате в срок. Без акции по ставке "
            f"{per_day_text()}: вернуть ",
            rx.el.strong(_shown("std_total"), data_testid="calc-std-total"),
            ", ПСК ",
            rx.el.strong(_shown("std_psk"), data_testid="calc-std-psk"),
            ".",
            class_name="c7-promo",
        ),
        link_button(
            "Получить деньги",
            urls.REGISTER
            + "?amount="
            + amount.value.to_string()
            + "&term="
            + term.value.to_string(),
            size="4",
            class_name="c7-cta",
            data_testid="calc-apply",
        ),
        aria_labelledby="calc-title",
        class_name="c7-panel c7-calculator",
    )


def _offer() -> rx.Component:
    """The lender's pitch beside the calculator: every figure from the tariff."""
    promo = fraction_text(tariff.FIRST_LOAN_PROMO_RATE)
    points = [
        f"Первый заём — {promo}\u00a0% при возврате в срок",
        f"{amount_range_text(RANGE).capitalize()} на срок {term_range_text()}",
        "Решение автоматически, за секунды — деньги сразу на карту",
        "Досрочное погашение в любой день, без комиссии",
    ]
    return rx.el.div(
        rx.el.h1("Деньги на карту за 5 минут", class_name="c7-title"),
        rx.el.p(
            "Онлайн-заём по паспорту: без справок, поручителей и визита в офис.",
            class_name="c7-lead",
        ),
        rx.el.ul(*[rx.el.li(text) for text in points], class_name="c7-points"),
        gosuslugi_start("Оформите заём через Госуслуги", variant="soft", size="3"),
        class_name="c7-offer",
    )


def landing() -> rx.Component:
    return page(
        rx.el.div(_offer(), calculator(), class_name="c7-hero"),
        member=CalculatorState.signed_in,
    )
