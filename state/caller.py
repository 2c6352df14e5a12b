"""Who is calling: the HttpOnly session cookie, resolved against the database on every event.

`@signed_in` is the one way a borrower's handler starts: it opens the unit of work, resolves the
borrower from the cookie and calls the handler with a `Caller`; anyone else is sent to sign in
and the handler does not run. The caller is an argument the client cannot send: it is taken out
of the signature Reflex reads.
"""

from __future__ import annotations

import functools
import inspect
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

import reflex as rx
from reflex.state import _override_base_method

from credit7_web import urls, wiring
from credit7_web.identity import hashing, sessions
from credit7_web.identity.models import Borrower, BorrowerStatus


@dataclass
class Caller(wiring.Unit):
    """The unit of work of this event, and the signed-in borrower it serves."""

    borrower: Borrower | None = None

    @property
    def id(self) -> int:
        if self.borrower is None or self.borrower.id is None:
            raise RuntimeError("no signed-in borrower")
        return self.borrower.id


def borrower_of(state: rx.State, u: wiring.Unit) -> Borrower | None:
    """The borrower whose live session cookie came with this websocket, or None."""
    token = session_token(state)
    if not token:
        return None
    return sessions.resolve(u.db, u.clock, u.settings, token)


def session_token(state: rx.State) -> str:
    """The session cookie this websocket came with ("" for none)."""
    return sessions.token_from_cookies(state.router.headers.cookie) or ""


def client_address(state: rx.State) -> str:
    """The client's address, for the rate limits: the websocket's peer, or the address the
    trusted proxies in front name (X-Forwarded-For is read only with `trusted_proxy_hops` set
    in rxconfig, from CREDIT7_TRUSTED_PROXY_HOPS; otherwise a client could pick its own)."""
    return state.router.session.client_ip or "unknown"


def browser_key(state: rx.State) -> str:
    """The browser key this websocket came with: a sign-in ticket is bound to it."""
    return sessions.browser_from_cookies(state.router.headers.cookie)


class PersonalState(rx.State, mixin=True):
    """A state that shows one borrower's data is bound to the session that filled it.

    The tab outlives the session: after a sign-out, an expired session or a password reset
    elsewhere, the next person to sign in in it gets the same tab. So on every event
    (`@signed_in`) and before the whole tree is sent (the hydrate of a page load: `dict`), the
    state checks that the session cookie is still the one it was filled under, and clears itself
    otherwise. Name `rx.State` after it: `class S(PersonalState, rx.State)`.
    """

    _owner: str = ""  # SHA-256 of the session token the state was filled under

    def _belong_to_current_session(self) -> str:
        """Clear the state unless the current session filled it; returns that session's mark."""
        token = session_token(self)
        owner = hashing.token_hash(token) if token else ""
        if owner != self._owner:
            self.reset()
            self._owner = owner
        return owner

    @_override_base_method  # Reflex's own mark for a state overriding a base method
    def dict(self, include_computed: bool = True, initial: bool = False, **kwargs: Any):
        self._belong_to_current_session()
        return super().dict(include_computed=include_computed, initial=initial, **kwargs)


def query_param(state: rx.State, name: str) -> str:
    values = parse_qs(state.router.url.query).get(name) or [""]
    return values[0]


def home_of(borrower: Borrower) -> str:
    """Where a signed-in borrower belongs: the questionnaire until it is complete."""
    if borrower.status == BorrowerStatus.QUESTIONNAIRE:
        return urls.QUESTIONNAIRE
    return urls.CABINET


def sign_in_first(state: rx.State) -> rx.event.EventSpec:
    return rx.redirect(urls.login_then(urls.after_sign_in(state.router.url.path)))


def go_to(url: str) -> rx.event.EventSpec:
    """A full page load of `url` (the acquirer's hosted page, say), kept in the history."""
    return rx.call_script(f"window.location.assign({json.dumps(url)})")


def go_to_claim(ticket: str, next_path: str) -> rx.event.EventSpec:
    """A full page load of the claim route, which sets the HttpOnly cookie and goes on."""
    url = urls.with_query(urls.AUTH_CLAIM, ticket=ticket, next=next_path)
    return rx.call_script(f"window.location.replace({json.dumps(url)})")


@contextmanager
def _caller(state: rx.State) -> Iterator[Caller | None]:
    personal = isinstance(state, PersonalState)
    owner = state._belong_to_current_session() if personal else ""
    with wiring.db() as session:
        me = Caller(session)
        me.borrower = borrower_of(state, me)
        yield me if me.borrower is not None else None
    if personal:
        state._owner = owner  # a handler's own reset() must not unbind what it then fills


def _forget(state: rx.State) -> rx.event.EventSpec:
    state.reset()
    return sign_in_first(state)


def signed_in(handler: Callable[..., Any]) -> Callable[..., Any]:
    """Run `handler(self, me: Caller, ...)` for the signed-in borrower only.

    Anyone else is sent to sign in, and the state forgets what it showed: a tab outlives the
    session that filled it.
    """
    signature = inspect.signature(handler)
    params = list(signature.parameters.values())
    del params[1]  # `me`: filled in here, never by the client

    if inspect.iscoroutinefunction(handler):

        @functools.wraps(handler)
        async def wrapper(self: rx.State, *args: Any, **kwargs: Any) -> Any:
            with _caller(self) as me:
                if me is None:
                    return _forget(self)
                return await handler(self, me, *args, **kwargs)

    else:

        @functools.wraps(handler)
        def wrapper(self: rx.State, *args: Any, **kwargs: Any) -> Any:
            with _caller(self) as me:
                return _forget(self) if me is None else handler(self, me, *args, **kwargs)

    wrapper.__signature__ = signature.replace(parameters=params)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {k: v for k, v in handler.__annotations__.items() if k != "me"}
    return wrapper
