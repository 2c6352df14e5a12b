"""The deletion queue of the console (accounts role): requests waiting to be carried out, the
most urgent first, and carrying one out now instead of waiting for the job on its last day.

The erasure itself is `identity.deletion`'s; here the operator's action is written to the audit
log in its transaction. A loan opened since the request refuses it: the request leaves the
queue as refused (the borrower is told by SMS), and that is recorded too.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from credit7_web.backoffice import audit
from credit7_web.backoffice.identification import QUEUE_SIZE, full_name
from credit7_web.clock import Clock
from credit7_web.errors import Refusal
from credit7_web.gateways.sms import SmsGateway
from credit7_web.identity import deletion
from credit7_web.identity.models import (
    Borrower,
    DeletionRequest,
    DeletionStatus,
    Profile,
)
from credit7_web.settings import Settings

GONE = "Эта заявка уже выполнена или отменена. Очередь обновлена."
OUTCOMES = {
    DeletionStatus.DONE: audit.Action.DELETION_DONE,
    DeletionStatus.REFUSED: audit.Action.DELETION_REFUSED,
}


@dataclass(frozen=True)
class DeletionToCarryOut:
    request: DeletionRequest
    phone: str
    full_name: str  # "" when the questionnaire was never filled
    blocker: str | None  # why carrying it out would be refused today


def waiting(
    db: Session, clock: Clock, limit: int = QUEUE_SIZE
) -> tuple[list[DeletionToCarryOut], int]:
    """The requests due soonest first (at most `limit`), and how many wait in all."""
    pending = col(DeletionRequest.status) == DeletionStatus.PENDING
    total = db.exec(select(func.count()).select_from(DeletionRequest).where(pending)).one()
    rows = db.exec(
        select(DeletionRequest, Borrower, Profile)
        .join(Borrower, col(Borrower.id) == col(DeletionRequest.borrower_id))
        .join(Profile, col(Profile.borrower_id) == col(Borrower.id), isouter=True)
        .where(pending)
        .order_by(col(DeletionRequest.due_on), col(DeletionRequest.id))
        .limit(limit)
    )
    return [
        DeletionToCarryOut(
            request,
            borrower.phone or "",
            full_name(profile),
            deletion.blocker(db, clock, borrower.id),
        )
        for request, borrower, profile in rows
    ], total


def carry_out(
    db: Session,
    clock: Clock,
    settings: Settings,
    sms: SmsGateway,
    operator_id: int,
    request_id: int,
) -> None:
    """Delete the account now; Refusal with the reason when a loan stands in the way, or
    `GONE` when the request is no longer waiting (cancelled, or another operator was first)."""
    request = db.get(DeletionRequest, request_id)
    if request is None or request.status != DeletionStatus.PENDING:
        raise Refusal.one("", GONE)
    record = audit.recorder(
        db, clock, operator_id, OUTCOMES, f"deletionrequest:{request_id}", request.borrower_id
    )
    if not deletion.carry_out_deletion(db, clock, settings, sms, request_id, operator_id, record):
        raise Refusal.one("", GONE)
