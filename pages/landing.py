"""Landing `/`: the loan calculator. Sliders set browser state; figures come from a server table."""

from __future__ import annotations

import reflex as rx
from reflex.experimental.client_state import ClientStateVar

from credit7_web import tariff, urls
from credit7_web.russian import amount_range_text, per_day_text, term_range_text
from pages.client import lookup, on_client, snap
from pages.components import ACCENT, NOT_READY, card, link_button, page
from pages.gosuslugi import gosuslugi_start
from state.calculator import (
    AMOUNT_LABELS,
    FIRST_LOAN_RANGE,
    FIRST_LOAN_TABLE,
    TERM_LABELS,
    CalculatorState,
)
from state.calculator import TERMS as TERM_RANGE

DEFAULT_AMOUNT = tariff.CALCULATOR_AMOUNT // tariff.KOPECKS_PER_RUBLE
DEFAULT_TERM = tariff.CALCULATOR_TERM
LOW = FIRST_LOAN_RANGE.min // 100  # rubles
HIGH = FIRST_LOAN_RANGE.max // 100
STEP = FIRST_LOAN_RANGE.step // 100

amount = ClientStateVar.create("calc_amount", DEFAULT_AMOUNT)
term = ClientStateVar.create("calc_term", DEFAULT_TERM)


def _figure(label: str, value: rx.Var | str, test_id: str, big: bool = False) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="2", color_scheme="gray"),
        rx.text(value, size="6" if big else "4", weight="bold", data_testid=test_id),
        spacing="0",
    )


def _range(
    state: ClientStateVar, label: str, low: int, high: int, step: int, test_id: str
) -> rx.Component:
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
            rx.text(lookup(AMOUNT_LABELS, amount.value.to_string()), weight="bold"),
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
        _scale(AMOUNT_LABELS[str(LOW)], AMOUNT_LABELS[str(HIGH)]),
        width="100%",
    )


def _term_controls() -> rx.Component:
    first, last = TERM_RANGE.start, TERM_RANGE.stop - 1
    return rx.vstack(
        rx.hstack(
            rx.el.label("Срок займа", html_for="calc-term", class_name="c7-label"),
            rx.spacer(),
            rx.text(lookup(TERM_LABELS, term.value.to_string()), weight="bold"),
            width="100%",
        ),
        rx.box(
            _range(term, "Срок займа", first, last, TERM_RANGE.step, "calc-term-range"),
            id="calc-term",
            width="100%",
        ),
        _scale(TERM_LABELS[str(first)], TERM_LABELS[str(last)]),
        width="100%",
    )


def calculator() -> rx.Component:
    key = amount.value.to_string() + ":" + term.value.to_string()
    row = lookup(FIRST_LOAN_TABLE, key, dict)
    known = rx.Var.create(FIRST_LOAN_TABLE).to(dict).contains(key)

    def shown(name: str) -> rx.Var:
        return rx.cond(known, row[name].to(str), "—")

    return card(
        amount,
        term,
        rx.heading("Рассчитайте заём", size="5", as_="h2"),
        _amount_controls(),
        _term_controls(),
        rx.grid(
            _figure("Вернуть", shown("total"), "calc-total", big=True),
            _figure(
                "До",
                CalculatorState.due_dates.get(term.value.to_string(), "—"),
                "calc-due",
                big=True,
            ),
            _figure("ПСК, % годовых", shown("psk"), "calc-psk"),
            _figure("ПСК в рублях", shown("psk_rub"), "calc-psk-rub"),
            columns=rx.breakpoints(initial="1", sm="2"),
            spacing="4",
            width="100%",
        ),
        rx.callout(
            rx.text(
                f"Первый заём — 0 % при возврате в срок. Без акции по ставке {per_day_text()}: "
                "вернуть ",
                rx.text.strong(shown("std_total"), data_testid="calc-std-total"),
                ", ПСК ",
                rx.text.strong(shown("std_psk"), data_testid="calc-std-psk"),
                ".",
            ),
            icon="badge_percent",
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
        max_width="520px",
    )


def landing() -> rx.Component:
    return page(
        rx.flex(
            rx.vstack(
                rx.heading("Деньги на карту за 5 минут", size="8", as_="h1"),
                rx.text(
                    f"Заём {amount_range_text(FIRST_LOAN_RANGE)} на срок {term_range_text()}. "
                    "Решение автоматически, за секунды.",
                    size="4",
                ),
                gosuslugi_start("Оформите заём через Госуслуги", variant="soft", size="3"),
                spacing="4",
                flex="1",
                min_width="260px",
            ),
            calculator(),
            gap="6",
            wrap="wrap",
            align="start",
            width="100%",
        ),
    )
