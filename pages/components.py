"""The frame every page shares and the labelled form fields with errors beside them."""

from __future__ import annotations

import reflex as rx

from credit7_web import urls
from credit7_web.tariff import DOCS_EMAIL, HOTLINE, HOTLINE_TEL

ACCENT = "green"


def link_button(label: str | rx.Var, href: str | rx.Var, **props) -> rx.Component:
    """A link dressed as a button (a button inside a link would be two nested controls)."""
    return rx.button(rx.link(label, href=href, underline="none"), as_child=True, **props)


def header(member: bool = False) -> rx.Component:
    """Visitors see «Войти»; a signed-in borrower's pages link back to the cabinet instead."""
    return rx.el.header(
        rx.link(
            rx.heading("Credit7", size="6", color_scheme=ACCENT),
            href=urls.HOME,
            underline="none",
            aria_label="Credit7 — на главную",
        ),
        rx.hstack(
            link_button("Внести платёж", urls.PAY, variant="outline"),
            link_button("Личный кабинет", urls.CABINET)
            if member
            else link_button("Войти", urls.LOGIN),
            spacing="2",
            wrap="wrap",
        ),
        class_name="c7-header",
    )


def footer() -> rx.Component:
    return rx.el.footer(
        rx.text(
            "Горячая линия: ",
            rx.link(HOTLINE, href=f"tel:{HOTLINE_TEL}"),
            " — бесплатно по России",
        ),
        rx.text("Документы: ", rx.link(DOCS_EMAIL, href=f"mailto:{DOCS_EMAIL}")),
        rx.link("Вопросы и ответы", href=urls.FAQ),
        rx.text(
            "ООО МКК «Кредит Севен». Займы выдаются гражданам РФ от 18 до 75 лет.",
            size="1",
            color_scheme="gray",
        ),
        class_name="c7-footer",
    )


def page(*children: rx.Component, title: str | None = None, member: bool = False) -> rx.Component:
    return rx.box(
        header(member),
        rx.el.main(
            rx.heading(title, size="7", as_="h1") if title else rx.fragment(),
            *children,
            class_name="c7-main",
        ),
        footer(),
        class_name="c7-page",
    )


def card(*children: rx.Component, **props) -> rx.Component:
    return rx.card(rx.vstack(*children, spacing="3", width="100%"), width="100%", **props)


def error_text(errors: rx.Var, name: str) -> rx.Component:
    return rx.cond(
        errors.contains(name),
        rx.text(errors[name], id=f"{name}-error", role="alert", color_scheme="red", size="2"),
    )


def field(
    errors: rx.Var,
    label: str,
    name: str,
    *,
    hint: str = "",
    **input_props,
) -> rx.Component:
    """A labelled input; its error (from `errors[name]`) sits right under it."""
    return rx.vstack(
        rx.el.label(label, html_for=name, class_name="c7-label"),
        rx.input(
            id=name,
            name=name,
            aria_describedby=f"{name}-error",
            aria_invalid=errors.contains(name),
            width="100%",
            size="3",
            **input_props,
        ),
        rx.text(hint, size="1", color_scheme="gray") if hint else rx.fragment(),
        error_text(errors, name),
        spacing="1",
        width="100%",
        align="stretch",
    )


def checkbox(errors: rx.Var, label: rx.Component | str, name: str, **props) -> rx.Component:
    """A native checkbox: it submits with the form and its label is clickable."""
    return rx.vstack(
        rx.el.label(
            rx.el.input(
                type="checkbox",
                id=name,
                name=name,
                aria_describedby=f"{name}-error",
                class_name="c7-checkbox",
                **props,
            ),
            label,
            html_for=name,
            class_name="c7-check-label",
        ),
        error_text(errors, name),
        spacing="1",
        width="100%",
    )


def form_error(errors: rx.Var) -> rx.Component:
    """A message about the whole form rather than one field."""
    return rx.cond(
        errors.contains(""),
        rx.callout(errors[""], icon="triangle_alert", color_scheme="red", role="alert"),
    )


# Until the page is hydrated a click would submit the form natively, putting its fields in a URL.
NOT_READY = ~rx.State.is_hydrated


def submit(label: str | rx.Var, busy: rx.Var, **props) -> rx.Component:
    return rx.button(
        label, type="submit", size="3", loading=busy, disabled=NOT_READY, width="100%", **props
    )


def phone_field(errors: rx.Var) -> rx.Component:
    return field(
        errors,
        "Номер телефона",
        "phone",
        type="tel",
        placeholder="+7 (900) 123-45-67",
        auto_complete="tel",
        input_mode="tel",
        max_length=20,
    )


def password_fields(errors: rx.Var, first_label: str = "Пароль") -> rx.Component:
    return rx.vstack(
        field(
            errors,
            first_label,
            "password",
            type="password",
            auto_complete="new-password",
            hint="От 8 до 64 символов, буквы и цифры",
            max_length=64,
        ),
        field(
            errors,
            "Повторите пароль",
            "password2",
            type="password",
            auto_complete="new-password",
            max_length=64,
        ),
        width="100%",
        spacing="3",
    )


def code_field(errors: rx.Var) -> rx.Component:
    return field(
        errors,
        "Код из SMS",
        "code",
        input_mode="numeric",
        auto_complete="one-time-code",
        max_length=6,
        placeholder="6 цифр",
    )
