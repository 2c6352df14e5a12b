"""The accounts role's queues: account deletions to carry out, restorations to decide."""

from __future__ import annotations

import reflex as rx

from credit7_web.identity.restoration import REASON_MAX
from pages.components import card, form_error
from pages.operator import queue_page, reject_form, verdict_button
from state.operator_deletions import DeletionQueueState
from state.operator_restorations import RestorationQueueState


def _deletion_item() -> rx.Component:
    S = DeletionQueueState
    request = S.request
    return card(
        rx.heading(request.name, size="5", as_="h2"),
        rx.text("Телефон: ", request.phone),
        rx.text("Заявка от ", request.requested, " (мск), удалить не позднее ", request.due),
        rx.cond(
            request.blocker != "",
            rx.callout(
                request.blocker,
                icon="triangle_alert",
                color_scheme="orange",
                data_testid="deletion-blocker",
            ),
        ),
        rx.text(
            "Удаляются анкета, фото, сессии и коды; договоры и платежи остаются. "
            "Клиенту придёт SMS, войти он больше не сможет.",
            size="2",
            color_scheme="gray",
        ),
        form_error(S.errors),
        verdict_button("Удалить сейчас", S, S.carry_out(request.id, S.answered), "red"),
        data_testid="deletion-item",
    )


def deletion_queue() -> rx.Component:
    S = DeletionQueueState
    return queue_page(
        S,
        title="Удаление аккаунтов",
        has_item=S.request.id > 0,
        item=_deletion_item(),
        empty="Очередь пуста: заявок на удаление нет.",
    )


def _photo(src: rx.Var, alt: str) -> rx.Component:
    return rx.el.figure(
        rx.image(src=src, alt=alt, max_width="100%", border_radius="8px"),
        rx.el.figcaption(alt, class_name="c7-label"),
    )


def _account() -> rx.Component:
    """The deleted account the phone led to: what the lender kept, to compare with the photos."""
    request = RestorationQueueState.request
    return rx.cond(
        request.found,
        rx.vstack(
            rx.text("Найден аккаунт, удалённый ", request.deleted, " (мск)."),
            rx.heading("Займы", size="4", as_="h3"),
            rx.el.ul(rx.foreach(request.loans, rx.el.li), class_name="c7-list"),
            rx.heading("Договоры (сверьте паспортные данные с фото)", size="4", as_="h3"),
            rx.el.ul(
                rx.foreach(
                    request.documents,
                    lambda d: rx.el.li(
                        rx.el.a(d.title, href=d.url, target="_blank", rel="noopener"),
                        " от ",
                        d.date,
                    ),
                ),
                class_name="c7-list",
            ),
            spacing="2",
            width="100%",
            data_testid="restoration-account",
        ),
        rx.callout(
            "С этим номером удалённый аккаунт не найден: заявку можно только отклонить.",
            icon="triangle_alert",
            color_scheme="orange",
            data_testid="restoration-no-account",
        ),
    )


def _restoration_item() -> rx.Component:
    S = RestorationQueueState
    request = S.request
    return card(
        rx.heading("Телефон ", request.phone, size="5", as_="h2"),
        rx.text("Заявка от ", request.sent, " (мск)"),
        rx.grid(
            _photo(request.passport_url, "Фото разворота паспорта"),
            _photo(request.selfie_url, "Селфи с паспортом в руке"),
            columns=rx.breakpoints(initial="1", sm="2"),
            spacing="3",
            width="100%",
        ),
        _account(),
        form_error(S.errors),
        verdict_button("Восстановить", S, S.approve(request.id, S.answered), "green"),
        reject_form(S, request.id, "Причина отказа (её получит клиент в SMS)", REASON_MAX),
        data_testid="restoration-item",
    )


def restoration_queue() -> rx.Component:
    S = RestorationQueueState
    return queue_page(
        S,
        title="Восстановление аккаунтов",
        has_item=S.request.id > 0,
        item=_restoration_item(),
        empty="Очередь пуста: заявок на восстановление нет.",
    )
