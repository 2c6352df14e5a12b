"""Sandbox pages: the SMS outbox and the business clock, for a person trying the app alone."""

from __future__ import annotations

import reflex as rx

from pages.components import page
from state.sandbox import SmsOutboxState
from state.sandbox_clock import STEPS, BusinessDateState

OFF = "Песочница выключена: здесь работают настоящие шлюзы."


def _message(m) -> rx.Component:
    return rx.table.row(
        rx.table.cell(m.at),
        rx.table.cell(m.phone),
        rx.table.cell(m.text, data_testid="sms-text"),
    )


def sms_outbox() -> rx.Component:
    s = SmsOutboxState
    return page(
        rx.cond(
            s.enabled,
            rx.vstack(
                rx.text(
                    "Песочница: сюда приходят SMS, которые в рабочем режиме получил бы "
                    "заёмщик. Новые — сверху."
                ),
                rx.button("Обновить", on_click=s.load, variant="outline"),
                rx.box(
                    rx.table.root(
                        rx.table.header(
                            rx.table.row(
                                rx.table.column_header_cell("Время"),
                                rx.table.column_header_cell("Телефон"),
                                rx.table.column_header_cell("Текст"),
                            )
                        ),
                        rx.table.body(rx.foreach(s.messages, _message)),
                        width="100%",
                    ),
                    overflow_x="auto",
                    width="100%",
                ),
                width="100%",
            ),
            rx.text(OFF),
        ),
        title="SMS (песочница)",
    )


def business_clock() -> rx.Component:
    s = BusinessDateState
    return page(
        rx.cond(
            s.enabled,
            rx.vstack(
                rx.text(
                    "Рабочая дата, по которой начисляются проценты и наступают сроки платежей: ",
                    rx.text.strong(s.today, data_testid="business-date"),
                    rx.cond(s.shift > 0, rx.text.span(" (сдвиг +", s.shift.to_string(), " дн.)")),
                ),
                rx.hstack(
                    *[rx.button(f"+{n} дн.", on_click=s.move(n), variant="outline") for n in STEPS],
                    rx.button("Вернуть сегодняшнюю дату", on_click=s.reset_clock, variant="soft"),
                    wrap="wrap",
                ),
                rx.cond(s.error != "", rx.text(s.error, color_scheme="red", role="alert")),
                rx.text(
                    "Дата сдвигается для всех заёмщиков песочницы. Входы и коды SMS живут по "
                    "настоящему времени.",
                    size="2",
                    color_scheme="gray",
                ),
                width="100%",
            ),
            rx.text(OFF),
        ),
        title="Рабочая дата (песочница)",
    )
