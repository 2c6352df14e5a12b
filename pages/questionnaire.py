"""The questionnaire `/register/questionnaire`: five short sections, each saved as it is left."""

from __future__ import annotations

import reflex as rx

from credit7_web.identity.fields import FAMILY_STATUSES
from credit7_web.identity.questionnaire import CITIZENSHIPS
from pages.components import card, error_text, field, form, form_error, page, secondary, submit
from state.questionnaire import LAST_STEP, SECTION_TITLES, QuestionnaireState

S = QuestionnaireState


def _input(label: str, name: str, **props) -> rx.Component:
    return field(
        S.errors,
        label,
        name,
        default_value=S.values.get(name, ""),
        on_blur=S.save_field(name),
        **props,
    )


def _masked(label: str, name: str, mask: str, placeholder: str, **props) -> rx.Component:
    """Digits typed on a phone's keypad get their dots and dashes as they are typed
    (assets/masks.js); the server accepts the digits alone too."""
    return _input(
        label,
        name,
        placeholder=placeholder,
        input_mode="numeric",
        max_length=len(placeholder),
        custom_attrs={"data-mask": mask},
        **props,
    )


def _date(label: str, name: str) -> rx.Component:
    return _masked(label, name, "date", "дд.мм.гггг")


def _select(label: str, name: str, options: dict[str, str]) -> rx.Component:
    return rx.vstack(
        rx.el.label(label, html_for=name, class_name="c7-label"),
        rx.el.select(
            rx.el.option("Выберите…", value=""),
            *[rx.el.option(text, value=value) for value, text in options.items()],
            id=name,
            name=name,
            default_value=S.values.get(name, ""),
            on_change=S.save_field(name),
            aria_describedby=f"{name}-error",
            class_name="c7-select",
        ),
        error_text(S.errors, name),
        spacing="1",
        width="100%",
    )


def _personal() -> rx.Component:
    return rx.fragment(
        _input("Фамилия", "last_name", auto_complete="family-name", max_length=60),
        _input("Имя", "first_name", auto_complete="given-name", max_length=60),
        _input("Отчество (если есть)", "middle_name", auto_complete="additional-name"),
        _date("Дата рождения", "birth_date"),
        _input("Место рождения (как в паспорте)", "birth_place", max_length=200),
        _select("Гражданство", "citizenship", CITIZENSHIPS),
    )


def _passport() -> rx.Component:
    return rx.fragment(
        rx.grid(
            _masked("Серия", "passport_series", "series", "__ __"),
            _masked("Номер", "passport_number", "number", "______"),
            columns="2",
            spacing="3",
            width="100%",
        ),
        _date("Дата выдачи", "passport_issue_date"),
        _input("Кем выдан", "passport_issuer", max_length=200),
        _masked("Код подразделения", "passport_division_code", "division", "___-___"),
    )


def _addresses() -> rx.Component:
    return rx.fragment(
        _input("Адрес регистрации", "reg_address", max_length=300),
        rx.el.label(
            rx.el.input(
                type="checkbox",
                id="res_same_as_reg",
                name="res_same_as_reg",
                checked=S.same_address,
                on_change=S.set_same_address,
                class_name="c7-checkbox",
            ),
            "Адрес проживания совпадает с адресом регистрации",
            html_for="res_same_as_reg",
            class_name="c7-check-label",
        ),
        rx.cond(
            S.same_address,
            rx.fragment(),
            _input("Адрес проживания", "res_address", max_length=300),
        ),
    )


def _contacts() -> rx.Component:
    return rx.fragment(
        _masked("СНИЛС", "snils", "snils", "___-___-___ __"),
        # Not type="email": the browser would judge the address in English and block the form.
        _input(
            "Электронная почта",
            "email",
            input_mode="email",
            auto_complete="email",
            max_length=120,
            spell_check=False,
        ),
    )


def _work() -> rx.Component:
    return rx.fragment(
        _input("Место работы", "employer", auto_complete="organization", max_length=200),
        _input("Должность", "position", auto_complete="organization-title", max_length=120),
        _select("Семейное положение", "family_status", FAMILY_STATUSES),
        _input("Количество иждивенцев", "dependants", input_mode="numeric", max_length=2),
        _input("Ежемесячный доход, ₽", "monthly_income", input_mode="numeric", max_length=12),
    )


def _section() -> rx.Component:
    return rx.match(
        S.step,
        (0, _personal()),
        (1, _passport()),
        (2, _addresses()),
        (3, _contacts()),
        _work(),
    )


def questionnaire() -> rx.Component:
    return page(
        card(
            rx.cond(
                S.loaded,
                rx.vstack(
                    rx.text(
                        "Шаг ",
                        (S.step + 1).to_string(),
                        " из ",
                        str(LAST_STEP + 1),
                        size="2",
                        color_scheme="gray",
                    ),
                    rx.progress(
                        value=(S.step + 1) * 100 // (LAST_STEP + 1),
                        width="100%",
                        aria_label="Заполнение анкеты",
                        aria_valuetext="Шаг " + (S.step + 1).to_string() + f" из {LAST_STEP + 1}",
                    ),
                    rx.heading(rx.Var.create(SECTION_TITLES)[S.step], size="5", as_="h2"),
                    form_error(S.errors),
                    form(
                        S,
                        S.submit,
                        rx.vstack(
                            rx.el.input(type="hidden", name="section", value=S.step.to_string()),
                            _section(),
                            submit(rx.cond(S.step == LAST_STEP, "Завершить", "Далее"), S),
                            spacing="3",
                            width="100%",
                        ),
                        key=S.step.to_string(),
                    ),
                    rx.cond(S.step > 0, secondary("Назад", on_click=S.back)),
                    rx.text(
                        "Всё, что вы ввели, сохраняется: можно уйти и вернуться позже.",
                        size="1",
                        color_scheme="gray",
                    ),
                    spacing="3",
                    width="100%",
                ),
                rx.hstack(rx.spinner(), rx.text("Загружаем анкету…")),
            ),
            max_width="560px",
        ),
        title="Анкета заёмщика",
        member=True,
    )
