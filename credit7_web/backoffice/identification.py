"""The identification queue: each borrower's latest passport photo, until an operator confirms
or rejects it. A rejection's reason is shown to the borrower, whose rejected photo counts as no
photo until a new one is uploaded (`kyc.usable_photo`); scoring never waits for the queue.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select, update

from credit7_web.backoffice import audit
from credit7_web.clock import Clock
from credit7_web.errors import Refusal
from credit7_web.identity import kyc
from credit7_web.identity.models import Borrower, PassportPhoto, PhotoReview, Profile
from credit7_web.settings import Settings

QUEUE_SIZE = 20
REASON_MIN = 5
REASON_MAX = 300
REASON_MESSAGE = f"Напишите причину для клиента: от {REASON_MIN} до {REASON_MAX} знаков"
GONE = "Это фото уже проверено или клиент загрузил новое. Очередь обновлена."


@dataclass(frozen=True)
class PhotoToReview:
    photo: PassportPhoto
    phone: str
    full_name: str  # "" until the questionnaire names the borrower


def _latest_ids():
    return select(func.max(PassportPhoto.id)).group_by(col(PassportPhoto.borrower_id))


def waiting(db: Session, limit: int = QUEUE_SIZE) -> tuple[list[PhotoToReview], int]:
    """The oldest waiting photos first (at most `limit`), and how many wait in all."""
    waiting_now = (col(PassportPhoto.review) == PhotoReview.PENDING) & col(PassportPhoto.id).in_(
        _latest_ids()
    )
    total = db.exec(select(func.count()).select_from(PassportPhoto).where(waiting_now)).one()
    rows = db.exec(
        select(PassportPhoto, Borrower, Profile)
        .join(Borrower, col(Borrower.id) == col(PassportPhoto.borrower_id))
        .join(Profile, col(Profile.borrower_id) == col(Borrower.id), isouter=True)
        .where(waiting_now)
        .order_by(col(PassportPhoto.uploaded_at), col(PassportPhoto.id))
        .limit(limit)
    )
    photos = [PhotoToReview(photo, b.phone, full_name(profile)) for photo, b, profile in rows]
    return photos, total


def full_name(profile: Profile | None) -> str:
    if profile is None:
        return ""
    return " ".join(p for p in (profile.last_name, profile.first_name, profile.middle_name) if p)


def confirm(db: Session, clock: Clock, operator_id: int, photo_id: int) -> None:
    _decide(db, clock, operator_id, photo_id, PhotoReview.CONFIRMED, None)


def reject(db: Session, clock: Clock, operator_id: int, photo_id: int, reason: str) -> None:
    reason = " ".join(reason.split())
    if not REASON_MIN <= len(reason) <= REASON_MAX:
        raise Refusal.one("reason", REASON_MESSAGE)
    _decide(db, clock, operator_id, photo_id, PhotoReview.REJECTED, reason)


def _decide(
    db: Session,
    clock: Clock,
    operator_id: int,
    photo_id: int,
    verdict: PhotoReview,
    reason: str | None,
) -> None:
    """One verdict on a waiting photo that is still its borrower's latest, with its record."""
    photo = db.get(PassportPhoto, photo_id)
    latest = kyc.latest_photo(db, photo.borrower_id) if photo else None
    if photo is None or latest is None or latest.id != photo.id:
        raise Refusal.one("", GONE)
    # Conditional: of two operators deciding at once, only the first one's verdict stands.
    decided = db.exec(
        update(PassportPhoto)
        .where(col(PassportPhoto.id) == photo_id, col(PassportPhoto.review) == PhotoReview.PENDING)
        .values(
            review=verdict,
            reviewed_by=operator_id,
            reviewed_at=clock.now(),
            rejection_reason=reason,
        )
    )
    if decided.rowcount != 1:
        db.rollback()
        raise Refusal.one("", GONE)
    action = (
        audit.Action.PHOTO_CONFIRMED
        if verdict == PhotoReview.CONFIRMED
        else audit.Action.PHOTO_REJECTED
    )
    after = {"review": verdict} | ({"reason": reason} if reason else {})
    audit.record(
        db,
        clock,
        operator_id,
        action,
        f"passportphoto:{photo_id}",
        borrower_id=photo.borrower_id,
        before={"review": PhotoReview.PENDING},
        after=after,
    )
    db.commit()


def photo_file(db: Session, settings: Settings, photo_id: int) -> bytes | None:
    """Any borrower's stored photo, for an operator of the identification role."""
    photo = db.get(PassportPhoto, photo_id)
    if photo is None:
        return None
    return kyc.read_photo(db, settings, photo.borrower_id, photo_id)
