"""Bringing a deleted account back: the person sends the phone, a passport photo and a selfie
holding the passport; an operator compares them with the contracts the lender kept and approves
or rejects. Approved, the account gets its phone back with its whole loan history, and the
person sets a new password by SMS code (password recovery); the questionnaire is filled again,
since its data were erased.

The phone finds the account through the keyed hash the deletion left (`phone_trace`); whether it
found one is never said to the sender, only to the operator. A newer request for the same
phone supersedes an older one. Photos are checked and cleaned like the identification photo
(`kyc`), kept outside any public folder, and erased once a request is decided against
(`erase_declined`, run by the deletion job); an approved request keeps them as the evidence.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Literal

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select, update

from credit7_web.clock import Clock
from credit7_web.errors import Refusal
from credit7_web.gateways.sms import SmsGateway
from credit7_web.identity import accounts, hashing, kyc
from credit7_web.identity.fields import clean_phone
from credit7_web.identity.models import (
    Borrower,
    BorrowerStatus,
    RestorationRequest,
    RestorationStatus,
)
from credit7_web.messages import texts
from credit7_web.private_files import PrivateFolder, digest
from credit7_web.settings import Settings

PHOTOS = PrivateFolder("restoration", "jpg")
# A photo uploaded on the request page waits here until the request is sent (or an hour passes).
STAGED = PrivateFolder("restoration-staged", "jpg")
STAGED_TTL = timedelta(hours=1)
REASON_MIN, REASON_MAX = 3, 300

NOT_PENDING = "Заявка на восстановление уже рассмотрена или не найдена"
NO_ACCOUNT = "С этим номером не найден удалённый аккаунт: заявку можно только отклонить"
PHONE_TAKEN = "Этот номер уже занят другим аккаунтом: заявку можно только отклонить"
REASON_NEEDED = f"Укажите причину отказа: от {REASON_MIN} до {REASON_MAX} символов"
MISSING = {
    "passport_photo": "Загрузите фото разворота паспорта с фотографией",
    "selfie": "Загрузите селфи с паспортом в руке",
}
Staged = tuple[str, str]  # a staged photo's file name and SHA-256
# Called with a request's new status inside the transaction that decides it, just before the
# commit: the console writes its audit entry there, so the two are stored together or not at all.
# None: nobody keeps one (a decision made from a Python shell, or by the deletion job).
Record = Callable[[str], None]


def phone_trace(settings: Settings, phone: str) -> str:
    """What a deleted account keeps of its login: a keyed hash, useless without the server key."""
    return hashing.code_hash(settings.secret_key, "deleted-account", phone)


def deleted_account(db: Session, settings: Settings, phone: str) -> Borrower | None:
    """The most recently deleted account that had this phone as its login."""
    return db.exec(
        select(Borrower)
        .where(
            Borrower.phone_hash == phone_trace(settings, phone),
            Borrower.status == BorrowerStatus.DELETED,
        )
        .order_by(col(Borrower.deleted_at).desc())
    ).first()


def _photo(data: bytes, field: str) -> bytes:
    try:
        return kyc.clean_photo(data)
    except Refusal as error:
        raise Refusal.one(field, next(iter(error.errors.values()))) from None


def request_restoration(
    db: Session,
    clock: Clock,
    settings: Settings,
    phone_text: str,
    passport_photo: bytes,
    selfie: bytes,
) -> RestorationRequest:
    """File a request for the operator; the reply is the same whether or not the phone led to a
    deleted account (`borrower_id` tells the operator)."""
    checks = {
        "phone": lambda: clean_phone(phone_text),
        "passport_photo": lambda: _photo(passport_photo, "passport_photo"),
        "selfie": lambda: _photo(selfie, "selfie"),
    }
    clean: dict[str, object] = {}
    errors: dict[str, str] = {}
    for name, check in checks.items():
        try:
            clean[name] = check()
        except Refusal as error:
            errors |= error.errors
    if errors:
        raise Refusal(errors)
    phone = str(clean["phone"])
    account = None if accounts.find_borrower(db, phone) else deleted_account(db, settings, phone)
    written: list[str] = []
    try:
        passport_jpeg, selfie_jpeg = bytes(clean["passport_photo"]), bytes(clean["selfie"])
        written.append(PHOTOS.write(settings, passport_jpeg))
        written.append(PHOTOS.write(settings, selfie_jpeg))
        db.exec(
            update(RestorationRequest)
            .where(
                col(RestorationRequest.phone) == phone,
                col(RestorationRequest.status) == RestorationStatus.PENDING,
            )
            .values(status=RestorationStatus.SUPERSEDED, decided_at=clock.now())
        )
        request = RestorationRequest(
            borrower_id=account.id if account else None,
            phone=phone,
            passport_file=written[0],
            passport_sha256=digest(passport_jpeg),
            selfie_file=written[1],
            selfie_sha256=digest(selfie_jpeg),
            created_at=clock.now(),
        )
        db.add(request)
        db.commit()
    except Exception:
        db.rollback()
        for name in written:
            (PHOTOS.path(settings) / name).unlink(missing_ok=True)
        raise
    db.refresh(request)
    return request


def stage_photo(settings: Settings, data: bytes, field: str) -> Staged:
    """Check one photo as it is uploaded (its error goes beside its field) and keep it, cleaned,
    until the request is sent: a page uploads its two photos one at a time."""
    jpeg = _photo(data, field)
    return STAGED.write(settings, jpeg), digest(jpeg)


def request_staged(
    db: Session,
    clock: Clock,
    settings: Settings,
    phone_text: str,
    passport_photo: Staged | None,
    selfie: Staged | None,
) -> RestorationRequest:
    """`request_restoration` with the photos staged by `stage_photo`, which then go."""
    staged = {"passport_photo": passport_photo, "selfie": selfie}
    photos = {name: STAGED.read(settings, *s) if s else None for name, s in staged.items()}
    missing = {name: MISSING[name] for name, data in photos.items() if data is None}
    try:
        clean_phone(phone_text)
    except Refusal as error:
        missing |= error.errors
    if missing:
        raise Refusal(missing)
    request = request_restoration(
        db, clock, settings, phone_text, photos["passport_photo"] or b"", photos["selfie"] or b""
    )
    for name, _ in filter(None, staged.values()):
        (STAGED.path(settings) / name).unlink(missing_ok=True)
    return request


def pending_restorations(db: Session) -> list[RestorationRequest]:
    """Requests waiting for an operator, the oldest first."""
    return list(
        db.exec(
            select(RestorationRequest)
            .where(RestorationRequest.status == RestorationStatus.PENDING)
            .order_by(col(RestorationRequest.id))
        )
    )


def read_restoration_photo(
    db: Session, settings: Settings, request_id: int, which: Literal["passport", "selfie"]
) -> bytes | None:
    """A request's photo for the operator's eyes, if it is still kept and intact."""
    request = db.get(RestorationRequest, request_id)
    if request is None:
        return None
    name, sha = (
        (request.passport_file, request.passport_sha256)
        if which == "passport"
        else (request.selfie_file, request.selfie_sha256)
    )
    return PHOTOS.read(settings, name, sha) if name and sha else None


def _pending(db: Session, request_id: int) -> RestorationRequest:
    request = db.get(RestorationRequest, request_id)
    if request is None or request.status != RestorationStatus.PENDING or request.phone is None:
        raise Refusal.one("", NOT_PENDING)
    return request


def _decide(db: Session, clock: Clock, request: RestorationRequest, status: str, **values) -> None:
    """Mark the pending request decided, or Refusal if someone decided it meanwhile."""
    claimed = db.exec(
        update(RestorationRequest)
        .where(
            col(RestorationRequest.id) == request.id,
            col(RestorationRequest.status) == RestorationStatus.PENDING,
        )
        .values(status=status, decided_at=clock.now(), **values)
    )
    if claimed.rowcount != 1:
        db.rollback()
        raise Refusal.one("", NOT_PENDING)


def approve_restoration(
    db: Session,
    clock: Clock,
    settings: Settings,
    sms: SmsGateway,
    request_id: int,
    operator_id: int,
    record: Record | None = None,
) -> None:
    """The account comes back with its loan history; the person sets a password by SMS code."""
    request = _pending(db, request_id)
    phone = request.phone or ""
    account = db.get(Borrower, request.borrower_id) if request.borrower_id else None
    if account is None or account.status != BorrowerStatus.DELETED:
        raise Refusal.one("", NO_ACCOUNT)
    if accounts.find_borrower(db, phone) is not None:
        raise Refusal.one("", PHONE_TAKEN)
    _decide(db, clock, request, RestorationStatus.APPROVED, operator_id=operator_id)
    now = clock.now()
    account.phone, account.phone_hash, account.deleted_at = phone, None, None
    account.status = BorrowerStatus.QUESTIONNAIRE  # its answers were erased: asked again
    # A password nobody knows: the person chooses one through recovery, by a code to the phone.
    account.password_hash = hashing.hash_password(secrets.token_urlsafe(32), settings.bcrypt_rounds)
    account.password_changed_at = now
    db.add(account)
    sms.send(phone, texts.restoration_approved())
    if record is not None:
        record(RestorationStatus.APPROVED)
    try:
        db.commit()
    except IntegrityError:
        db.rollback()
        raise Refusal.one("", PHONE_TAKEN) from None


def reject_restoration(
    db: Session,
    clock: Clock,
    sms: SmsGateway,
    request_id: int,
    operator_id: int,
    reason: str,
    record: Record | None = None,
) -> None:
    """The operator says no, and why; the person is told by SMS. The photos go at the next run
    of the deletion job."""
    reason = " ".join((reason or "").split()) if isinstance(reason, str) else ""
    if not REASON_MIN <= len(reason) <= REASON_MAX:
        raise Refusal.one("reason", REASON_NEEDED)
    request = _pending(db, request_id)
    _decide(db, clock, request, RestorationStatus.REJECTED, operator_id=operator_id, reason=reason)
    sms.send(request.phone or "", texts.restoration_rejected(reason))
    if record is not None:
        record(RestorationStatus.REJECTED)
    db.commit()


def files_of(settings: Settings, request: RestorationRequest) -> list[Path]:
    return [
        PHOTOS.path(settings) / name
        for name in (request.passport_file, request.selfie_file)
        if name
    ]


def erase_declined(db: Session, settings: Settings) -> None:
    """Erase the photos and phone of every request decided against (rejected or superseded),
    and photos staged on the request page but never sent."""
    folder = STAGED.path(settings)
    stale_before = time.time() - STAGED_TTL.total_seconds()
    for path in folder.glob(f"*.{STAGED.suffix}") if folder.exists() else ():
        if path.stat().st_mtime < stale_before:
            path.unlink(missing_ok=True)
    declined = db.exec(
        select(RestorationRequest).where(
            col(RestorationRequest.status).in_(
                [RestorationStatus.REJECTED, RestorationStatus.SUPERSEDED]
            ),
            col(RestorationRequest.passport_file).is_not(None)
            | col(RestorationRequest.selfie_file).is_not(None)
            | col(RestorationRequest.phone).is_not(None),
        )
    ).all()
    files = [path for request in declined for path in files_of(settings, request)]
    for request in declined:
        request.passport_file = request.passport_sha256 = None
        request.selfie_file = request.selfie_sha256 = None
        request.phone = None
        db.add(request)
    db.commit()
    for path in files:
        path.unlink(missing_ok=True)
