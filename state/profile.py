"""The profile `/profile`: contacts and masked documents; changing the phone, the e-mail and the
password; asking to delete the account."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import reflex as rx

from credit7_web import rate_limits, urls
from credit7_web.errors import Refusal
from credit7_web.identity import deletion, profile, sessions
from credit7_web.identity.models import BorrowerStatus
from credit7_web.russian import format_date, format_phone
from state.caller import (
    Caller,
    PersonalState,
    browser_key,
    client_address,
    go_to_claim,
    query_param,
    signed_in,
)
from state.forms import FormMixin, answers, secret, text

EDITORS = frozenset({"phone", "email", "password", "delete"})
DONE = {
    "phone": "Телефон изменён: теперь входите по новому номеру. Другие входы завершены.",
    "password": "Пароль изменён. Другие входы завершены.",
}


@dataclass(frozen=True)
class ProfileView:
    phone: str = ""
    email: str = ""
    name: str = ""
    passport: str = ""
    snils: str = ""
    from_gosuslugi: bool = False


class ProfileState(FormMixin, PersonalState, rx.State):
    loaded: bool = False
    profile: ProfileView = ProfileView()
    editing: str = ""  # the form open: "", phone, phone_code, email, password, delete
    new_phone_display: str = ""
    deletion_due: str = ""  # the last day of a pending deletion, "" when none
    notice: str = ""
    _new_phone: str = ""

    def _show(self, me: Caller) -> None:
        assert me.borrower is not None  # noqa: S101  (signed_in)
        seen = profile.overview(me.db, me.borrower)
        self.profile = ProfileView(
            phone=format_phone(seen.phone),
            email=seen.email,
            name=seen.name,
            passport=seen.passport,
            snils=seen.snils,
            from_gosuslugi=seen.from_gosuslugi,
        )
        pending = deletion.pending_deletion(me.db, me.id)
        self.deletion_due = format_date(pending.due_on) if pending else ""
        self.loaded = True

    def _close(self, notice: str = "") -> None:
        self._ok()
        self.editing, self.notice = "", notice
        self._new_phone, self.new_phone_display = "", ""

    def _then_sign_in_again(self, me: Caller, done: str) -> rx.event.EventSpec:
        """Every session ended with the change: this tab goes on in a new one."""
        ticket = sessions.open_session(me.db, me.clock, me.settings, me.id, browser_key(self))
        self.reset()
        return go_to_claim(ticket, urls.with_query(urls.PROFILE, done=done))

    @rx.event
    @signed_in
    def load(self, me: Caller):
        self.reset()
        assert me.borrower is not None  # noqa: S101  (signed_in)
        if me.borrower.status == BorrowerStatus.QUESTIONNAIRE:
            return rx.redirect(urls.QUESTIONNAIRE)
        self._show(me)
        self.notice = DONE.get(query_param(self, "done"), "")
        return None

    @rx.event
    def edit(self, which: Any):
        """Open one of the forms (the page shows one at a time); anything else closes them."""
        self._close()
        self.editing = which if isinstance(which, str) and which in EDITORS else ""

    @rx.event
    def cancel(self):
        self._close()

    @rx.event
    @answers
    @signed_in
    def start_phone_change(self, me: Caller, form: dict):
        if self.editing != "phone":
            self._ok()
            return
        try:
            # Codes go to a number the borrower types: the address's SMS cap applies.
            rate_limits.spend(me.settings, client_address(self), rate_limits.Action.SMS)
            new_phone = profile.start_phone_change(
                me.db,
                me.clock,
                me.settings,
                me.sms,
                me.id,
                secret(form, "password"),
                text(form, "new_phone", 40),
            )
        except Refusal as error:
            self._fail(error)
            return
        self._ok()
        self._new_phone, self.new_phone_display = new_phone, format_phone(new_phone)
        self.editing = "phone_code"

    @rx.event
    @signed_in
    def resend_phone_code(self, me: Caller):
        if self.editing != "phone_code" or not self._new_phone:
            return
        try:
            rate_limits.spend(me.settings, client_address(self), rate_limits.Action.SMS)
            profile.resend_phone_code(me.db, me.clock, me.settings, me.sms, self._new_phone)
        except Refusal as error:
            self.errors = dict(error.errors)
            return
        self.errors = {"code": "Мы отправили новый код."}

    @rx.event
    @answers
    @signed_in
    def confirm_phone_change(self, me: Caller, form: dict):
        if self.editing != "phone_code" or not self._new_phone:
            self._ok()
            return None
        try:
            profile.confirm_phone_change(
                me.db, me.clock, me.settings, me.sms, me.id, self._new_phone, text(form, "code", 10)
            )
        except Refusal as error:
            self._fail(error)
            return None
        return self._then_sign_in_again(me, "phone")

    @rx.event
    @answers
    @signed_in
    def change_email(self, me: Caller, form: dict):
        if self.editing != "email":
            self._ok()
            return
        try:
            profile.change_email(me.db, me.id, text(form, "email", 200))
        except Refusal as error:
            self._fail(error)
            return
        self._close("Электронная почта сохранена.")
        self._show(me)

    @rx.event
    @answers
    @signed_in
    def change_password(self, me: Caller, form: dict):
        if self.editing != "password":
            self._ok()
            return None
        try:
            profile.change_password(
                me.db,
                me.clock,
                me.settings,
                me.sms,
                me.id,
                secret(form, "current_password"),
                secret(form, "password"),
                secret(form, "password2"),
            )
        except Refusal as error:
            self._fail(error)
            return None
        return self._then_sign_in_again(me, "password")

    @rx.event
    @answers
    @signed_in
    def request_deletion(self, me: Caller, form: dict):
        if self.editing != "delete":
            self._ok()
            return
        try:
            request = deletion.request_deletion(me.db, me.clock, me.sms, me.id)
        except Refusal as error:
            self._fail(error)
            return
        self._close(
            f"Заявка принята: аккаунт будет удалён не позднее {format_date(request.due_on)}."
        )
        self._show(me)

    @rx.event
    @signed_in
    def cancel_deletion(self, me: Caller):
        deletion.cancel_deletion(me.db, me.clock, me.id)
        self._close("Удаление аккаунта отменено.")
        self._show(me)
