"""The application `/apply`: passport photo and card, amount and services, decision, signature."""

from __future__ import annotations

import reflex as rx
from reflex.experimental.client_state import ClientStateVar

from credit7_web import tariff, urls
from credit7_web.identity import kyc
from credit7_web.lending.applications import Stage
from credit7_web.russian import card_check_text, per_day_text
from pages.client import choose, optimistic
from pages.components import (
    NOT_READY,
    card,
    code_field,
    error_text,
    form,
    form_error,
    notice,
    page,
    refusal,
    resend_button,
    sends,
    submit,
    waiting,
)
from pages.uploads import photo_dropzone
from state.apply import LOADING
from state.apply import ApplyState as S

PHOTO_UPLOAD = "passport-photo"
UNAVAILABLE = " Недоступно при этой сумме и сроке: полная стоимость превысила бы предел закона."
RUB = tariff.KOPECKS_PER_RUBLE

# The borrower's choice shows at once; the server's pricing of it follows (`S.priced`).
choice = ClientStateVar.create("apply_choice", {})


def _figure(label: str, value: rx.Var, test_id: str) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="2", color_scheme="gray"),
        rx.text(value, size="5", weight="bold", data_testid=test_id),
        spacing="0",
    )


def _done(text: rx.Var | str) -> rx.Component:
    return rx.hstack(rx.icon("circle_check", color="var(--green-9)"), rx.text(text))


def _photo_step() -> rx.Component:
    uploading = (S.upload_progress > 0) & (S.upload_progress < 100)
    return card(
        rx.heading("1. Фото с паспортом", size="4", as_="h2"),
        rx.cond(
            S.photo_rejection != "",
            rx.callout(
                rx.text("Фото не принято: ", S.photo_rejection, " Загрузите новое фото."),
                color_scheme="red",
                role="alert",
                data_testid="photo-rejected",
            ),
        ),
        rx.cond(
            S.has_photo,
            rx.vstack(
                _done("Фото загружено"),
                rx.image(
                    src=S.photo_url,
                    alt="Ваше фото с паспортом",
                    max_width="240px",
                    border_radius="8px",
                ),
            ),
            rx.fragment(),
        ),
        rx.text(
            "Сфотографируйтесь, держа паспорт открытым на странице с фото: лицо и страница "
            f"должны быть хорошо видны. JPEG или PNG до {kyc.MAX_MEGABYTES} МБ "
            "(снимки iPhone загружаются как JPEG).",
            size="2",
        ),
        photo_dropzone("Файл с фото", PHOTO_UPLOAD),
        rx.button(
            rx.cond(S.has_photo, "Загрузить другое фото", "Загрузить фото"),
            type="button",
            # The chosen file's name leaves the drop area once it is sent (in the browser: no
            # script comes back from the server).
            on_click=[
                S.upload_photo(
                    rx.upload_files(upload_id=PHOTO_UPLOAD, on_upload_progress=S.upload_progressed)
                ),
                rx.clear_selected_files(PHOTO_UPLOAD),
            ],
            loading=uploading,
            disabled=NOT_READY | uploading,
        ),
        rx.cond(
            uploading,
            rx.progress(value=S.upload_progress, width="100%", aria_label="Загрузка фото"),
        ),
        error_text(S.errors, "photo"),
    )


def _card_step() -> rx.Component:
    return card(
        rx.heading("2. Банковская карта", size="4", as_="h2"),
        rx.cond(S.has_card, _done(S.card_label), rx.fragment()),
        rx.cond(
            S.card_notice != "",
            rx.callout(
                S.card_notice,
                color_scheme=rx.cond(S.card_failed, "red", "green"),
                role="status",
                data_testid="card-notice",
            ),
        ),
        rx.text(
            "Деньги придут на эту карту. Данные карты вы вводите на странице банка-эквайера, "
            "мы их не видим и не храним. "
            f"Банк спишет и сразу вернёт {card_check_text()} для проверки.",
            size="2",
        ),
        rx.button(
            rx.cond(S.has_card, "Привязать другую карту", "Привязать карту"),
            type="button",
            on_click=S.bind_card,
            disabled=NOT_READY,
        ),
    )


def _service(service) -> rx.Component:
    code = service.code
    box_id = "service-" + code
    return rx.vstack(
        rx.el.label(
            rx.el.input(
                type="checkbox",
                id=box_id,
                checked=optimistic(choice, code, S.chosen.contains(code), S.priced),
                disabled=~service.fits,
                on_change=[choose(choice, code, S.priced), S.toggle_service(code)],
                class_name="c7-checkbox",
            ),
            rx.text.span(service.title, " — ", rx.text.strong(service.price)),
            html_for=box_id,
            class_name="c7-check-label",
        ),
        rx.text(
            service.about,
            rx.cond(service.fits, "", UNAVAILABLE),
            size="1",
            color_scheme="gray",
        ),
        spacing="1",
    )


def _slider(slider_id: str, low, high, step: int, confirmed: rx.Var) -> rx.Component:
    """A native range input: the thumb follows the keyboard or the finger at once, the figures
    follow the server's pricing (each step is priced there: services and caps depend on it)."""
    key = rx.Var.create(slider_id)
    setter = S.set_amount if slider_id == "apply-amount" else S.set_term
    return rx.el.input(
        type="range",
        id=slider_id,
        min=low,
        max=high,
        step=step,
        value=optimistic(choice, key, confirmed, S.priced),
        on_change=[choose(choice, key, S.priced), setter],
        class_name="c7-range",
    )


def _form() -> rx.Component:
    return card(
        rx.heading("3. Сумма и срок", size="4", as_="h2"),
        rx.hstack(
            rx.el.label("Сумма займа, ₽", html_for="apply-amount", class_name="c7-label"),
            rx.spacer(),
            rx.text(S.figures.amount, weight="bold", data_testid="apply-amount-label"),
            width="100%",
        ),
        _slider("apply-amount", S.amount_min, S.amount_max, tariff.AMOUNT_STEP // RUB, S.amount),
        error_text(S.errors, "amount"),
        rx.hstack(
            rx.el.label("Срок, дней", html_for="apply-term", class_name="c7-label"),
            rx.spacer(),
            rx.text(S.figures.term, weight="bold"),
            width="100%",
        ),
        _slider("apply-term", tariff.TERM_MIN, tariff.TERM_MAX, tariff.TERM_STEP, S.term),
        error_text(S.errors, "term"),
        rx.heading("Дополнительные услуги", size="3", as_="h3"),
        rx.text("По желанию. Цена добавляется к сумме возврата.", size="2"),
        rx.foreach(S.services, _service),
        error_text(S.errors, "services"),
        rx.grid(
            _figure("Вернуть", S.figures.total, "apply-total"),
            _figure("До", S.figures.due, "apply-due"),
            _figure("ПСК, % годовых", S.figures.psk, "apply-psk"),
            _figure("ПСК в рублях", S.figures.psk_rub, "apply-psk-rub"),
            columns=rx.breakpoints(initial="1", sm="2"),
            spacing="3",
            width="100%",
        ),
        rx.cond(
            S.figures.promo,
            rx.text(
                "Первый заём — 0 % при возврате до даты платежа. При просрочке проценты "
                f"{per_day_text()} начнут начисляться с первого дня просрочки.",
                size="2",
            ),
        ),
        form_error(S.errors),
        rx.button(
            "Отправить заявку",
            type="button",
            size="3",
            width="100%",
            on_click=sends(S, S.submit(S.answered)),
            loading=waiting(S),
            disabled=NOT_READY | waiting(S),
        ),
    )


def _scoring() -> rx.Component:
    return card(
        rx.hstack(rx.spinner(size="3"), rx.heading("Заявка на рассмотрении", size="5", as_="h2")),
        rx.text(
            "Проверяем данные и запрашиваем бюро кредитных историй. Обычно это занимает "
            "несколько секунд — страница обновится сама."
        ),
        rx.progress(width="100%", aria_label="Рассмотрение заявки"),
        form_error(S.errors),
        data_testid="scoring",
    )


def _refused() -> rx.Component:
    return card(
        refusal(S.refusal, S.reapply),
        rx.link("Вернуться в личный кабинет", href=urls.CABINET),
    )


def _offer() -> rx.Component:
    o = S.offer
    return card(
        rx.heading("Заём одобрен", size="5", as_="h2"),
        rx.cond(
            o.less != "",
            rx.callout.root(
                rx.callout.text(o.less, data_testid="offer-less"),
                color_scheme="amber",
            ),
        ),
        rx.grid(
            _figure("Сумма", o.amount, "offer-amount"),
            _figure("Вернуть", o.total, "offer-total"),
            _figure("До", o.due, "offer-due"),
            _figure("ПСК, % годовых", o.psk, "offer-psk"),
            _figure("ПСК в рублях", o.psk_rub, "offer-psk-rub"),
            columns=rx.breakpoints(initial="1", sm="2"),
            spacing="3",
            width="100%",
        ),
        rx.text("Деньги придут на карту ", o.card, ".", data_testid="offer-card"),
        rx.link(
            "Индивидуальные условия договора № ",
            o.number,
            " (PDF)",
            href=o.draft,
            is_external=True,
        ),
        form_error(S.errors),
        rx.cond(
            S.signature_requested,
            form(
                S,
                S.sign,
                rx.vstack(
                    rx.text("Мы отправили код на ваш телефон. Вводя его, вы подписываете договор."),
                    code_field(S.errors),
                    rx.cond(S.notice != "", notice(S.notice, "code-notice")),
                    submit("Подписать и получить деньги", S),
                    resend_button(S, S.send_code),
                    width="100%",
                ),
            ),
            rx.button(
                "Подписать кодом из SMS",
                type="button",
                size="3",
                width="100%",
                on_click=sends(S, S.send_code(S.answered)),
                loading=waiting(S),
                disabled=NOT_READY | waiting(S),
            ),
        ),
    )


def apply() -> rx.Component:
    return page(
        rx.match(
            S.stage,
            (LOADING, rx.hstack(rx.spinner(), rx.text("Загружаем…"))),
            (Stage.SCORING, _scoring()),
            (Stage.REFUSED, _refused()),
            (Stage.OFFER, _offer()),
            rx.vstack(
                _photo_step(),
                _card_step(),
                rx.cond(
                    S.stage == Stage.FORM,
                    _form(),
                    rx.text("Загрузите фото и привяжите карту — и можно отправлять заявку."),
                ),
                width="100%",
                max_width="640px",
                spacing="4",
            ),
        ),
        title="Заявка на заём",
        member=True,
    )
