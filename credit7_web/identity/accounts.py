"""Sign-up, sign-in and password recovery by phone.

Nothing here tells a stranger whether a number is registered: sign-up and recovery take the
same steps for every number (a code row is stored either way, so the 60 s rule and the code
screen behave alike) and differ only in the SMS the phone's owner receives; a login with an
unknown number checks a dummy hash and counts towards a lockout like any other.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, select, update

from credit7_web.clock import MOSCOW, Clock
from credit7_web.errors import Refusal
from credit7_web.gateways.sms import SmsGateway
from credit7_web.identity import hashing, otp, sessions
from credit7_web.identity.fields import clean_password, clean_phone, clean_sms_code
from credit7_web.identity.models import Borrower, BorrowerStatus, LoginThrottle, Profile
from credit7_web.messages import texts
from credit7_web.settings import Settings

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)

NEED_CONSENT = "Нужно согласие на обработку персональных данных"
PASSWORDS_DIFFER = "Пароли не совпадают"
BAD_CREDENTIALS = "Неверный телефон или пароль"
ALREADY_REGISTERED = "Этот номер уже зарегистрирован. Войдите или восстановите пароль"
RECOVERY_FAILED = "Не удалось сменить пароль. Начните восстановление заново"


class LockedOut(Refusal):
    """Sign-in refused until `until` (naive UTC) after too many wrong passwords."""

    def __init__(self, until: datetime) -> None:
        self.until = until
        super().__init__(
            {
                "": f"Вход заблокирован после {MAX_FAILURES} неверных попыток. "
                f"Попробуйте снова после {moscow_hhmm(until)} (мск)"
            }
        )


def moscow_hhmm(instant_utc: datetime) -> str:
    """Moscow wall time rounded up to the minute: "after 14:35" must not be too early."""
    seconds = instant_utc.second + instant_utc.microsecond / 1_000_000
    rounded = instant_utc.replace(second=0, microsecond=0) + timedelta(
        minutes=math.ceil(seconds / 60)
    )
    return rounded.replace(tzinfo=UTC).astimezone(MOSCOW).strftime("%H:%M")


def _id(borrower: Borrower) -> int:
    if borrower.id is None:
        raise RuntimeError("borrower has no id before it is flushed")
    return borrower.id


def find_borrower(db: Session, phone: str) -> Borrower | None:
    return db.exec(select(Borrower).where(Borrower.phone == phone)).first()


def _new_passwords(password: str, password2: str) -> str:
    """The validated password, or one Refusal naming every problem at once."""
    errors: dict[str, str] = {}
    try:
        password = clean_password(password)
    except Refusal as e:
        errors.update(e.errors)
    if password2 != password:
        errors["password2"] = PASSWORDS_DIFFER
    if errors:
        raise Refusal(errors)
    return password


def start_registration(
    db: Session, clock: Clock, settings: Settings, sms: SmsGateway, phone_text: str, consent: bool
) -> str:
    """Send a sign-up code (or, to a registered number, a notice); returns the 10-digit phone."""
    errors: dict[str, str] = {}
    phone = ""
    try:
        phone = clean_phone(phone_text)
    except Refusal as e:
        errors.update(e.errors)
    if not consent:
        errors["consent"] = NEED_CONSENT
    if errors:
        raise Refusal(errors)
    code = otp.issue_code(db, clock, settings, phone, otp.REGISTER)
    if find_borrower(db, phone) is None:
        sms.send(phone, texts.register_code(code))
    else:
        sms.send(phone, texts.already_registered())
    db.commit()
    return phone


def confirm_registration(
    db: Session, clock: Clock, settings: Settings, phone: str, code: str
) -> None:
    otp.verify_code(db, clock, settings, phone, otp.REGISTER, clean_sms_code(code))


def create_borrower(
    db: Session,
    clock: Clock,
    settings: Settings,
    phone: str,
    password: str,
    password2: str,
    consent_at: datetime,
    requested_amount_kop: int | None = None,
    requested_term_days: int | None = None,
) -> Borrower:
    """The account and its empty questionnaire; the caller has seen the sign-up code confirmed."""
    password = _new_passwords(password, password2)
    if find_borrower(db, phone) is not None:
        raise Refusal.one("", ALREADY_REGISTERED)
    now = clock.now()
    borrower = Borrower(
        phone=phone,
        password_hash=hashing.hash_password(password, settings.bcrypt_rounds),
        status=BorrowerStatus.QUESTIONNAIRE,
        pd_consent_at=consent_at,
        created_at=now,
        password_changed_at=now,
        requested_amount_kop=requested_amount_kop,
        requested_term_days=requested_term_days,
    )
    try:
        db.add(borrower)
        db.flush()
        db.add(Profile(borrower_id=_id(borrower)))
        # The owner has proved the phone: a stranger's lockout on it must not greet them.
        db.exec(delete(LoginThrottle).where(col(LoginThrottle.phone) == phone))
        db.commit()
    except IntegrityError:
        db.rollback()
        raise Refusal.one("", ALREADY_REGISTERED) from None
    db.refresh(borrower)
    return borrower


def _throttle(db: Session, phone: str) -> LoginThrottle:
    row = db.get(LoginThrottle, phone)
    if row is not None:
        return row
    try:
        row = LoginThrottle(phone=phone)
        db.add(row)
        db.commit()
    except IntegrityError:  # a parallel attempt made it first
        db.rollback()
    row = db.get(LoginThrottle, phone)
    if row is None:
        raise RuntimeError(f"login throttle row for {phone} vanished")
    return row


def authenticate(
    db: Session, clock: Clock, settings: Settings, phone_text: str, password: str
) -> Borrower:
    """The borrower for a right phone and password; a lockout after 5 wrong ones in a row."""
    phone = clean_phone(phone_text)
    if not password:
        raise Refusal.one("password", "Введите пароль")
    now = clock.now()
    row = _throttle(db, phone)
    if row.locked_until is not None:
        if now < row.locked_until:
            raise LockedOut(row.locked_until)
        row.failures, row.locked_until = 0, None
        db.add(row)
        db.commit()
    # Count the try before the slow check, so parallel guesses cannot outrun the limit.
    claimed = db.exec(
        update(LoginThrottle)
        .where(col(LoginThrottle.phone) == phone, col(LoginThrottle.failures) < MAX_FAILURES)
        .values(failures=col(LoginThrottle.failures) + 1)
    )
    db.commit()
    if claimed.rowcount != 1:
        db.refresh(row)
        raise LockedOut(_lock(db, row, now))
    borrower = find_borrower(db, phone)
    password_hash = (
        borrower.password_hash if borrower else hashing.dummy_hash(settings.bcrypt_rounds)
    )
    if hashing.verify_password(password, password_hash) and borrower is not None:
        db.exec(delete(LoginThrottle).where(col(LoginThrottle.phone) == phone))
        db.commit()
        db.refresh(borrower)
        return borrower
    db.refresh(row)
    if row.failures >= MAX_FAILURES:
        raise LockedOut(_lock(db, row, now))
    raise Refusal.one("", BAD_CREDENTIALS)


def _lock(db: Session, row: LoginThrottle, now: datetime) -> datetime:
    """Set the lock (once) and return when it ends."""
    if row.locked_until is None or row.locked_until <= now:
        row.locked_until = now + LOCKOUT
        db.add(row)
        db.commit()
        return now + LOCKOUT
    return row.locked_until


def start_unlock(
    db: Session, clock: Clock, settings: Settings, sms: SmsGateway, phone_text: str
) -> str:
    """«Разблокировать по SMS»: a code to the phone, which only its owner reads; the reply is
    the same for every number (registered or not, locked or not)."""
    return _code_to_owner(db, clock, settings, sms, phone_text, otp.UNLOCK, texts.unlock_code)


def confirm_unlock(db: Session, clock: Clock, settings: Settings, phone: str, code: str) -> None:
    """The owner's code lifts the lockout at once: a stranger's wrong passwords no longer bar
    them (the stranger's address stays rate limited)."""
    otp.verify_code(db, clock, settings, phone, otp.UNLOCK, clean_sms_code(code))
    db.exec(delete(LoginThrottle).where(col(LoginThrottle.phone) == phone))
    db.commit()


def start_recovery(
    db: Session, clock: Clock, settings: Settings, sms: SmsGateway, phone_text: str
) -> str:
    """Send a recovery code if the number is registered; the reply is the same either way."""
    return _code_to_owner(db, clock, settings, sms, phone_text, otp.RECOVER, texts.recover_code)


def _code_to_owner(
    db: Session,
    clock: Clock,
    settings: Settings,
    sms: SmsGateway,
    phone_text: str,
    purpose: str,
    text: Callable[[str], str],
) -> str:
    """A code row for any number (the 60 s rule alike), the SMS only to a registered one."""
    phone = clean_phone(phone_text)
    code = otp.issue_code(db, clock, settings, phone, purpose)
    if find_borrower(db, phone) is not None:
        sms.send(phone, text(code))
    db.commit()
    return phone


def confirm_recovery(db: Session, clock: Clock, settings: Settings, phone: str, code: str) -> None:
    otp.verify_code(db, clock, settings, phone, otp.RECOVER, clean_sms_code(code))


def reset_password(
    db: Session, clock: Clock, settings: Settings, phone: str, password: str, password2: str
) -> None:
    """New password after a confirmed recovery code; signs the borrower out everywhere."""
    password = _new_passwords(password, password2)
    borrower = find_borrower(db, phone)
    if borrower is None:
        raise Refusal.one("", RECOVERY_FAILED)
    borrower.password_hash = hashing.hash_password(password, settings.bcrypt_rounds)
    borrower.password_changed_at = clock.now()
    db.add(borrower)
    db.exec(delete(LoginThrottle).where(col(LoginThrottle.phone) == phone))
    sessions.revoke_all_pending(db, clock, _id(borrower))
    db.commit()


def new_password_hash(settings: Settings, password: str, password2: str) -> str:
    """The hash to keep for a new password typed twice, or one Refusal naming every problem."""
    return hashing.hash_password(_new_passwords(password, password2), settings.bcrypt_rounds)
