"""Deleting an account: the borrower asks, an operator (or the job, on the last day) carries it out.

PRODUCT.md: carried out within `tariff.ACCOUNT_DELETION_DAYS` days when no loan is open and
nothing is overdue; loan contracts and payment records are kept as the law requires, personal
data beyond that is erased and the login removed. What stays: the borrower row (status DELETED,
no phone, no password, only a keyed hash of the phone so a restoration request can find it),
loans, applications and their decisions, the money history (the ledger), the contract PDFs,
the reminders sent, and the cards as masked numbers (the payment records name them) without the
acquirer's token. What goes: the questionnaire, the passport photos (rows and files), the
restoration requests and Gosuslugi sign-ups of the account, sessions, SMS codes and lockouts.
The borrower is told by SMS before the number is forgotten.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlmodel import Session, col, delete, select, update

from credit7_web import tariff
from credit7_web.clock import Clock
from credit7_web.errors import Refusal
from credit7_web.gateways.sms import SmsGateway
from credit7_web.identity import kyc, restoration
from credit7_web.identity.models import (
    AuthSession,
    Borrower,
    BorrowerStatus,
    DeletionRequest,
    DeletionStatus,
    GosuslugiSignup,
    LoginThrottle,
    OneTimeCode,
    PassportPhoto,
    Profile,
    RestorationRequest,
)

# The restoration half of the interface agreed with the operator console, reachable from here
# as well as from `restoration`, where it lives.
from credit7_web.identity.restoration import (
    approve_restoration,
    pending_restorations,
    reject_restoration,
    request_restoration,
)
from credit7_web.lending import applications
from credit7_web.lending.models import Card, CardStatus, LoanStatus
from credit7_web.messages import texts
from credit7_web.money import rub
from credit7_web.russian import format_date
from credit7_web.servicing import debt
from credit7_web.settings import Settings

__all__ = [
    "approve_restoration",
    "blocker",
    "cancel_deletion",
    "carry_out_deletion",
    "pending_deletion",
    "pending_deletions",
    "pending_restorations",
    "reject_restoration",
    "request_deletion",
    "request_restoration",
    "run_due_deletions",
]

NOT_FOUND = "Заявка на удаление не найдена"
NOT_PENDING = {
    DeletionStatus.CANCELLED: "Заявка на удаление отменена заёмщиком",
    DeletionStatus.REFUSED: "Заявка на удаление отклонена: у заёмщика был открытый заём",
}


def blocker(db: Session, clock: Clock, borrower_id: int) -> str | None:
    """Why the account cannot be deleted today, in Russian; None when it can.

    A contract offered but never signed does not stand in the way: without a login it lapses.
    """
    if applications.open_application(db, borrower_id) is not None:
        return "Ваша заявка на заём ещё рассматривается: дождитесь решения, это несколько секунд."
    loan = applications.open_loan(db, borrower_id)
    if loan is None or loan.status != LoanStatus.ACTIVE:
        return None
    owed = debt.loan_debt(db, loan, clock.today())
    if owed.overdue:
        return (
            f"По договору № {loan.number} есть просроченная задолженность {rub(owed.total_kop)}. "
            "Удалить аккаунт можно после её погашения."
        )
    return (
        f"По договору № {loan.number} заём ещё не погашен. Удалить аккаунт можно после погашения."
    )


def pending_deletion(db: Session, borrower_id: int) -> DeletionRequest | None:
    return db.exec(
        select(DeletionRequest).where(
            DeletionRequest.borrower_id == borrower_id,
            DeletionRequest.status == DeletionStatus.PENDING,
        )
    ).first()


def request_deletion(
    db: Session, clock: Clock, sms: SmsGateway, borrower_id: int
) -> DeletionRequest:
    """The borrower asks to delete the account; refused (with the reason) while a loan is open."""
    borrower = db.get(Borrower, borrower_id)
    if borrower is None or borrower.phone is None:
        raise Refusal.one("", "Аккаунт не найден")
    reason = blocker(db, clock, borrower_id)
    if reason is not None:
        raise Refusal.one("", reason)
    existing = pending_deletion(db, borrower_id)
    if existing is not None:
        return existing
    request = DeletionRequest(
        borrower_id=borrower_id,
        requested_at=clock.now(),
        due_on=clock.today() + timedelta(days=tariff.ACCOUNT_DELETION_DAYS),
    )
    db.add(request)
    sms.send(borrower.phone, texts.deletion_requested(format_date(request.due_on)))
    db.commit()
    db.refresh(request)
    return request


def cancel_deletion(db: Session, clock: Clock, borrower_id: int) -> None:
    """The borrower changed their mind before the request was carried out."""
    db.exec(
        update(DeletionRequest)
        .where(
            col(DeletionRequest.borrower_id) == borrower_id,
            col(DeletionRequest.status) == DeletionStatus.PENDING,
        )
        .values(status=DeletionStatus.CANCELLED, decided_at=clock.now())
    )
    db.commit()


def pending_deletions(db: Session) -> list[DeletionRequest]:
    """Requests waiting to be carried out, the most urgent first."""
    return list(
        db.exec(
            select(DeletionRequest)
            .where(DeletionRequest.status == DeletionStatus.PENDING)
            .order_by(col(DeletionRequest.due_on), col(DeletionRequest.id))
        )
    )


def _decide(
    db: Session, request_id: int, status: DeletionStatus, clock: Clock, **values: object
) -> bool:
    """Move a pending request on; False when another worker (or operator) already did."""
    claimed = db.exec(
        update(DeletionRequest)
        .where(
            col(DeletionRequest.id) == request_id,
            col(DeletionRequest.status) == DeletionStatus.PENDING,
        )
        .values(status=status, decided_at=clock.now(), **values)
    )
    return claimed.rowcount == 1


def carry_out_deletion(
    db: Session,
    clock: Clock,
    settings: Settings,
    sms: SmsGateway,
    request_id: int,
    operator_id: int | None,
    record: restoration.Record | None = None,
) -> bool:
    """Erase the account's personal data and its login, in one transaction, and tell the
    borrower by SMS; True when this call deleted the account. Idempotent: a request carried out
    already is left as it is (False). A loan opened since the request refuses it (Refusal with
    the reason; the borrower is told). `record` sees the request's new status before the commit."""
    return _carry_out(db, clock, settings, sms, request_id, operator_id, record)


def _carry_out(
    db: Session,
    clock: Clock,
    settings: Settings,
    sms: SmsGateway,
    request_id: int,
    operator_id: int | None,
    record: restoration.Record | None = None,
) -> bool:
    """carry_out_deletion."""
    request = db.get(DeletionRequest, request_id)
    if request is None:
        raise Refusal.one("", NOT_FOUND)
    if request.status == DeletionStatus.DONE:
        return False
    if request.status != DeletionStatus.PENDING:
        raise Refusal.one("", NOT_PENDING[DeletionStatus(request.status)])
    borrower = db.get(Borrower, request.borrower_id, with_for_update=True)
    if borrower is None:
        raise Refusal.one("", NOT_FOUND)
    reason = blocker(db, clock, request.borrower_id)
    if reason is not None:
        if _decide(db, request_id, DeletionStatus.REFUSED, clock, reason=reason[:300]):
            sms.send(borrower.phone or "", texts.deletion_refused(reason))
            if record is not None:
                record(DeletionStatus.REFUSED)
        db.commit()
        raise Refusal.one("", reason)
    if not _decide(db, request_id, DeletionStatus.DONE, clock, operator_id=operator_id):
        db.rollback()  # another worker or an operator got there first
        return False
    sms.send(borrower.phone or "", texts.account_deleted())
    files = _erase(db, clock, settings, borrower)
    if record is not None:
        record(DeletionStatus.DONE)
    db.commit()
    for path in files:  # only once the erasure is committed: a rollback keeps them usable
        path.unlink(missing_ok=True)
    return True


def _erase(db: Session, clock: Clock, settings: Settings, borrower: Borrower) -> list[Path]:
    """Erase within the caller's transaction; returns the files to remove after the commit."""
    borrower_id, phone = borrower.id, borrower.phone or ""
    photos = db.exec(select(PassportPhoto).where(PassportPhoto.borrower_id == borrower_id))
    files = [kyc.PHOTOS.path(settings) / p.file_name for p in photos]
    requests = db.exec(
        select(RestorationRequest).where(RestorationRequest.borrower_id == borrower_id)
    )
    files += [path for r in requests for path in restoration.files_of(settings, r)]
    for table in (Profile, AuthSession, PassportPhoto, RestorationRequest):
        db.exec(delete(table).where(col(table.borrower_id) == borrower_id))
    for table in (OneTimeCode, LoginThrottle):
        db.exec(delete(table).where(col(table.phone) == phone))
    db.exec(delete(GosuslugiSignup).where(col(GosuslugiSignup.borrower_id) == borrower_id))
    for card in db.exec(select(Card).where(Card.borrower_id == borrower_id)):
        card.token, card.status = f"erased-{card.id}", CardStatus.REMOVED
        db.add(card)
    borrower.phone = None
    borrower.phone_hash = restoration.phone_trace(settings, phone)
    borrower.password_hash = ""  # no password opens it; without a phone nothing looks it up
    borrower.requested_amount_kop = borrower.requested_term_days = None
    borrower.status = BorrowerStatus.DELETED
    borrower.deleted_at = clock.now()
    db.add(borrower)
    return files


def run_due_deletions(db: Session, clock: Clock, settings: Settings, sms: SmsGateway) -> int:
    """The periodic job: carry out every request whose last day has come (refusing those with a
    loan opened since), and erase the photos of restoration requests already decided against.
    Returns how many accounts were deleted."""
    restoration.erase_declined(db, settings)
    due = db.exec(
        select(DeletionRequest.id).where(
            DeletionRequest.status == DeletionStatus.PENDING,
            col(DeletionRequest.due_on) <= clock.today(),
        )
    ).all()
    done = 0
    for request_id in due:
        try:
            done += _carry_out(db, clock, settings, sms, request_id, None, None)
        except Refusal:
            continue
    return done
