"""Sign-up through Gosuslugi `/gosuslugi`: what came back, the rest of the questionnaire and a
password, the SMS code, the account. The sign-up is found by its HttpOnly cookie on every event."""

from __future__ import annotations

import reflex as rx

from credit7_web import urls, wiring
from credit7_web.errors import Refusal
from credit7_web.identity import gosuslugi, sessions
from credit7_web.identity.gosuslugi import Refused, Signup, Stage
from credit7_web.russian import format_phone
from state.caller import borrower_of, browser_key, go_to_claim, home_of, query_param
from state.forms import FormMixin, answers, checked, secret, text

INTRO = "intro"
LOST = (
    "Вход через Госуслуги не завершён: ссылка устарела или открыта в другом браузере. "
    "Начните заново."
)


class GosuslugiState(FormMixin, rx.State):
    stage: str = INTRO
    notice: str = ""  # why there is nothing going (a lost callback)
    refusal: str = ""
    registered: bool = False  # the refusal is a number we know: offer the sign-in
    locked: dict[str, str] = {}  # what Gosuslugi filled: shown, sent back unchanged, never edited
    to_fill: list[str] = []
    phone_display: str = ""

    def _token(self) -> str | None:
        return sessions.token_from_cookies(self.router.headers.cookie, gosuslugi.SIGNUP_COOKIE)

    def _show(self, view: Signup | None) -> None:
        self.stage = view.stage.value if view else INTRO
        self.refusal = view.refusal if view else ""
        self.registered = view is not None and view.refusal_code == Refused.REGISTERED
        self.locked = dict(view.locked) if view else {}
        self.to_fill = list(view.to_fill) if view else []
        self.phone_display = format_phone(view.phone) if view and view.phone else ""

    def _reload(self, u: wiring.Unit) -> None:
        self._show(gosuslugi.signup_of(u.db, u.clock, self._token()))

    @rx.event
    def load(self):
        self._ok()
        self.notice = LOST if query_param(self, "lost") else ""
        with wiring.unit() as u:
            borrower = borrower_of(self, u)
            if borrower is not None:
                return rx.redirect(home_of(borrower))
            self._reload(u)
        return None

    @rx.event
    @answers
    def submit(self, form: dict):
        """The questionnaire and the password: the fields Gosuslugi filled come back as sent,
        or the server refuses them."""
        if self.stage != Stage.FORM:
            self._ok()  # a second click after the step moved on
            return
        sent = form if isinstance(form, dict) else {}
        typed = {name: text(sent, name) for name in gosuslugi.FORM_FIELDS if name in sent}
        typed |= {name: secret(sent, name) for name in gosuslugi.PASSWORD_FIELDS}
        with wiring.unit() as u:
            try:
                gosuslugi.submit_form(
                    u.db, u.clock, u.settings, u.sms, self._token(), typed, checked(sent, "consent")
                )
            except Refusal as error:
                self._fail(error)
                self._reload(u)
                return
            self._ok()
            self._reload(u)

    @rx.event
    @answers
    def submit_code(self, form: dict):
        if self.stage != Stage.CODE:
            self._ok()
            return None
        with wiring.unit() as u:
            try:
                borrower = gosuslugi.confirm(
                    u.db, u.clock, u.settings, self._token(), text(form, "code", 10)
                )
            except Refusal as error:
                self._fail(error)
                self._reload(u)
                return None
            ticket = sessions.open_session(
                u.db, u.clock, u.settings, borrower.id or 0, browser_key(self)
            )
        self._ok()
        self._show(None)
        return go_to_claim(ticket, urls.APPLY)

    @rx.event
    def resend(self):
        if self.stage != Stage.CODE:
            return
        with wiring.unit() as u:
            try:
                gosuslugi.resend_code(u.db, u.clock, u.settings, u.sms, self._token())
            except Refusal as error:
                self.errors = dict(error.errors)
                return
        self.errors = {"code": "Мы отправили новый код."}

    @rx.event
    def back(self):
        """From the code back to the questionnaire (to change an answer or the password)."""
        with wiring.unit() as u:
            try:
                gosuslugi.back_to_form(u.db, u.clock, self._token())
            except Refusal as error:
                self._fail(error)
            else:
                self._ok()
            self._reload(u)
