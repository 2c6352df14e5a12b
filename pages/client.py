"""Browser-only behaviour: a slider step sets browser state and never waits for the server, and
a countdown ticks without asking it."""

from __future__ import annotations

import reflex as rx
from reflex.experimental.client_state import ClientStateVar
from reflex.vars.base import Var
from reflex.vars.function import FunctionVar
from reflex_base.event import EventChain
from reflex_base.utils.imports import ImportVar
from reflex_base.vars import VarData, get_unique_variable_name


def on_client(state: ClientStateVar, arg: str, expr: str) -> Var:
    """`(arg) => setState(expr)` as an event trigger: runs in the browser only.

    Reflex hands the trigger what the event spec gives (an input's value, not the DOM event).
    """
    setter = state.set_value()
    return Var(
        _js_expr=f"(({arg}) => ({setter!s})({expr}))",
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


def seconds_left(wait: Var, restart: Var) -> Var:
    """Whole seconds left of `wait`, counted down in the browser.

    The count starts when the answer carrying `wait` arrives (`restart` changes with each one),
    so a wrong clock on the phone does not matter; it ticks only while it counts.
    """
    name = get_unique_variable_name()
    now, tick, until = f"{name}_now", f"{name}_tick", f"{name}_until"
    inputs = VarData.merge(wait._get_all_var_data(), restart._get_all_var_data())
    hooks: dict[str, VarData | None] = {
        f"const [{now}, {tick}] = useState(() => Date.now())": None,
        f"const {until} = useMemo(() => Date.now() + 1000 * Number({wait!s}), "
        f"[{wait!s}, {restart!s}])": inputs,
        f"useEffect(() => {{ if ({now} >= {until}) return; "
        f"const t = setTimeout(() => {tick}(Date.now()), Math.min(1000, {until} - {now})); "
        f"return () => clearTimeout(t); }}, [{now}, {until}])": None,
    }
    react = [ImportVar(tag="useState"), ImportVar(tag="useMemo"), ImportVar(tag="useEffect")]
    return Var(
        _js_expr=f"Math.max(0, Math.ceil(({until} - {now}) / 1000))",
        _var_data=VarData.merge(inputs, VarData(hooks=hooks, imports={"react": react})),
    ).to(int)


def optimistic(pending: ClientStateVar, key: Var, confirmed: Var, answers: Var) -> Var:
    """What a control shows: the browser's own choice at once, the server's once it caught up.

    `pending[key]` is `[value, n]`: the value chosen, to be confirmed by the server's n-th answer
    (`answers` counts them, one per change). Until then the browser's value shows, so a quick
    run of steps never jumps back to an older answer.
    """
    entry = get_unique_variable_name()
    return Var(
        _js_expr=(
            f"(({entry}) => ({entry} && {entry}[1] > {answers!s}) ? {entry}[0] : {confirmed!s})"
            f"(({pending.value!s})?.[{key!s}])"
        ),
        _var_data=VarData.merge(
            pending.value._get_all_var_data(),
            key._get_all_var_data(),
            confirmed._get_all_var_data(),
            answers._get_all_var_data(),
        ),
    ).to(confirmed._var_type)


def choose(pending: ClientStateVar, key: Var, answers: Var) -> Var:
    """An event trigger keeping the browser's choice under `key` until the server answers it:
    the answer after those already awaited (`pending._n`)."""
    setter = pending.set_value()
    current = pending.value
    return Var(
        _js_expr=(
            f"((v) => {{ const n = Math.max(({current!s})?._n ?? 0, {answers!s}) + 1; "
            f"({setter!s})({{...({current!s}), _n: n, [{key!s}]: [v, n]}}); }})"
        ),
        _var_data=VarData.merge(
            setter._get_all_var_data(),
            current._get_all_var_data(),
            key._get_all_var_data(),
            answers._get_all_var_data(),
        ),
    ).to(FunctionVar, EventChain)
