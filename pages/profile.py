"""The profile `/profile`: contacts, masked documents, and one form at a time to change the phone,
the e-mail or the password, or to ask to delete the account."""

from __future__ import annotations

import reflex as rx

from credit7_web import tariff, urls
from credit7_web.russian import days, plural
from pages.components import (
    card,
    code_field,
    field,
    form_error,
    link_button,
    page,
    password_fields,
    stacked_form,
    submit,
)
from state.profile import ProfileState as S


def _row(label: str, value: rx.Var, test_id: str) -> rx.Component:
    return rx.hstack(
        rx.text(label, color_scheme="gray", min_width="120px"),
        rx.text(value, weight="medium", data_testid=test_id),
        width="100%",
        wrap="wrap",
    )


def _open(label: str, which: str) -> rx.Component:
    return rx.button(label, type="button", variant="outline", on_click=S.edit(which))


def _cancel() -> rx.Component:
    return rx.button("Отмена", type="button", variant="ghost", on_click=S.cancel)


def _form(*children: rx.Component, handler, label: str) -> rx.Component:
    return stacked_form(S, handler, *children, form_error(S.errors), submit(label, S), _cancel())


def _current_password(name: str) -> rx.Component:
    return field(
        S.errors,
        "Текущий пароль",
        name,
        type="password",
        auto_complete="current-password",
        max_length=64,
    )


def _phone_forms() -> rx.Component:
    start = _form(
        _current_password("password"),
        field(
            S.errors,
            "Новый номер телефона",
            "new_phone",
            type="tel",
            placeholder="+7 (900) 123-45-67",
            auto_complete="tel",
            input_mode="tel",
            max_length=20,
        ),
        handler=S.start_phone_change,
        label="Получить код",
    )
    confirm = stacked_form(
        S,
        S.confirm_phone_change,
        rx.text("Мы отправили SMS с кодом на номер ", rx.text.strong(S.new_phone_display)),
        code_field(S.errors),
        form_error(S.errors),
        submit("Подтвердить новый номер", S),
        rx.hstack(
            rx.button(
                "Отправить код ещё раз",
                type="button",
                variant="ghost",
                on_click=S.resend_phone_code,
            ),
            _cancel(),
            wrap="wrap",
        ),
    )
    return rx.match(S.editing, ("phone", start), ("phone_code", confirm), rx.fragment())


def _contacts() -> rx.Component:
    return card(
        rx.heading("Контакты", size="4", as_="h2"),
        _row("Телефон", S.profile.phone, "profile-phone"),
        _row("Эл. почта", rx.cond(S.profile.email != "", S.profile.email, "—"), "profile-email"),
        rx.cond(
            S.editing == "",
            rx.hstack(
                _open("Сменить телефон", "phone"), _open("Сменить почту", "email"), wrap="wrap"
            ),
        ),
        _phone_forms(),
        rx.cond(
            S.editing == "email",
            _form(
                field(
                    S.errors,
                    "Новая электронная почта",
                    "email",
                    type="email",
                    auto_complete="email",
                    max_length=120,
                ),
                handler=S.change_email,
                label="Сохранить почту",
            ),
        ),
    )


def _documents() -> rx.Component:
    return card(
        rx.hstack(
            rx.heading("Документы", size="4", as_="h2"),
            rx.cond(
                S.profile.from_gosuslugi,
                rx.badge("из Госуслуг", color_scheme="blue", variant="soft"),
            ),
            align="center",
        ),
        _row("ФИО", S.profile.name, "profile-name"),
        _row("Паспорт", S.profile.passport, "profile-passport"),
        _row("СНИЛС", S.profile.snils, "profile-snils"),
        rx.text(
            "Номера документов скрыты. Чтобы исправить данные, позвоните: ",
            rx.link(tariff.HOTLINE, href=f"tel:{tariff.HOTLINE_TEL}"),
            ".",
            size="2",
            color_scheme="gray",
        ),
    )


def _password() -> rx.Component:
    return card(
        rx.heading("Пароль", size="4", as_="h2"),
        rx.cond(
            S.editing == "password",
            _form(
                _current_password("current_password"),
                password_fields(S.errors, "Новый пароль"),
                handler=S.change_password,
                label="Сменить пароль",
            ),
            rx.cond(S.editing == "", _open("Сменить пароль", "password")),
        ),
    )


def _deletion() -> rx.Component:
    years = tariff.RECORDS_KEPT_YEARS
    return card(
        rx.heading("Удаление аккаунта", size="4", as_="h2"),
        rx.text(
            f"Аккаунт удаляется в течение {days(tariff.ACCOUNT_DELETION_DAYS)}, если нет "
            "открытого займа и просроченной задолженности. Договоры и платёжные документы "
            f"хранятся {years} {plural(years, 'год', 'года', 'лет')}, как требует закон; "
            "остальные персональные данные удаляются, вход по номеру перестаёт работать.",
            size="2",
        ),
        rx.text(
            "Заявку можно отправить и письмом на ",
            rx.link(tariff.DOCS_EMAIL, href=f"mailto:{tariff.DOCS_EMAIL}"),
            ".",
            size="2",
        ),
        rx.cond(
            S.deletion_due != "",
            rx.vstack(
                rx.callout(
                    rx.text("Аккаунт будет удалён не позднее ", S.deletion_due, "."),
                    icon="clock",
                    color_scheme="amber",
                    data_testid="deletion-pending",
                ),
                rx.button(
                    "Отменить удаление",
                    type="button",
                    variant="outline",
                    on_click=S.cancel_deletion,
                ),
                width="100%",
            ),
            rx.cond(
                S.editing == "delete",
                _form(
                    rx.text(
                        "Удалить аккаунт? Восстановить его можно будет только по заявке с "
                        "фото паспорта.",
                        weight="medium",
                    ),
                    handler=S.request_deletion,
                    label="Да, удалить аккаунт",
                ),
                rx.cond(
                    S.editing == "",
                    rx.button(
                        "Удалить аккаунт",
                        type="button",
                        color_scheme="red",
                        variant="soft",
                        on_click=S.edit("delete"),
                    ),
                ),
            ),
        ),
    )


def profile() -> rx.Component:
    return page(
        rx.cond(
            S.loaded,
            rx.vstack(
                rx.cond(
                    S.notice != "",
                    rx.callout(S.notice, icon="check", color_scheme="green", role="status"),
                ),
                _contacts(),
                _documents(),
                _password(),
                _deletion(),
                link_button("Вернуться в личный кабинет", urls.CABINET, variant="ghost"),
                spacing="4",
                width="100%",
                max_width="640px",
            ),
            rx.hstack(rx.spinner(), rx.text("Загружаем профиль…")),
        ),
        title="Профиль",
        member=True,
    )
