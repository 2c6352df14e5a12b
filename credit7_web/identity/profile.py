"""The borrower's own account: contacts and masked documents, and changing the phone (the login),
the e-mail and the password.

Changing the phone or the password asks for the current password through `accounts.authenticate`
(so wrong guesses count towards the same lockout as a sign-in) and ends every session of the
borrower; the web layer then opens a new one for the tab that made the change. The new phone is
proved by a code sent to it; a number registered to someone else gets a notice instead, so the
screen never tells whether a number is ours.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete

from credit7_web.clock import Clock
from credit7_web.errors import Refusal
from credit7_web.gateways.sms import SmsGateway
from credit7_web.identity import accounts, otp, questionnaire, sessions
from credit7_web.identity.fields import clean_email, clean_phone, clean_sms_code
from credit7_web.identity.models import Borrower, LoginThrottle, Profile
from credit7_web.messages import texts
from credit7_web.russian import format_phone, mask_passport, mask_snils
from credit7_web.settings import Settings

WRONG_PASSWORD = "Неверный пароль"  # noqa: S105  (a message)
ENTER_PASSWORD = "Введите пароль"  # noqa: S105
SAME_PHONE = "Это ваш текущий номер"
PHONE_TAKEN = "Этот номер уже зарегистрирован. Укажите другой номер"


@dataclass(frozen=True)
class Overview:
    """What the profile page shows: contacts in full, documents masked."""

    phone: str  # 10 digits
    email: str
    name: str
    passport: str
    snils: str
    from_gosuslugi: bool


def overview(db: Session, borrower: Borrower) -> Overview:
    profile = db.get(Profile, borrower.id) or Profile(borrower_id=borrower.id or 0)
    names = (profile.last_name, profile.first_name, profile.middle_name)
    return Overview(
        phone=borrower.phone or "",
        email=profile.email or "",
        name=" ".join(n for n in names if n),
        passport=mask_passport(profile.passport_series, profile.passport_number),
        snils=mask_snils(profile.snils),
        from_gosuslugi=bool(questionnaire.verified(profile)),
    )


def _signed_in(db: Session, borrower_id: int) -> Borrower:
    borrower = db.get(Borrower, borrower_id)
    if borrower is None or borrower.phone is None:
        raise Refusal.one("", "Аккаунт не найден")
    return borrower


def _check_password(
    db: Session, clock: Clock, settings: Settings, borrower: Borrower, password: str, field: str
) -> None:
    """The current password, checked like a sign-in; its messages put beside `field`."""
    try:
        accounts.authenticate(db, clock, settings, borrower.phone or "", password)
    except accounts.LockedOut:
        raise
    except Refusal as error:
        message = error.errors.get("password") or WRONG_PASSWORD
        raise Refusal.one(field, message) from None


def start_phone_change(
    db: Session,
    clock: Clock,
    settings: Settings,
    sms: SmsGateway,
    borrower_id: int,
    password: str,
    new_phone_text: str,
) -> str:
    """Send a code to the new number (a notice, if it is someone else's); returns it, 10 digits."""
    borrower = _signed_in(db, borrower_id)
    try:
        new_phone = clean_phone(new_phone_text, "new_phone")
    except Refusal as error:
        errors = error.errors
    else:
        errors = {"new_phone": SAME_PHONE} if new_phone == borrower.phone else {}
    if not password:
        errors["password"] = ENTER_PASSWORD
    if errors:
        raise Refusal(errors)
    _check_password(db, clock, settings, borrower, password, "password")
    _send_code(db, clock, settings, sms, new_phone, "new_phone")
    return new_phone


def resend_phone_code(
    db: Session, clock: Clock, settings: Settings, sms: SmsGateway, new_phone: str
) -> None:
    _send_code(db, clock, settings, sms, new_phone, "code")


def _send_code(
    db: Session, clock: Clock, settings: Settings, sms: SmsGateway, phone: str, field: str
) -> None:
    """A code to the new number, or the notice a registered number gets instead."""
    code = otp.issue_code(db, clock, settings, phone, otp.PHONE_CHANGE, field)
    registered = accounts.find_borrower(db, phone) is not None
    sms.send(phone, texts.already_registered() if registered else texts.phone_change_code(code))
    db.commit()


def confirm_phone_change(
    db: Session,
    clock: Clock,
    settings: Settings,
    sms: SmsGateway,
    borrower_id: int,
    new_phone: str,
    code: str,
) -> None:
    """The new number is proved: it becomes the login, the old one is told, every session ends."""
    borrower = _signed_in(db, borrower_id)
    otp.verify_code(db, clock, settings, new_phone, otp.PHONE_CHANGE, clean_sms_code(code))
    if accounts.find_borrower(db, new_phone) is not None:
        raise Refusal.one("", PHONE_TAKEN)
    old_phone = borrower.phone or ""
    borrower.phone = new_phone
    db.add(borrower)
    # The owner has proved the number: a stranger's lockout on it must not greet them.
    db.exec(delete(LoginThrottle).where(col(LoginThrottle.phone) == new_phone))
    sessions.revoke_all_pending(db, clock, borrower_id)
    sms.send(old_phone, texts.phone_changed(format_phone(new_phone)))
    try:
        db.commit()
    except IntegrityError:
        db.rollback()
        raise Refusal.one("", PHONE_TAKEN) from None


def change_email(db: Session, borrower_id: int, email_text: str) -> str:
    """A new e-mail; one from Gosuslugi stops being locked once the borrower changes it."""
    _signed_in(db, borrower_id)
    email = clean_email(email_text)
    profile = questionnaire.profile_of(db, borrower_id)
    profile.email = email
    profile.verified_fields = json.dumps(sorted(questionnaire.verified(profile) - {"email"}))
    db.add(profile)
    db.commit()
    return email


def change_password(
    db: Session,
    clock: Clock,
    settings: Settings,
    sms: SmsGateway,
    borrower_id: int,
    current: str,
    password: str,
    password2: str,
) -> None:
    """A new password after the current one; every session ends and the phone is told."""
    borrower = _signed_in(db, borrower_id)
    if not current:
        raise Refusal.one("current_password", ENTER_PASSWORD)
    new_hash = accounts.new_password_hash(settings, password, password2)
    _check_password(db, clock, settings, borrower, current, "current_password")
    borrower.password_hash = new_hash
    borrower.password_changed_at = clock.now()
    db.add(borrower)
    sessions.revoke_all_pending(db, clock, borrower_id)
    sms.send(borrower.phone or "", texts.password_changed())
    db.commit()
