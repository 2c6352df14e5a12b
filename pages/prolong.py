"""Prolongation `/cabinet/prolong`: what is paid now, itemised; the new due date, total and ПСК;
the promo's end; prolongations left; «Оплатить и продлить» → SMS code → the acquirer's page."""

from __future__ import annotations

import reflex as rx

from credit7_web import urls
from pages.components import (
    NOT_READY,
    card,
    code_field,
    form,
    form_error,
    link_button,
    notice,
    page,
    resend_button,
    sends,
    submit,
    value_row,
    waiting,
)
from state.prolong import ProlongState as S


def _offer() -> rx.Component:
    o = S.offer
    return card(
        rx.heading("Заём № ", S.loan_number, ": продление № ", o.number, size="5", as_="h2"),
        rx.text("Оплатить сейчас", color_scheme="gray"),
        rx.text(o.pay_now, size="8", weight="bold", data_testid="prolong-pay-now"),
        value_row("Проценты по сегодняшний день", o.interest, "prolong-interest"),
        value_row("Неустойка", o.penalty, "prolong-penalty"),
        rx.divider(),
        value_row("Дата возврата сейчас", o.due, "prolong-due"),
        value_row("Новая дата возврата", o.new_due, "prolong-new-due", strong=True),
        value_row("Основной долг (не меняется)", o.principal, "prolong-principal"),
        value_row("Проценты до новой даты", o.new_interest, "prolong-new-interest"),
        value_row("Всего к возврату в новую дату", o.new_total, "prolong-new-total", strong=True),
        value_row("Новая ПСК", o.psk, "prolong-psk"),
        value_row("Продлений останется", o.left, "prolong-left"),
        rx.cond(
            o.promo_ends,
            rx.callout(
                "Льготная ставка 0 % первого займа с продлением заканчивается: сегодня проценты "
                "не начисляются, с завтрашнего дня — 0,8 % в день на основной долг.",
                icon="badge_percent",
                data_testid="prolong-promo",
            ),
        ),
        rx.text(
            "Неоплаченные проценты к основному долгу не прибавляются. Продление оформляется "
            "дополнительным соглашением, которое вы подписываете кодом из SMS.",
            size="2",
            color_scheme="gray",
        ),
        form_error(S.errors),
        rx.cond(S.signing, _code_form(), _start_button()),
    )


def _start_button() -> rx.Component:
    return rx.button(
        rx.cond(S.offer.free, "Продлить", "Оплатить и продлить"),
        type="button",
        size="3",
        width="100%",
        on_click=sends(S, S.send_code(S.answered)),
        loading=waiting(S),
        disabled=NOT_READY | waiting(S),
        data_testid="prolong-start",
    )


def _code_form() -> rx.Component:
    return form(
        S,
        S.confirm,
        rx.vstack(
            rx.text("Мы отправили код на ваш телефон. Вводя его, вы подписываете соглашение."),
            code_field(S.errors),
            rx.cond(S.notice != "", notice(S.notice, "prolong-notice")),
            submit(rx.cond(S.offer.free, "Подписать и продлить", "Подписать и оплатить"), S),
            resend_button(S, S.send_code),
            width="100%",
        ),
    )


def prolong() -> rx.Component:
    return page(
        rx.cond(
            S.loaded,
            rx.vstack(
                rx.heading("Продление займа", size="6", as_="h1"),
                rx.cond(
                    S.done != "",
                    rx.callout(S.done, icon="circle_check", data_testid="prolong-done"),
                ),
                rx.cond(
                    S.offer.number > 0,
                    _offer(),
                    rx.cond(
                        S.done == "",
                        card(
                            rx.text(S.unavailable, data_testid="prolong-unavailable"),
                            form_error(S.errors),
                        ),
                    ),
                ),
                link_button("Вернуться в кабинет", urls.CABINET, variant="soft"),
                spacing="4",
                width="100%",
                max_width="640px",
            ),
            rx.hstack(rx.spinner(), rx.text("Загружаем условия продления…")),
        ),
        member=True,
    )
