"""Sign-up through Gosuslugi `/gosuslugi`: the start, a refusal with its reason, the questionnaire
filled by Gosuslugi (locked) with the rest to fill, the SMS code."""

from __future__ import annotations

import reflex as rx

from credit7_web import urls
from credit7_web.identity.fields import FAMILY_STATUSES
from credit7_web.identity.gosuslugi import FORM_FIELDS
from credit7_web.identity.questionnaire import CITIZENSHIPS
from pages.components import (
    card,
    checkbox,
    code_field,
    error_text,
    field,
    form_error,
    link_button,
    page,
    password_fields,
    stacked_form,
    submit,
)
from state.gosuslugi import GosuslugiState as S

LABELS = {
    "last_name": "Фамилия",
    "first_name": "Имя",
    "middle_name": "Отчество",
    "birth_date": "Дата рождения",
    "birth_place": "Место рождения (как в паспорте)",
    "citizenship": "Гражданство",
    "passport_series": "Серия паспорта",
    "passport_number": "Номер паспорта",
    "passport_issue_date": "Дата выдачи паспорта",
    "passport_issuer": "Кем выдан",
    "passport_division_code": "Код подразделения",
    "reg_address": "Адрес регистрации",
    "res_address": "Адрес проживания",
    "snils": "СНИЛС",
    "email": "Электронная почта",
    "employer": "Место работы",
    "position": "Должность",
    "family_status": "Семейное положение",
    "dependants": "Количество иждивенцев",
    "monthly_income": "Ежемесячный доход, ₽",
}
SELECTS = {"family_status": FAMILY_STATUSES, "citizenship": CITIZENSHIPS}
HINTS = {
    "birth_date": "дд.мм.гггг",
    "passport_issue_date": "дд.мм.гггг",
    "passport_division_code": "123-456",
    "snils": "123-456-789 01",
}


def gosuslugi_start(label: str, **props) -> rx.Component:
    """A full page load of the start route (an HTTP route: no client-side navigation)."""
    return rx.button(
        rx.link(label, href=urls.GOSUSLUGI_START, reload_document=True, underline="none"),
        as_child=True,
        color_scheme="blue",
        **props,
    )


def _locked(name: str) -> rx.Component:
    """A value from Gosuslugi: read-only, marked, sent back as it came (the server checks)."""
    return rx.vstack(
        rx.hstack(
            rx.el.label(LABELS[name], html_for=name, class_name="c7-label"),
            rx.badge("из Госуслуг", color_scheme="blue", variant="soft"),
            align="center",
            spacing="2",
        ),
        rx.input(
            id=name,
            name=name,
            value=S.locked[name],
            read_only=True,
            aria_describedby=f"{name}-error",
            width="100%",
            size="3",
            variant="soft",
            color_scheme="gray",
        ),
        error_text(S.errors, name),
        spacing="1",
        width="100%",
        align="stretch",
    )


def _select(name: str) -> rx.Component:
    return rx.vstack(
        rx.el.label(LABELS[name], html_for=name, class_name="c7-label"),
        rx.el.select(
            rx.el.option("Выберите…", value=""),
            *[rx.el.option(text, value=value) for value, text in SELECTS[name].items()],
            id=name,
            name=name,
            aria_describedby=f"{name}-error",
            class_name="c7-select",
        ),
        error_text(S.errors, name),
        spacing="1",
        width="100%",
    )


def _editable(name: str) -> rx.Component:
    if name in SELECTS:
        return _select(name)
    return field(S.errors, LABELS[name], name, placeholder=HINTS.get(name, ""), max_length=300)


def _intro() -> rx.Component:
    return card(
        rx.cond(S.notice != "", rx.callout(S.notice, icon="info", color_scheme="amber")),
        rx.text(
            "Войдите на Госуслугах — ФИО, дата рождения, паспорт, СНИЛС, адреса и контакты "
            "подставятся в анкету сами. Останется указать работу, доход, семью и пароль."
        ),
        rx.text("Нужна подтверждённая учётная запись Госуслуг с проверенным паспортом.", size="2"),
        gosuslugi_start("Войти через Госуслуги", size="3"),
        rx.text("Или ", rx.link("зарегистрируйтесь по номеру телефона", href=urls.REGISTER), "."),
        max_width="560px",
    )


def _refused() -> rx.Component:
    return card(
        rx.heading("Зарегистрироваться через Госуслуги не получилось", size="5", as_="h2"),
        rx.callout(S.refusal, icon="triangle_alert", color_scheme="red", role="alert"),
        rx.cond(
            S.registered,
            rx.hstack(
                link_button("Войти", urls.LOGIN, size="3"),
                link_button("Восстановить пароль", urls.RECOVER, size="3", variant="outline"),
                wrap="wrap",
            ),
            rx.vstack(
                link_button("Зарегистрироваться по номеру телефона", urls.REGISTER, size="3"),
                gosuslugi_start("Попробовать через Госуслуги ещё раз", variant="outline"),
                align="start",
            ),
        ),
        data_testid="gosuslugi-refusal",
        max_width="560px",
    )


def _form() -> rx.Component:
    consent = rx.text(
        "Я даю согласие на обработку моих персональных данных, полученных с Госуслуг и "
        "указанных мной, в соответствии с Федеральным законом № 152-ФЗ и соглашаюсь с ",
        rx.link("условиями обработки", href=urls.PERSONAL_DATA),
        ".",
        size="2",
    )
    return rx.box(
        stacked_form(
            S,
            S.submit,
            card(
                rx.heading("Данные с Госуслуг", size="4", as_="h2"),
                rx.text("Их подтвердило государство, поэтому изменить их здесь нельзя.", size="2"),
                *[rx.cond(S.locked.contains(name), _locked(name)) for name in FORM_FIELDS],
            ),
            card(
                rx.heading("Осталось заполнить", size="4", as_="h2"),
                *[rx.cond(S.to_fill.contains(name), _editable(name)) for name in FORM_FIELDS],
                password_fields(S.errors, "Придумайте пароль"),
                checkbox(S.errors, consent, "consent"),
                form_error(S.errors),
                submit("Получить код по SMS", S),
            ),
        ),
        width="100%",
        max_width="640px",
    )


def _code() -> rx.Component:
    return card(
        rx.heading("Подтвердите телефон", size="5", as_="h2"),
        stacked_form(
            S,
            S.submit_code,
            rx.text(
                "Мы отправили SMS с кодом на номер с Госуслуг ",
                rx.text.strong(S.phone_display),
                ".",
            ),
            code_field(S.errors),
            form_error(S.errors),
            submit("Подтвердить и создать аккаунт", S),
            rx.hstack(
                rx.button(
                    "Отправить код ещё раз", type="button", variant="ghost", on_click=S.resend
                ),
                rx.button("Изменить ответы", type="button", variant="ghost", on_click=S.back),
                wrap="wrap",
            ),
        ),
        max_width="560px",
    )


def gosuslugi() -> rx.Component:
    return page(
        rx.match(
            S.stage,
            ("refused", _refused()),
            ("form", _form()),
            ("code", _code()),
            _intro(),
        ),
        title="Заём через Госуслуги",
    )
