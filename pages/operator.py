"""The operator console `/operator`: its own sign-in, frame and pages, apart from the borrowers'.

`queue_page` is the console's queue pattern (`state.operator_queue`): the item at the head of a
queue, how many wait, and the item's verdicts; the identification queue is here, the deletion
and restoration queues in `pages.operator_queues`.
"""

from __future__ import annotations

import reflex as rx

from credit7_web import urls
from credit7_web.backoffice.identification import REASON_MAX
from pages.components import (
    NOT_READY,
    card,
    error_text,
    field,
    form,
    form_error,
    sends,
    sign_out,
    submit,
    waiting,
)
from state.operator_audit import AuditLogState
from state.operator_console import ConsoleHomeState, ConsoleMixin
from state.operator_identification import IdentificationState
from state.operator_login import OperatorLoginState
from state.operator_queue import QueueMixin
from state.operator_search import BorrowerSearchState

BRAND = "Credit7 · консоль оператора"


def _frame(header: rx.Component, *children: rx.Component, title: str) -> rx.Component:
    return rx.box(
        rx.el.header(header, class_name="c7-header"),
        rx.el.main(rx.heading(title, size="7", as_="h1"), *children, class_name="c7-main"),
        class_name="c7-page",
    )


def console_page(state: type[ConsoleMixin], *children: rx.Component, title: str) -> rx.Component:
    """A console page: who is signed in, the sections of their role, «Выйти»."""
    header = rx.fragment(
        rx.link(rx.text(BRAND, size="4", weight="bold"), href=urls.OPERATOR, underline="none"),
        rx.el.nav(
            rx.foreach(state.sections, lambda s: rx.link(s.title, href=s.url)),
            aria_label="Разделы консоли",
            class_name="c7-nav",
        ),
        rx.hstack(
            rx.text(state.who, " · ", state.role_title, size="2"),
            sign_out(urls.OPERATOR_LOGOUT, variant="ghost", size="1"),
            spacing="3",
            align="center",
        ),
    )
    return _frame(header, *children, title=title)


def operator_login() -> rx.Component:
    S = OperatorLoginState
    return _frame(
        rx.text(BRAND, size="4", weight="bold"),
        card(
            form_error(S.errors),
            form(
                S,
                S.submit,
                rx.vstack(
                    field(S.errors, "Логин", "login", auto_complete="username", max_length=40),
                    field(
                        S.errors,
                        "Пароль",
                        "password",
                        type="password",
                        auto_complete="current-password",
                        max_length=128,
                    ),
                    field(
                        S.errors,
                        "Код из приложения-аутентификатора",
                        "code",
                        input_mode="numeric",
                        auto_complete="one-time-code",
                        max_length=6,
                        placeholder="6 цифр",
                    ),
                    submit("Войти", S),
                    spacing="3",
                    width="100%",
                ),
            ),
            max_width="460px",
        ),
        title="Вход для сотрудников",
    )


def console_home() -> rx.Component:
    S = ConsoleHomeState
    return console_page(
        S,
        rx.text("Здравствуйте, ", S.who, ". Ваша роль: ", S.role_title, "."),
        rx.el.ul(
            rx.foreach(S.sections, lambda s: rx.el.li(rx.link(s.title, href=s.url))),
            class_name="c7-list",
        ),
        title="Консоль оператора",
    )


def queue_page(
    state: type[QueueMixin],
    *,
    title: str,
    has_item: rx.Var,
    item: rx.Component,
    empty: str,
) -> rx.Component:
    """The head of a queue with its verdicts, how many wait, and what the last verdict did."""
    return console_page(
        state,
        rx.text("В очереди: ", rx.text.strong(state.waiting), data_testid="queue-waiting"),
        rx.cond(
            state.notice != "",
            rx.callout(state.notice, icon="check", color_scheme="green", role="status"),
        ),
        rx.cond(has_item, item, rx.text(empty)),
        title=title,
    )


def verdict_button(
    label: str, state: type[QueueMixin], on_click: rx.event.EventSpec, color: str
) -> rx.Component:
    """A verdict given by one click (it names the answer it waits for, like a form)."""
    return rx.button(
        label,
        type="button",
        size="3",
        color_scheme=color,
        on_click=sends(state, on_click),
        loading=waiting(state),
        disabled=NOT_READY | waiting(state),
    )


def reject_form(
    state: type[QueueMixin], item_id: rx.Var, label: str, max_length: int
) -> rx.Component:
    """A reason, then «Отклонить» for the item on screen (`state.reject(item_id, form)`)."""
    return form(
        state,
        lambda data: state.reject(item_id, data),  # type: ignore[attr-defined]
        rx.vstack(
            rx.el.label(label, html_for="reason", class_name="c7-label"),
            rx.el.textarea(
                id="reason",
                name="reason",
                rows=3,
                max_length=max_length,
                aria_describedby="reason-error",
                aria_invalid=state.errors.contains("reason"),
                class_name="c7-textarea",
            ),
            error_text(state.errors, "reason"),
            submit("Отклонить", state, color_scheme="red"),
            spacing="2",
            width="100%",
        ),
        key=item_id,  # a new item gets an empty reason
    )


def _photo_item() -> rx.Component:
    S = IdentificationState
    photo = S.photo
    return card(
        rx.heading(photo.name, size="5", as_="h2", data_testid="review-name"),
        rx.text("Телефон: ", photo.phone, " · загружено ", photo.uploaded, " (мск)"),
        rx.image(
            src=photo.url,
            alt=rx.cond(photo.name != "", "Фото с паспортом: " + photo.name, "Фото с паспортом"),
            max_width="min(100%, 720px)",
            border_radius="8px",
        ),
        form_error(S.errors),
        verdict_button("Подтвердить", S, S.confirm(photo.id, S.answered), "green"),
        reject_form(S, photo.id, "Причина отказа (её увидит клиент)", REASON_MAX),
        data_testid="review-item",
    )


def identification_queue() -> rx.Component:
    S = IdentificationState
    return queue_page(
        S,
        title="Идентификация: фото с паспортом",
        has_item=S.photo.id > 0,
        item=_photo_item(),
        empty="Очередь пуста: все фото проверены.",
    )


def _row(*cells: rx.Component | rx.Var | str, **props) -> rx.Component:
    return rx.table.row(*[rx.table.cell(c) for c in cells], **props)


def _table(headers: list[str], body: rx.Component, label: str) -> rx.Component:
    return rx.box(
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in headers])),
            rx.table.body(body),
            aria_label=label,
            width="100%",
        ),
        overflow_x="auto",
        width="100%",
    )


def _fact(label: str, value: rx.Var, test_id: str) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="2", color_scheme="gray"),
        rx.text(value, data_testid=test_id),
        spacing="0",
    )


def _borrower_file() -> rx.Component:
    S = BorrowerSearchState
    p = S.person
    return rx.vstack(
        card(
            rx.heading(p.name, size="5", as_="h2"),
            rx.grid(
                _fact("Телефон", p.phone, "person-phone"),
                _fact("Дата рождения", p.birth_date, "person-birth"),
                _fact("Паспорт", p.passport, "person-passport"),
                _fact("СНИЛС", p.snils, "person-snils"),
                _fact("Анкета", p.questionnaire, "person-questionnaire"),
                _fact("Фото с паспортом", p.photo, "person-photo"),
                columns=rx.breakpoints(initial="1", sm="3"),
                spacing="3",
                width="100%",
            ),
        ),
        card(
            rx.heading("Займы", size="4", as_="h2"),
            _table(
                ["Договор", "Статус", "Сумма", "Срок возврата", "Долг сегодня"],
                rx.foreach(
                    S.loans,
                    lambda x: _row(x.number, x.status, x.principal, x.due, x.owed),
                ),
                "Займы",
            ),
        ),
        card(
            rx.heading("Операции", size="4", as_="h2"),
            _table(
                ["Дата", "Операция", "Сумма"],
                rx.foreach(S.operations, lambda o: _row(o.date, o.text, o.amount)),
                "Операции",
            ),
        ),
        card(
            rx.heading("Документы", size="4", as_="h2"),
            rx.el.ul(
                rx.foreach(
                    S.documents,
                    lambda d: rx.el.li(
                        rx.el.a(d.title, href=d.url, target="_blank", rel="noopener"),
                        " от ",
                        d.date,
                    ),
                ),
                class_name="c7-list",
            ),
        ),
        width="100%",
        spacing="4",
    )


def borrower_search() -> rx.Component:
    S = BorrowerSearchState
    return console_page(
        S,
        card(
            form(
                S,
                S.search,
                rx.vstack(
                    field(
                        S.errors,
                        "Телефон клиента",
                        "phone",
                        type="tel",
                        input_mode="tel",
                        placeholder="+7 (900) 123-45-67",
                        max_length=20,
                    ),
                    submit("Найти", S),
                    spacing="3",
                    width="100%",
                ),
            ),
            max_width="460px",
        ),
        rx.cond(S.found, _borrower_file()),
        title="Поиск клиента",
    )


def audit_log() -> rx.Component:
    S = AuditLogState
    return console_page(
        S,
        rx.text("Последние действия операторов, новые сверху. Записи нельзя изменить или удалить."),
        _table(
            ["Когда (мск)", "Кто", "Действие", "Объект", "Было", "Стало"],
            rx.foreach(
                S.entries,
                lambda e: _row(
                    e.at, e.who, e.action, e.subject, e.before, e.after, data_testid="audit-entry"
                ),
            ),
            "Журнал действий",
        ),
        title="Журнал действий",
    )
