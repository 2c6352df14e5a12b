"""The questionnaire after sign-up: one section at a time; every typed value is kept on blur."""

from __future__ import annotations

from typing import Any

import reflex as rx

from credit7_web import urls
from credit7_web.errors import Refusal
from credit7_web.identity import questionnaire
from credit7_web.identity.models import BorrowerStatus
from state.caller import Caller, PersonalState, sign_in_first, signed_in
from state.forms import FormMixin, answers, checked, text

SECTION_TITLES = [section.title for section in questionnaire.SECTIONS]
LAST_STEP = len(SECTION_TITLES) - 1
CHECKBOXES = frozenset({"res_same_as_reg"})


def _filling(me: Caller) -> bool:
    return me.borrower is not None and me.borrower.status == BorrowerStatus.QUESTIONNAIRE


class QuestionnaireState(FormMixin, PersonalState, rx.State):
    step: int = 0
    values: dict[str, str] = {}
    same_address: bool = True
    loaded: bool = False

    @rx.event
    @signed_in
    def load(self, me: Caller):
        self.reset()  # nothing typed by a previous borrower of this tab survives
        if not _filling(me):
            return rx.redirect(urls.CABINET)
        profile = questionnaire.resume(me.db, me.id)
        self.step = min(profile.step, LAST_STEP)
        self.values = questionnaire.shown_values(profile)
        self.same_address = self.values.get("res_same_as_reg", "on") == "on"
        self.loaded = True
        return None

    @rx.event
    @signed_in
    def save_field(self, me: Caller, name: Any, value: Any):
        """Keep a typed value as a draft; unknown names and non-text values are refused."""
        if not _filling(me):
            return sign_in_first(self)
        if not isinstance(name, str) or not isinstance(value, str):
            return None
        try:
            questionnaire.save_draft(me.db, me.id, name, value)
        except Refusal:
            return None
        self.values[name] = value[: questionnaire.DRAFT_VALUE_MAX]
        return None

    @rx.event
    def set_same_address(self, same: Any):
        if isinstance(same, bool):
            self.same_address = same

    @rx.event
    def back(self):
        self._ok()
        self.step = max(0, self.step - 1)

    @rx.event
    @answers
    @signed_in
    def submit(self, me: Caller, form: dict):
        """Check and store the section the form was for.

        The form names its section: a double click sends the same section twice, and the second
        copy, arriving after the step moved on, must not be judged as the next section.
        """
        if not _filling(me):
            return sign_in_first(self)
        if text(form, "section", 2) != str(self.step):
            return None
        fields = questionnaire.SECTIONS[self.step].fields
        typed = {
            name: ("on" if checked(form, name) else "") if name in CHECKBOXES else text(form, name)
            for name in fields
        }
        try:
            next_step = questionnaire.submit_section(me.db, me.clock, me.id, self.step, typed)
        except Refusal as error:
            self._fail(error)
            self.values = self.values | typed
            return None
        self._ok()
        if next_step > LAST_STEP:
            self.reset()  # the answers are stored; the tab keeps no copy of them
            return rx.redirect(urls.CABINET)
        self.values = self.values | typed
        self.step = next_step
        return None
