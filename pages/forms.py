"""A form that says at once that it is being sent (see `state.sending`)."""

from __future__ import annotations

import reflex as rx


def sending_form(state: type, handler: rx.EventHandler, *children: rx.Component) -> rx.Component:
    """`novalidate` (the server checks and answers beside each field), kept filled after a
    refusal, and busy from the click: `state.sending` runs before `handler`."""
    return rx.form(
        rx.vstack(*children, spacing="3", width="100%"),
        on_submit=[state.sending, handler],  # type: ignore[attr-defined]
        reset_on_submit=False,
        no_validate=True,
        width="100%",
    )
