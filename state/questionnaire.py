"""The questionnaire after sign-up: one section at a time; every typed value is kept on blur."""

from __future__ import annotations

from typing import Any

import reflex as rx

from credit7_web import questionnaire
from credit7_web.errors import FormError
from credit7_web.models import BorrowerStatus
from state.auth import current_borrower, require_sign_in
from state.context import CLOCK, db
from state.forms import FormMixin, checked, text

SECTION_TITLES = [section.title for section in questionnaire.SECTIONS]
LAST_STEP = len(SECTION_TITLES) - 1
CHECKBOXES = frozenset({"res_same_as_reg"})


class QuestionnaireState(FormMixin, rx.State):
    step: int = 0
    values: dict[str, str] = {}
    same_address: bool = True
    loaded: bool = False

    def _borrower_id(self) -> int | None:
        with db() as s:
            borrower = current_borrower(self, s)
            if borrower is None or borrower.status != BorrowerStatus.QUESTIONNAIRE:
                return None
            return borrower.id

    @rx.event
    def load(self):
        self.reset()  # nothing typed by a previous borrower of this tab survives
        with db() as s:
            borrower = current_borrower(self, s)
            if borrower is None:
                return require_sign_in(self)
            if borrower.status != BorrowerStatus.QUESTIONNAIRE:
                return rx.redirect("/cabinet")
            profile = questionnaire.profile_of(s, borrower.id)
            self.step = min(profile.step, LAST_STEP)
            self.values = questionnaire.shown_values(profile)
            s.commit()
        self.same_address = self.values.get("res_same_as_reg", "on") == "on"
        self.loaded = True
        return None

    @rx.event
    def save_field(self, name: Any, value: Any):
        """Keep a typed value as a draft; unknown names and non-text values are refused."""
        if not isinstance(name, str) or not isinstance(value, str):
            return None
        borrower_id = self._borrower_id()
        if borrower_id is None:
            return require_sign_in(self)
        with db() as s:
            try:
                questionnaire.save_draft(s, borrower_id, name, value)
            except FormError:
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
    def submit(self, form: dict):
        """Check and store the section the form was for.

        The form names its section: a double click sends the same section twice, and the second
        copy, arriving after the step moved on, must not be judged as the next section.
        """
        borrower_id = self._borrower_id()
        if borrower_id is None:
            return require_sign_in(self)
        if text(form, "section", 2) != str(self.step):
            return None
        fields = questionnaire.SECTIONS[self.step].fields
        typed = {
            name: ("on" if checked(form, name) else "") if name in CHECKBOXES else text(form, name)
            for name in fields
        }
        with db() as s:
            try:
                next_step = questionnaire.submit_section(s, CLOCK, borrower_id, self.step, typed)
            except FormError as error:
                self._fail(error)
                self.values = self.values | typed
                return None
        self._ok()
        if next_step > LAST_STEP:
            self.reset()  # the answers are stored; the tab keeps no copy of them
            return rx.redirect("/cabinet")
        self.values = self.values | typed
        self.step = next_step
        return None
