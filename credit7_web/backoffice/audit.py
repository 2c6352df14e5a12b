"""The audit log: every operator action, written in the transaction of the action itself, so an
action and its record are stored together or not at all. Rows are only ever added (the database
refuses UPDATE and DELETE); reading them is the accounts role's business.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from enum import StrEnum
from typing import Any

from sqlmodel import Session, col, select

from credit7_web.backoffice.models import AuditEntry, Operator
from credit7_web.clock import Clock


class Action(StrEnum):
    OPERATOR_CREATED = "operator_created"
    OPERATOR_DISABLED = "operator_disabled"
    SIGNED_IN = "signed_in"
    SIGN_IN_FAILED = "sign_in_failed"
    SIGNED_OUT = "signed_out"
    BORROWER_VIEWED = "borrower_viewed"
    PHOTO_CONFIRMED = "photo_confirmed"
    PHOTO_REJECTED = "photo_rejected"
    DELETION_DONE = "deletion_done"
    DELETION_REFUSED = "deletion_refused"
    RESTORATION_APPROVED = "restoration_approved"
    RESTORATION_REJECTED = "restoration_rejected"

    @property
    def title(self) -> str:
        return ACTION_TITLES[self]


ACTION_TITLES = {
    Action.OPERATOR_CREATED: "Создан оператор",
    Action.OPERATOR_DISABLED: "Оператор отключён",
    Action.SIGNED_IN: "Вход в консоль",
    Action.SIGN_IN_FAILED: "Неудачный вход",
    Action.SIGNED_OUT: "Выход из консоли",
    Action.BORROWER_VIEWED: "Просмотр карточки клиента",
    Action.PHOTO_CONFIRMED: "Фото с паспортом подтверждено",
    Action.PHOTO_REJECTED: "Фото с паспортом отклонено",
    Action.DELETION_DONE: "Аккаунт удалён",
    Action.DELETION_REFUSED: "Удаление отклонено: открытый заём",
    Action.RESTORATION_APPROVED: "Аккаунт восстановлен",
    Action.RESTORATION_REJECTED: "Восстановление отклонено",
}


def record(
    db: Session,
    clock: Clock,
    operator_id: int | None,
    action: Action,
    subject: str = "",
    *,
    borrower_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Add one entry to the caller's transaction; the caller commits it with the action.

    `operator_id` None means the command line (a server administrator), not the console.
    """
    db.add(
        AuditEntry(
            operator_id=operator_id,
            at=clock.now(),
            action=action,
            subject=subject,
            borrower_id=borrower_id,
            before=json.dumps(before or {}, ensure_ascii=False, sort_keys=True),
            after=json.dumps(after or {}, ensure_ascii=False, sort_keys=True),
        )
    )


def latest(db: Session, limit: int) -> list[tuple[AuditEntry, Operator | None]]:
    """The newest entries first, each with the operator who acted (None: the command line)."""
    query = (
        select(AuditEntry, Operator)
        .join(Operator, col(AuditEntry.operator_id) == col(Operator.id), isouter=True)
        .order_by(col(AuditEntry.id).desc())
        .limit(limit)
    )
    return [(entry, operator) for entry, operator in db.exec(query)]


def recorder(
    db: Session,
    clock: Clock,
    operator_id: int,
    actions: dict[str, Action],
    subject: str,
    borrower_id: int | None,
) -> Callable[[str], None]:
    """What a decision calls with its new status just before committing (see
    `identity.restoration.Record`): the entry of the action that status means, before: pending."""

    def record_status(status: str) -> None:
        record(
            db,
            clock,
            operator_id,
            actions[status],
            subject,
            borrower_id=borrower_id,
            before={"status": "pending"},
            after={"status": status},
        )

    return record_status
