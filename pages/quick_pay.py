"""Quick pay `/pay` (no sign-in): find the loan by phone and surname, then pay a sum."""

from __future__ import annotations

import reflex as rx

from credit7_web import urls
from credit7_web.tariff import HOTLINE
from pages.components import (
    amount_field,
    card,
    field,
    form_error,
    link_button,
    page,
    payment_note,
    phone_field,
    secondary,
    stacked_form,
    submit,
)
from state.quick_pay import QuickPayState as S


def _find() -> rx.Component:
    return stacked_form(
        S,
        S.find,
        rx.text("Укажите телефон и фамилию заёмщика — покажем долг на сегодня."),
        phone_field(S.errors),
        field(S.errors, "Фамилия", "surname", auto_complete="family-name", max_length=100),
        form_error(S.errors),
        submit("Найти заём", S),
    )


def _pay() -> rx.Component:
    return stacked_form(
        S,
        S.pay,
        rx.text("Заёмщик: ", rx.text.strong(S.name), data_testid="quick-name"),
        rx.text("Долг на сегодня: ", rx.text.strong(S.total), data_testid="quick-total"),
        rx.text("Дата платежа: ", rx.text.strong(S.due), data_testid="quick-due"),
        amount_field(S),
        form_error(S.errors),
        submit("Оплатить", S),
        secondary("Искать другой заём", on_click=S.again),
    )


def quick_pay() -> rx.Component:
    return page(
        card(
            payment_note(S.note, S.note_failed),
            rx.cond(S.found, _pay(), _find()),
            rx.text(
                "Можно и в личном кабинете: там видны график и все операции. ",
                f"Вопросы об оплате — по телефону {HOTLINE}, звонок бесплатный.",
                size="2",
                color_scheme="gray",
            ),
            link_button("Войти в личный кабинет", urls.LOGIN, variant="ghost"),
            max_width="560px",
        ),
        title="Внести платёж",
    )
