"""The restoration queue of the console (accounts role): each request with the deleted account
its phone led to, that account's loans and contract PDFs (the lender kept them: the operator
compares the passport in them with the photos), approve or reject with a reason.

The decision itself is `identity.restoration`'s; here it is written to the audit log in its
transaction. Audit rows hold the request's id and status only: the reason stays in the request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy import func
from sqlmodel import Session, col, select

from credit7_web.backoffice import audit
from credit7_web.backoffice.identification import QUEUE_SIZE
from credit7_web.clock import Clock
from credit7_web.documents import archive
from credit7_web.documents.models import Document
from credit7_web.gateways.sms import SmsGateway
from credit7_web.identity import restoration
from credit7_web.identity.models import (
    Borrower,
    BorrowerStatus,
    RestorationRequest,
    RestorationStatus,
)
from credit7_web.lending.models import Loan
from credit7_web.settings import Settings

Photo = Literal["passport", "selfie"]
OUTCOMES = {
    RestorationStatus.APPROVED: audit.Action.RESTORATION_APPROVED,
    RestorationStatus.REJECTED: audit.Action.RESTORATION_REJECTED,
}


@dataclass(frozen=True)
class RestorationToDecide:
    request: RestorationRequest
    account: Borrower | None  # the deleted account the phone led to, if it still is one
    loans: list[Loan]
    documents: list[Document]


def waiting(db: Session, limit: int = QUEUE_SIZE) -> tuple[list[RestorationToDecide], int]:
    """The oldest requests first (at most `limit`), and how many wait in all."""
    pending = col(RestorationRequest.status) == RestorationStatus.PENDING
    total = db.exec(select(func.count()).select_from(RestorationRequest).where(pending)).one()
    requests = db.exec(
        select(RestorationRequest).where(pending).order_by(col(RestorationRequest.id)).limit(limit)
    )
    return [_with_account(db, request) for request in requests], total


def _with_account(db: Session, request: RestorationRequest) -> RestorationToDecide:
    account = db.get(Borrower, request.borrower_id) if request.borrower_id else None
    if account is None or account.id is None or account.status != BorrowerStatus.DELETED:
        return RestorationToDecide(request, None, [], [])
    loans = db.exec(select(Loan).where(Loan.borrower_id == account.id).order_by(col(Loan.id)))
    return RestorationToDecide(request, account, list(loans), archive.documents_of(db, account.id))


def _record(db: Session, clock: Clock, operator_id: int, request_id: int) -> restoration.Record:
    request = db.get(RestorationRequest, request_id)
    borrower_id = request.borrower_id if request else None
    subject = f"restorationrequest:{request_id}"
    return audit.recorder(db, clock, operator_id, OUTCOMES, subject, borrower_id)


def approve(
    db: Session,
    clock: Clock,
    settings: Settings,
    sms: SmsGateway,
    operator_id: int,
    request_id: int,
) -> None:
    """The account comes back (Refusal when it cannot: see `restoration.approve_restoration`)."""
    record = _record(db, clock, operator_id, request_id)
    restoration.approve_restoration(db, clock, settings, sms, request_id, operator_id, record)


def reject(
    db: Session, clock: Clock, sms: SmsGateway, operator_id: int, request_id: int, reason: str
) -> None:
    """The person is told why by SMS; Refusal("reason") for a reason too short or too long."""
    record = _record(db, clock, operator_id, request_id)
    restoration.reject_restoration(db, clock, sms, request_id, operator_id, reason, record)


def photo(db: Session, settings: Settings, request_id: int, which: Photo) -> bytes | None:
    """A request's photo for an operator of the accounts role, while it is kept."""
    return restoration.read_restoration_photo(db, settings, request_id, which)
