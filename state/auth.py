"""Who is calling: the HttpOnly session cookie, resolved against the database on every event."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlencode

import reflex as rx
from sqlmodel import Session

from credit7_web import accounts, sessions
from credit7_web.errors import FormError
from credit7_web.models import Borrower, BorrowerStatus
from state.context import CLOCK, cookie_value, db, safe_next, settings
from state.forms import FormMixin, secret, text


def current_borrower(state: rx.State, session: Session) -> Borrower | None:
    """The borrower whose live session cookie came with this websocket, or None."""
    token = cookie_value(state.router.headers.cookie)
    if not token:
        return None
    return sessions.resolve(session, CLOCK, settings(), token)


def query_param(state: rx.State, name: str) -> str:
    values = parse_qs(state.router.url.query).get(name) or [""]
    return values[0]


def home_of(borrower: Borrower) -> str:
    """Where a signed-in borrower belongs: the questionnaire until it is complete."""
    if borrower.status == BorrowerStatus.QUESTIONNAIRE:
        return "/register/questionnaire"
    return "/cabinet"


def go_to_claim(ticket: str, next_path: str) -> rx.event.EventSpec:
    """A full page load of /auth/claim, which sets the HttpOnly cookie and goes on to `next`."""
    url = "/auth/claim?" + urlencode({"ticket": ticket, "next": next_path})
    return rx.call_script(f"window.location.replace({json.dumps(url)})")


def require_sign_in(state: rx.State) -> rx.event.EventSpec:
    return rx.redirect("/login?" + urlencode({"next": state.router.url.path or "/cabinet"}))


class LoginState(FormMixin, rx.State):
    """Sign-in by phone and password."""

    notice: str = ""

    @rx.event
    def load(self):
        self.errors = {}
        self.notice = (
            "Пароль изменён. Войдите с новым паролем." if query_param(self, "reset") else ""
        )
        with db() as s:
            borrower = current_borrower(self, s)
            if borrower is not None:
                return rx.redirect(home_of(borrower))
        return None

    @rx.event
    def submit(self, form: dict):
        with db() as s:
            try:
                borrower = accounts.authenticate(
                    s, CLOCK, settings(), text(form, "phone", 40), secret(form, "password")
                )
            except FormError as error:
                self._fail(error)
                return None
            ticket = sessions.open_session(s, CLOCK, settings(), borrower.id)
            target = home_of(borrower)
        self._ok()
        if target == "/cabinet":
            target = safe_next(query_param(self, "next"))
        return go_to_claim(ticket, target)
