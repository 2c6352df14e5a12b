"""The frame every page shares and the labelled form fields with errors beside them."""

from __future__ import annotations

import functools

import reflex as rx
from reflex.experimental.client_state import ClientStateVar
from reflex_components_core.el.element import Element

from credit7_web import tariff, urls, wiring
from credit7_web.tariff import DOCS_EMAIL, HOTLINE, HOTLINE_TEL
from pages.client import seconds_left
from state.forms import ANSWERED


def link_button(label: str | rx.Var, href: str | rx.Var, **props) -> rx.Component:
    """A link dressed as a button (a button inside a link would be two nested controls)."""
    return rx.button(rx.link(label, href=href, underline="none"), as_child=True, **props)


def header(member: bool | rx.Var = False) -> rx.Component:
    """Visitors see «Войти»; a signed-in borrower sees the cabinet link instead.

    `member` is known when the page is written (a borrower's page) or read on load (`rx.Var`).
    The logo is a link, not a heading: each page has one `h1`, its own title.
    """
    cabinet = link_button("Личный кабинет", urls.CABINET)
    sign_in = link_button("Войти", urls.LOGIN)
    if isinstance(member, rx.Var):
        account = rx.cond(member, cabinet, sign_in)
    else:
        account = cabinet if member else sign_in
    return rx.el.header(
        rx.link(
            rx.text.span("Credit", rx.text.span("7", class_name="c7-logo-seven")),
            href=urls.HOME,
            underline="none",
            aria_label="Credit7 — на главную",
            class_name="c7-logo",
        ),
        rx.el.nav(
            link_button("Внести платёж", urls.PAY, variant="outline"),
            account,
            aria_label="Основное меню",
            class_name="c7-header-nav",
        ),
        class_name="c7-header",
    )


def footer() -> rx.Component:
    """Contacts, then the lender's details from configuration (PRODUCT.md: on every page).

    Plain elements: the footer is on every first paint, and needs no themed component.
    """
    return rx.el.footer(
        rx.el.div(
            rx.el.p(
                "Горячая линия: ",
                rx.el.a(HOTLINE, href=f"tel:{HOTLINE_TEL}"),
                " — бесплатно по России",
            ),
            rx.el.p("Документы: ", rx.el.a(DOCS_EMAIL, href=f"mailto:{DOCS_EMAIL}")),
            rx.el.p(rx.el.a("Вопросы и ответы", href=urls.FAQ)),
            class_name="c7-footer-links",
        ),
        rx.el.p(wiring.settings().lender.requisites, data_testid="lender-details"),
        rx.el.p(f"Займы выдаются гражданам РФ от {tariff.AGE_MIN} до {tariff.AGE_MAX} лет."),
        class_name="c7-footer",
    )


def page(
    *children: rx.Component, title: str | None = None, member: bool | rx.Var = False
) -> rx.Component:
    return rx.el.div(
        header(member),
        rx.el.main(
            rx.heading(title, size="7", as_="h1") if title else rx.fragment(),
            *children,
            class_name="c7-main",
        ),
        footer(),
        class_name="c7-page",
    )


def value_row(label: str, value: rx.Var, test_id: str, strong: bool = False) -> rx.Component:
    """A label on the left, its value on the right: one line of a summary card."""
    return rx.hstack(
        rx.text(label, color_scheme="gray"),
        rx.spacer(),
        rx.text(value, weight="bold" if strong else "regular", data_testid=test_id),
        width="100%",
    )


def card(*children: rx.Component, **props) -> rx.Component:
    return rx.card(rx.vstack(*children, spacing="3", width="100%"), width="100%", **props)


def error_text(errors: rx.Var, name: str) -> rx.Component:
    return rx.cond(
        errors.contains(name),
        rx.text(errors[name], id=f"{name}-error", role="alert", color_scheme="red", size="2"),
    )


def notice(text: rx.Var, test_id: str) -> rx.Component:
    """News that is not an error («Мы отправили новый код»): neutral, read out politely."""
    return rx.text(text, role="status", size="2", class_name="c7-notice", data_testid=test_id)


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


@functools.cache
def _awaited(state: type[rx.State]) -> ClientStateVar:
    """The answer this state's form waits for, kept in the browser (-1: none)."""
    return ClientStateVar.create(f"c7_awaits_{state.get_name()}", -1)


def waiting(state: type[rx.State]) -> rx.Var:
    """True from the click until the server answers (`state.forms.FormMixin.answered`)."""
    return _awaited(state).value == state.answered


def sends(state: type[rx.State], handler: rx.EventHandler | rx.event.EventSpec) -> list:
    """A submitting trigger: the browser marks the form busy at once, then the server is asked."""
    return [_awaited(state).set_value(state.answered), handler]


def form(state: type[rx.State], on_submit, *children: rx.Component, **props) -> rx.Component:
    """A form that submits once per answer: busy until the server answers, naming the answer it
    waits for (a double click's copy is ignored), `novalidate` so the server's Russian messages
    are the only ones, and never reset on submit (a refused form keeps what was typed)."""
    awaited = _awaited(state)
    return rx.form(
        rx.el.input(type="hidden", name=ANSWERED, value=state.answered.to_string()),
        *children,
        on_submit=sends(state, on_submit),
        on_mount=awaited.set_value(-1),
        reset_on_submit=False,
        no_validate=True,
        width="100%",
        **props,
    )


def stacked_form(state: type[rx.State], on_submit, *children: rx.Component) -> rx.Component:
    """A `form` whose parts stand one under another, a row apart."""
    return form(state, on_submit, rx.vstack(*children, spacing="3", width="100%"))


def submit(label: str | rx.Var, state: type[rx.State], **props) -> rx.Component:
    """The one submitting button of a `form`: a spinner and disabled until the answer."""
    busy = waiting(state)
    return rx.button(
        label,
        type="submit",
        size="3",
        loading=busy,
        disabled=NOT_READY | busy,
        width="100%",
        **props,
    )


class _NativeForm(Element):
    """A plain HTML form the browser submits itself (`rx.el.form` always prevents that)."""

    tag = "form"
    action: rx.Var[str]
    method: rx.Var[str]


def sign_out(action: str, **props) -> rx.Component:
    """«Выйти»: a same-origin POST to the sign-out route, which ends the session on the server
    and then drops the cookie (a link could be followed from any other site)."""
    return _NativeForm.create(
        rx.button("Выйти", type="submit", **props), action=action, method="post"
    )


def secondary(label: str | rx.Var, **props) -> rx.Component:
    """Any other button: `type="button"`, so inside a form it never submits it."""
    return rx.button(label, type="button", variant="ghost", **props)


def resend_button(state: type[rx.State], on_click, test_id: str = "resend") -> rx.Component:
    """«Отправить код ещё раз», waiting out the minute between codes with a countdown.

    The browser counts down from the wait the server gave with the last code (`resend_timer`).
    """
    left = seconds_left(state.resend_timer.wait, state.resend_timer.sent)
    return secondary(
        rx.cond(left > 0, "Новый код — через " + left.to_string() + " с", "Отправить код ещё раз"),
        on_click=on_click,
        disabled=NOT_READY | (left > 0),
        class_name="c7-resend",
        data_testid=test_id,
    )


def refusal(reason: rx.Var, reapply: rx.Var) -> rx.Component:
    """A refused application as the borrower reads it: why, and from when to apply again."""
    return rx.fragment(
        rx.heading("Заявка отклонена", size="5", as_="h2"),
        rx.text(reason, data_testid="refusal"),
        rx.cond(
            reapply != "",
            rx.text(
                "Подать новую заявку можно с ", rx.text.strong(reapply), ".", data_testid="reapply"
            ),
        ),
    )


def phone_field(errors: rx.Var) -> rx.Component:
    return field(
        errors,
        "Номер телефона",
        "phone",
        type="tel",
        placeholder="+7 (9__) ___-__-__",
        auto_complete="tel",
        input_mode="tel",
        max_length=20,
        custom_attrs={"data-mask": "phone"},
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


def amount_field(state: type[rx.State], lead: str = "От ") -> rx.Component:
    """«Сумма платежа» and the range it takes (`state.minimum` to `state.total`)."""
    return rx.fragment(
        field(state.errors, "Сумма платежа", "amount", input_mode="decimal", max_length=15),
        rx.text(lead, state.minimum, " до ", state.total, size="1", color_scheme="gray"),
    )


def payment_note(text: rx.Var, failed: rx.Var) -> rx.Component:
    """How a payment the payer came back with from the acquirer ended."""
    return rx.cond(
        text != "",
        rx.callout(
            text,
            color_scheme=rx.cond(failed, "red", "green"),
            role="status",
            data_testid="payment-note",
            width="100%",
            max_width="640px",
        ),
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
