"""Sign-up, sign-in and password recovery pages."""

from __future__ import annotations

import reflex as rx

from credit7_web import urls
from pages.components import (
    card,
    checkbox,
    code_field,
    field,
    form,
    form_error,
    notice,
    page,
    password_fields,
    phone_field,
    resend_button,
    secondary,
    submit,
)
from pages.gosuslugi import gosuslugi_start
from state.login import LoginState
from state.recover import RecoverState
from state.register import RegisterState


def _code_step(state: type[RegisterState] | type[RecoverState]) -> rx.Component:
    return form(
        state,
        state.submit_code,
        rx.vstack(
            rx.text("Мы отправили SMS с кодом на номер ", rx.text.strong(state.phone_display)),
            code_field(state.errors),
            rx.cond(state.notice != "", notice(state.notice, "code-notice")),
            submit("Подтвердить", state),
            rx.hstack(
                resend_button(state, state.resend),
                secondary("Изменить номер", on_click=state.change_phone),
                wrap="wrap",
            ),
            spacing="3",
            width="100%",
        ),
    )


def _steps(state, phone_step: rx.Component, password_step: rx.Component) -> rx.Component:
    return rx.match(
        state.step,
        ("code", _code_step(state)),
        ("password", password_step),
        phone_step,
    )


def register() -> rx.Component:
    consent = rx.text(
        "Я даю согласие на обработку моих персональных данных в соответствии с Федеральным "
        "законом № 152-ФЗ и соглашаюсь с ",
        rx.link("условиями обработки", href=urls.PERSONAL_DATA, underline="always"),
        ".",
        size="2",
    )
    phone_step = form(
        RegisterState,
        RegisterState.submit_phone,
        rx.vstack(
            phone_field(RegisterState.errors),
            checkbox(RegisterState.errors, consent, "consent"),
            submit("Получить код", RegisterState),
            spacing="3",
            width="100%",
        ),
    )
    password_step = form(
        RegisterState,
        RegisterState.submit_password,
        rx.vstack(
            rx.text("Номер ", rx.text.strong(RegisterState.phone_display), " подтверждён."),
            password_fields(RegisterState.errors, "Придумайте пароль"),
            submit("Создать аккаунт", RegisterState),
            spacing="3",
            width="100%",
        ),
    )
    return page(
        card(
            form_error(RegisterState.errors),
            _steps(RegisterState, phone_step, password_step),
            rx.text("Уже есть аккаунт? ", rx.link("Войти", href=urls.LOGIN)),
            rx.divider(),
            gosuslugi_start("Войти через Госуслуги", variant="soft"),
            max_width="460px",
        ),
        title="Регистрация",
    )


def _sign_in_step() -> rx.Component:
    return rx.vstack(
        rx.cond(
            LoginState.unlock == "offer",
            secondary(
                "Разблокировать по SMS",
                on_click=LoginState.send_unlock_code,
                data_testid="unlock-by-sms",
            ),
        ),
        form(
            LoginState,
            LoginState.submit,
            rx.vstack(
                phone_field(LoginState.errors),
                field(
                    LoginState.errors,
                    "Пароль",
                    "password",
                    type="password",
                    auto_complete="current-password",
                    max_length=64,
                ),
                submit("Войти", LoginState),
                spacing="3",
                width="100%",
            ),
        ),
        spacing="3",
        width="100%",
    )


def _unlock_step() -> rx.Component:
    """The owner of the locked phone types the code sent to it: the lockout is lifted."""
    return form(
        LoginState,
        LoginState.submit_unlock,
        rx.vstack(
            rx.text("Мы отправили SMS с кодом на номер ", rx.text.strong(LoginState.phone_display)),
            code_field(LoginState.errors),
            submit("Разблокировать вход", LoginState),
            resend_button(LoginState, LoginState.send_unlock_code, "unlock-resend"),
            spacing="3",
            width="100%",
        ),
    )


def login() -> rx.Component:
    return page(
        card(
            rx.cond(
                LoginState.notice != "",
                rx.callout(LoginState.notice, icon="check", color_scheme="green"),
            ),
            form_error(LoginState.errors),
            rx.cond(LoginState.unlock == "code", _unlock_step(), _sign_in_step()),
            rx.hstack(
                rx.link("Забыли пароль?", href=urls.RECOVER),
                rx.spacer(),
                rx.link("Зарегистрироваться", href=urls.REGISTER),
                width="100%",
                wrap="wrap",
            ),
            rx.divider(),
            gosuslugi_start("Войти через Госуслуги", variant="soft"),
            rx.link("Восстановить удалённый аккаунт", href=urls.RESTORE, size="2"),
            max_width="460px",
        ),
        title="Вход в личный кабинет",
    )


def recover() -> rx.Component:
    phone_step = form(
        RecoverState,
        RecoverState.submit_phone,
        rx.vstack(
            rx.text("Укажите номер, на который зарегистрирован аккаунт."),
            phone_field(RecoverState.errors),
            submit("Продолжить", RecoverState),
            spacing="3",
            width="100%",
        ),
    )
    password_step = form(
        RecoverState,
        RecoverState.submit_password,
        rx.vstack(
            password_fields(RecoverState.errors, "Новый пароль"),
            submit("Сохранить пароль", RecoverState),
            spacing="3",
            width="100%",
        ),
    )
    return page(
        card(
            form_error(RecoverState.errors),
            _steps(RecoverState, phone_step, password_step),
            rx.link("Вернуться ко входу", href=urls.LOGIN),
            max_width="460px",
        ),
        title="Восстановление пароля",
    )
