"""Form plumbing shared by the states: field errors, a busy flag, and safe reading of input."""

from __future__ import annotations

from typing import Any

import reflex as rx

from credit7_web.errors import Refusal


class FormMixin(rx.State, mixin=True):
    """Each form state gets its own `errors` (field → Russian message) and `busy` flag.

    Name `rx.State` after the mixin in every subclass: `class S(FormMixin, rx.State)`; without it
    Reflex 0.10 leaves the mixin fields unbound.
    """

    errors: dict[str, str] = {}
    busy: bool = False

    def _fail(self, error: Refusal) -> None:
        self.errors = dict(error.errors)
        self.busy = False

    def _ok(self) -> None:
        self.errors = {}
        self.busy = False


def text(form: Any, name: str, max_len: int = 300) -> str:
    """A form value as a stripped string: a client may send anything, so anything else is ""."""
    if not isinstance(form, dict):
        return ""
    value = form.get(name, "")
    if not isinstance(value, str):
        return ""
    return value.strip()[:max_len]


def secret(form: Any, name: str) -> str:
    """A password as typed: spaces count, so one is never silently trimmed into another."""
    value = form.get(name, "") if isinstance(form, dict) else ""
    return value[:200] if isinstance(value, str) else ""


def checked(form: Any, name: str) -> bool:
    """A ticked checkbox: Reflex sends `true` for one with an id, a bare form sends "on"."""
    value = form.get(name) if isinstance(form, dict) else None
    return value is True or value == "on"
