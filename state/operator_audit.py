"""The audit log for the accounts role: the newest operator actions first."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from credit7_web.backoffice import audit
from state.operator_caller import OperatorCaller, operator
from state.operator_console import AUDIT, ConsoleMixin, moscow_time

SHOWN = 200
COMMAND_LINE = "командная строка"


@dataclass(frozen=True)
class AuditView:
    at: str
    who: str
    action: str
    subject: str
    before: str
    after: str


class AuditLogState(ConsoleMixin, rx.State):
    entries: list[AuditView] = []

    @rx.event
    @operator(AUDIT.role)
    def load(self, me: OperatorCaller):
        self._frame(me)
        self.entries = []
        for entry, who in audit.latest(me.db, SHOWN):
            self.entries.append(
                AuditView(
                    at=moscow_time(entry.at),
                    who=f"{who.name} ({who.login})" if who else COMMAND_LINE,
                    action=audit.Action(entry.action).title,
                    subject=entry.subject,
                    before="" if entry.before == "{}" else entry.before,
                    after="" if entry.after == "{}" else entry.after,
                )
            )
