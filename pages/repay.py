"""«Погасить» `/cabinet/pay`: the whole debt or another sum, the card, then the SMS code."""

from __future__ import annotations

import reflex as rx

from credit7_web import urls
from pages.components import (
    amount_field,
    card,
    code_field,
    error_text,
    form_error,
    link_button,
    page,
    secondary,
    stacked_form,
    submit,
)
from state.repay import RepayState as S


def radio(name: str, value: str, label: rx.Component | str, checked: bool = False) -> rx.Component:
    """A native radio button inside its label: it submits with the form."""
    return rx.el.label(
        rx.el.input(
            type="radio",
            name=name,
            value=value,
            default_checked=checked,
            class_name="c7-checkbox",
            data_testid=f"{name}-{value}",
        ),
        label,
        class_name="c7-check-label",
    )


def _amount_form() -> rx.Component:
    return stacked_form(
        S,
        S.submit,
        rx.el.fieldset(
            rx.el.legend("Сумма", class_name="c7-label"),
            radio("choice", "full", rx.text("Всю сумму — ", rx.text.strong(S.total)), True),
            radio("choice", "other", "Другая сумма"),
            class_name="c7-fieldset",
        ),
        amount_field(S, "Для «Другая сумма»: от "),
        rx.el.fieldset(
            rx.el.legend("Карта", class_name="c7-label"),
            rx.cond(S.card != "", radio("card", "bound", S.card, True)),
            radio("card", "new", "Новая карта", S.card == ""),
            class_name="c7-fieldset",
        ),
        form_error(S.errors),
        submit("Оплатить", S),
    )


def _code_form() -> rx.Component:
    return stacked_form(
        S,
        S.confirm,
        rx.text("Оплата ", rx.text.strong(S.amount), ". Код подтверждения отправлен в SMS."),
        code_field(S.errors),
        error_text(S.errors, "amount"),
        form_error(S.errors),
        submit("Подтвердить и перейти к оплате", S),
        secondary("Изменить сумму", on_click=S.change),
    )


def repay() -> rx.Component:
    return page(
        card(
            rx.cond(
                S.step == "",
                rx.hstack(rx.spinner(), rx.text("Считаем долг на сегодня…")),
                rx.fragment(
                    rx.text("Заём № ", S.number, ". Долг на сегодня: ", rx.text.strong(S.total)),
                    rx.cond(S.step == "code", _code_form(), _amount_form()),
                ),
            ),
            link_button("Вернуться в кабинет", urls.CABINET, variant="ghost"),
            max_width="560px",
        ),
        title="Погашение займа",
        member=True,
    )
