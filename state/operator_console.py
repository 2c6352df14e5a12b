"""The console's frame, shared by its pages: who is signed in, with which role, and the sections
that role may open. A page state mixes it in and calls `_frame(me)` from its `load`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import reflex as rx

from credit7_web import urls
from credit7_web.backoffice.models import Role
from credit7_web.clock import to_moscow
from credit7_web.russian import format_date
from state.operator_caller import OperatorCaller, operator


@dataclass(frozen=True)
class Section:
    title: str
    url: str
    role: Role | None  # None: every operator


# The console's pages, each with the role its handlers demand (`@operator(role=...)`).
IDENTIFICATION = Section("Идентификация", urls.OPERATOR_IDENTIFICATION, Role.IDENTIFICATION)
SEARCH = Section("Поиск клиента", urls.OPERATOR_SEARCH, None)
DELETIONS = Section("Удаление аккаунтов", urls.OPERATOR_DELETIONS, Role.ACCOUNTS)
RESTORATIONS = Section("Восстановление аккаунтов", urls.OPERATOR_RESTORATIONS, Role.ACCOUNTS)
AUDIT = Section("Журнал действий", urls.OPERATOR_AUDIT, Role.ACCOUNTS)
SECTIONS = (IDENTIFICATION, DELETIONS, RESTORATIONS, SEARCH, AUDIT)


def moscow_time(instant_utc: datetime) -> str:
    """`25.11.2026 14:05:09`, Moscow time: what operators read in queues and the log."""
    at = to_moscow(instant_utc)
    return f"{format_date(at.date())} {at:%H:%M:%S}"


@dataclass(frozen=True)
class SectionView:
    title: str
    url: str


class ConsoleMixin(rx.State, mixin=True):
    """Name `rx.State` after the mixins in every subclass (see `state.forms.FormMixin`)."""

    who: str = ""
    role_title: str = ""
    sections: list[SectionView] = []

    def _frame(self, me: OperatorCaller) -> None:
        operator_ = me.operator
        assert operator_ is not None  # noqa: S101  (@operator)
        role = Role(operator_.role)
        self.who = operator_.name
        self.role_title = role.title
        self.sections = [SectionView(s.title, s.url) for s in SECTIONS if s.role in (None, role)]


class ConsoleHomeState(ConsoleMixin, rx.State):
    @rx.event
    @operator()
    def load(self, me: OperatorCaller):
        self._frame(me)
