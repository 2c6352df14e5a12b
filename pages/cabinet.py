"""The cabinet `/cabinet`: today's debt and next payment, schedule, documents, operations."""

from __future__ import annotations

import reflex as rx

from credit7_web import urls
from pages.components import (
    NOT_READY,
    card,
    form_error,
    link_button,
    page,
    payment_note,
    refusal,
    sends,
    sign_out,
    value_row,
    waiting,
)
from state.cabinet import CabinetState as S


def _loan() -> rx.Component:
    loan = S.loan
    return card(
        rx.hstack(
            rx.heading("Заём № ", loan.number, size="5", as_="h2"),
            rx.spacer(),
            rx.badge(
                loan.status,
                color_scheme=rx.cond(loan.overdue, "red", "green"),
                size="2",
                data_testid="loan-status",
            ),
            width="100%",
            wrap="wrap",
        ),
        rx.text(
            "Долг на ",
            loan.today,
            size="2",
            color_scheme="gray",
        ),
        rx.text(loan.total, size="8", weight="bold", data_testid="debt-total"),
        value_row("Основной долг", loan.principal, "debt-principal"),
        value_row("Проценты", loan.interest, "debt-interest"),
        value_row("Неустойка", loan.penalty, "debt-penalty"),
        rx.cond(
            loan.services_due != "",
            value_row("Доп. услуги", loan.services_due, "debt-services"),
        ),
        rx.divider(),
        value_row("Дата платежа", loan.due, "next-payment-date", strong=True),
        rx.text(
            loan.days,
            color_scheme=rx.cond(loan.overdue, "red", "gray"),
            data_testid="days-left",
        ),
        rx.cond(
            loan.promo,
            rx.callout(
                "Первый заём под 0 %: верните долг до даты платежа — и проценты не начислятся.",
                icon="badge_percent",
            ),
        ),
        value_row("ПСК по договору", loan.psk, "loan-psk"),
        rx.cond(loan.services != "", value_row("Выбранные услуги", loan.services, "loan-services")),
        rx.foreach(S.services_bought, _service),
        form_error(S.errors),
        link_button("Погасить", urls.REPAY, size="3", data_testid="repay"),
        rx.cond(
            loan.can_prolong,
            link_button("Продлить", urls.PROLONG, variant="outline", data_testid="prolong-link"),
        ),
    )


def _service(service: rx.Var) -> rx.Component:
    """A bought service: its price, where its refusal stands, and the button while allowed."""
    return rx.vstack(
        rx.hstack(
            rx.text(service.title),
            rx.spacer(),
            rx.text(service.price),
            width="100%",
        ),
        rx.text(service.note, size="2", color_scheme="gray", data_testid="service-note"),
        rx.cond(
            service.can_refuse,
            rx.button(
                "Отказаться от услуги",
                type="button",
                variant="outline",
                on_click=sends(S, S.refuse_service(service.code, S.answered)),
                loading=waiting(S),
                disabled=NOT_READY | waiting(S),
                aria_label="Отказаться от услуги «" + service.title + "»",
                data_testid="refuse-service",
            ),
        ),
        width="100%",
        spacing="1",
        data_testid="service",
    )


def _cell(label: str, value: rx.Var) -> rx.Component:
    """A cell that names its column: on a phone the rows stack and each value keeps its label."""
    return rx.el.td(value, role="cell", custom_attrs={"data-label": label})


def _schedule() -> rx.Component:
    """A table on a wide screen; on a phone each payment becomes a block of labelled lines
    (assets/styles.css), so nothing is clipped and nothing scrolls sideways."""
    with_services = S.loan.services != ""

    def head(label: str) -> rx.Component:
        return rx.el.th(label, scope="col", role="columnheader")

    return card(
        rx.heading("График платежей", size="4", as_="h2", id="schedule-title"),
        rx.el.table(
            rx.el.thead(
                rx.el.tr(
                    head("Дата"),
                    head("Основной долг"),
                    head("Проценты"),
                    rx.cond(with_services, head("Доп. услуги")),
                    head("Всего"),
                    role="row",
                ),
                role="rowgroup",
            ),
            rx.el.tbody(
                rx.foreach(
                    S.schedule,
                    lambda r: rx.el.tr(
                        _cell("Дата", r.date),
                        _cell("Основной долг", r.principal),
                        _cell("Проценты", r.interest),
                        rx.cond(with_services, _cell("Доп. услуги", r.services)),
                        _cell("Всего", r.total),
                        role="row",
                        data_testid="schedule-row",
                    ),
                ),
                role="rowgroup",
            ),
            role="table",
            aria_labelledby="schedule-title",
            class_name="c7-schedule",
        ),
    )


def _documents() -> rx.Component:
    return card(
        rx.heading("Документы", size="4", as_="h2"),
        rx.foreach(
            S.documents,
            lambda d: rx.hstack(
                rx.icon("file_text"),
                rx.link(d.title, href=d.url, is_external=True),
                rx.text(d.date, size="1", color_scheme="gray"),
                wrap="wrap",
            ),
        ),
    )


def _operations() -> rx.Component:
    return card(
        rx.heading("Операции", size="4", as_="h2"),
        rx.foreach(
            S.operations,
            lambda o: rx.hstack(
                rx.text(o.date, size="2", color_scheme="gray", min_width="90px"),
                rx.text(o.text, size="2", flex="1"),
                rx.text(o.amount, size="2", weight="bold", data_testid="operation-amount"),
                width="100%",
                wrap="wrap",
                data_testid="operation",
            ),
        ),
    )


def _empty() -> rx.Component:
    """No running loan: what is pending, or the last refusal with its reason, or an invitation."""
    return card(
        rx.cond(
            S.refusal != "",
            refusal(S.refusal, S.reapply),
            rx.fragment(
                rx.heading("Нет активных займов", size="5", as_="h2"),
                rx.cond(
                    S.pending != "",
                    rx.text(S.pending),
                    rx.cond(
                        S.requested != "",
                        rx.text("Вы выбрали в калькуляторе: ", rx.text.strong(S.requested)),
                        rx.text("Оформите заём — решение придёт за несколько секунд."),
                    ),
                ),
            ),
        ),
        rx.cond(
            S.money_at != "",
            _cooling_off(),
            rx.cond(
                S.reapply == "",
                link_button(
                    rx.cond(S.pending != "", "Перейти к заявке", "Оформить заём"),
                    urls.APPLY,
                    size="3",
                ),
            ),
        ),
    )


def _cooling_off() -> rx.Component:
    """A signed loan waiting out its 4 hours: when the money comes, and the way out."""
    return rx.vstack(
        rx.text(
            "Деньги поступят на карту не раньше ",
            rx.text.strong(S.money_at, data_testid="money-at"),
            " (время московское).",
        ),
        form_error(S.errors),
        rx.button(
            "Отказаться от займа",
            type="button",
            size="3",
            color_scheme="red",
            variant="outline",
            on_click=sends(S, S.cancel_loan(S.answered)),
            loading=waiting(S),
            disabled=NOT_READY | waiting(S),
            data_testid="cancel-loan",
        ),
        width="100%",
    )


def cabinet() -> rx.Component:
    return page(
        rx.cond(
            S.loaded,
            rx.vstack(
                rx.hstack(
                    rx.heading("Здравствуйте, ", S.name, "!", size="6", as_="h1"),
                    rx.spacer(),
                    link_button("Профиль", urls.PROFILE, variant="soft"),
                    sign_out(urls.AUTH_LOGOUT, variant="outline"),
                    width="100%",
                    wrap="wrap",
                ),
                rx.text("Телефон: ", S.phone, color_scheme="gray"),
                payment_note(S.payment_note, S.payment_failed),
                rx.cond(
                    S.loan.number != "",
                    rx.vstack(_loan(), _schedule(), width="100%", max_width="640px", spacing="4"),
                    rx.box(_empty(), width="100%", max_width="560px"),
                ),
                rx.cond(
                    S.documents.length() > 0, rx.box(_documents(), width="100%", max_width="640px")
                ),
                rx.cond(
                    S.operations.length() > 0,
                    rx.box(_operations(), width="100%", max_width="640px"),
                ),
                spacing="4",
                width="100%",
            ),
            rx.hstack(rx.spinner(), rx.text("Загружаем личный кабинет…")),
        ),
        member=True,
    )
