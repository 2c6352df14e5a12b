"""Who is calling the console: the operator's own HttpOnly cookie, resolved on every event.

`@operator(role=...)` is the one way an operator's handler starts, as `@signed_in` is for a
borrower's: it resolves the operator from the operator cookie only (a borrower's session cookie
is never looked at), checks the role, and calls the handler with an `OperatorCaller`. Anyone
else is sent to the console's sign-in page (or its start page, for a role that does not fit),
the state forgets what it showed, and the handler does not run. The caller is not an argument
the client can send: it is taken out of the signature Reflex reads.
"""

from __future__ import annotations

import functools
import inspect
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import reflex as rx

from credit7_web import urls, wiring
from credit7_web.backoffice import sessions
from credit7_web.backoffice.models import Operator, Role


@dataclass
class OperatorCaller(wiring.Unit):
    """The unit of work of this event, and the signed-in operator it serves."""

    operator: Operator | None = None

    @property
    def id(self) -> int:
        if self.operator is None or self.operator.id is None:
            raise RuntimeError("no signed-in operator")
        return self.operator.id


def operator_of(state: rx.State, u: wiring.Unit) -> Operator | None:
    """The operator whose live session cookie came with this websocket, or None."""
    token = sessions.token_from_cookies(state.router.headers.cookie)
    return sessions.resolve(u.db, u.clock, token) if token else None


def go_to_claim(ticket: str) -> rx.event.EventSpec:
    """A full page load of the operator's claim route, which sets the HttpOnly cookie."""
    url = urls.with_query(urls.OPERATOR_CLAIM, ticket=ticket)
    return rx.call_script(f"window.location.replace({json.dumps(url)})")


@contextmanager
def _caller(state: rx.State) -> Iterator[OperatorCaller]:
    with wiring.db() as session:
        me = OperatorCaller(session)
        me.operator = operator_of(state, me)
        yield me


def _refusal(state: rx.State, me: OperatorCaller, role: Role | None) -> rx.event.EventSpec | None:
    """Where to send a caller who may not run the handler; None for one who may."""
    if me.operator is None:
        state.reset()
        return rx.redirect(urls.OPERATOR_LOGIN)
    if role is not None and me.operator.role != role:
        state.reset()
        return rx.redirect(urls.OPERATOR)
    return None


def operator(role: Role | None = None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Run `handler(self, me: OperatorCaller, ...)` for a signed-in operator of `role` (any
    operator when None). Plain, async and async generator handlers (which yield to show
    progress) are all wrapped."""

    def decorate(handler: Callable[..., Any]) -> Callable[..., Any]:
        signature = inspect.signature(handler)
        params = list(signature.parameters.values())
        del params[1]  # `me`: filled in here, never by the client

        if inspect.isasyncgenfunction(handler):

            @functools.wraps(handler)
            async def wrapper(self: rx.State, *args: Any, **kwargs: Any) -> Any:
                with _caller(self) as me:
                    if (refused := _refusal(self, me, role)) is not None:
                        yield refused
                        return
                    async for update in handler(self, me, *args, **kwargs):
                        yield update

        elif inspect.iscoroutinefunction(handler):

            @functools.wraps(handler)
            async def wrapper(self: rx.State, *args: Any, **kwargs: Any) -> Any:
                with _caller(self) as me:
                    if (refused := _refusal(self, me, role)) is not None:
                        return refused
                    return await handler(self, me, *args, **kwargs)

        else:

            @functools.wraps(handler)
            def wrapper(self: rx.State, *args: Any, **kwargs: Any) -> Any:
                with _caller(self) as me:
                    if (refused := _refusal(self, me, role)) is not None:
                        return refused
                    return handler(self, me, *args, **kwargs)

        wrapper.__signature__ = signature.replace(parameters=params)  # type: ignore[attr-defined]
        wrapper.__annotations__ = {k: v for k, v in handler.__annotations__.items() if k != "me"}
        return wrapper

    return decorate
