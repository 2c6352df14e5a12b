"""Form plumbing shared by the states: field errors, one answer per submission, safe reading.

A form is busy in the browser from the click until the server answers (`pages.components.form`):
the page remembers which answer it waits for (`answered` as it was shown) and the server moves
`answered` on with every answer. The form sends that number too, so a copy of a submission that
a double click or an Enter key sent before the button went busy is recognised and ignored.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

import reflex as rx

from credit7_web.errors import Refusal

ANSWERED = "answered"  # the hidden field (or button argument) naming the answer a form waits for


class FormMixin(rx.State, mixin=True):
    """Each form state gets its own `errors` (field → Russian message) and answer counter.

    Name `rx.State` after the mixin in every subclass: `class S(FormMixin, rx.State)`; without it
    Reflex 0.10 leaves the mixin fields unbound.
    """

    errors: dict[str, str] = {}
    answered: int = 0

    def _fail(self, error: Refusal) -> None:
        self.errors = dict(error.errors)

    def _ok(self) -> None:
        self.errors = {}


def _sent_answer(kwargs: dict[str, Any]) -> object:
    """The answer number a submission names: a form's hidden field, or a button's argument."""
    if ANSWERED in kwargs:
        return kwargs[ANSWERED]
    return form_value(kwargs.get("form"), ANSWERED)


def answers(handler: Callable[..., Any]) -> Callable[..., Any]:
    """Run a form's submission once and answer it, whatever the outcome.

    A submission naming an answer already given is a duplicate: ignored, nothing changes. One
    naming none (an older page, a test) runs: the business rules behind it guard the data; this
    only spares the borrower a double click. Put it under `@rx.event` (and over `@signed_in`).
    Plain and async handlers both (not generators: the answer must come with the outcome).
    """

    if inspect.iscoroutinefunction(handler):  # e.g. a slow check run in a thread pool

        @functools.wraps(handler)
        async def awaiting(self: FormMixin, *args: Any, **kwargs: Any) -> Any:
            if _duplicate(self, kwargs):
                return None
            try:
                return await handler(self, *args, **kwargs)
            finally:
                self.answered += 1

        return awaiting

    @functools.wraps(handler)
    def wrapper(self: FormMixin, *args: Any, **kwargs: Any) -> Any:
        if _duplicate(self, kwargs):
            return None
        try:
            return handler(self, *args, **kwargs)
        finally:
            self.answered += 1

    return wrapper


def _duplicate(state: FormMixin, kwargs: dict[str, Any]) -> bool:
    sent = _sent_answer(kwargs)
    return sent not in (None, "") and str(sent) != str(state.answered)


def form_value(form: Any, name: str) -> object:
    """A form field as sent, or None: a client may send anything in place of a form."""
    return form.get(name) if isinstance(form, dict) else None


def text(form: Any, name: str, max_len: int = 300) -> str:
    """A form value as a stripped string: a client may send anything, so anything else is ""."""
    value = form_value(form, name)
    if not isinstance(value, str):
        return ""
    return value.strip()[:max_len]


def secret(form: Any, name: str) -> str:
    """A password as typed: spaces count, so one is never silently trimmed into another."""
    value = form_value(form, name)
    return value[:200] if isinstance(value, str) else ""


def checked(form: Any, name: str) -> bool:
    """A ticked checkbox: Reflex sends `true` for one with an id, a bare form sends "on"."""
    value = form_value(form, name)
    return value is True or value == "on"
