"""Frontend-only events: a slider step sets browser state and never waits for the server."""

from __future__ import annotations

import reflex as rx
from reflex.experimental.client_state import ClientStateVar
from reflex.vars.base import Var
from reflex.vars.function import FunctionVar
from reflex_base.event import EventChain


def on_client(state: ClientStateVar, arg: str, expr: str) -> Var:
    """`(arg) => setState(expr)` as an event trigger: runs in the browser only.

    Reflex hands the trigger what the event spec gives (an input's value, not the DOM event).
    """
    setter = state.set_value()
    return Var(
        _js_expr=f"(({arg}) => ({setter})({expr}))",
        _var_data=setter._get_all_var_data(),
    ).to(FunctionVar, EventChain)


def snap(value_js: str, low: int, high: int, step: int) -> str:
    """JS for the nearest allowed value: what the user typed, rounded to the step and clamped."""
    return (
        f"Math.min({high}, Math.max({low}, "
        f"Math.round((Number(String({value_js}).replace(/\\D/g, '')) || {low}) / {step}) "
        f"* {step}))"
    )


def lookup(table: dict, key: Var, of: type = str) -> Var:
    """`table[key]` evaluated in the browser."""
    return rx.Var.create(table).to(dict)[key].to(of)
