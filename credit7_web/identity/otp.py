"""One-time SMS codes: 6 digits, 5 minutes, 5 tries, one new code a minute per phone and purpose.

Only a keyed hash of a code is stored (the key, phone and purpose go into it, so a code for one
purpose or phone is worthless for another). Only the newest code of a phone and purpose counts.
Each function commits its own step: a code is durable before its SMS leaves, and a wrong try is
counted before the refusal is raised, or guessing would be free.
"""

from __future__ import annotations

import hmac
import math
from datetime import datetime, timedelta

from sqlmodel import Session, col, select, update

from credit7_web.clock import Clock
from credit7_web.errors import Refusal
from credit7_web.identity import hashing
from credit7_web.identity.models import OneTimeCode
from credit7_web.settings import Settings

REGISTER = "register"
RECOVER = "recover"
SIGN = "sign"
PAY = "pay"  # a cabinet payment, confirmed before the acquirer is asked
PROLONG = "prolong"  # the additional agreement of a prolongation, signed before it is paid
GOSUSLUGI = "gosuslugi"  # the phone Gosuslugi gave, confirmed before the account is made
PHONE_CHANGE = "phone_change"  # the new phone of a signed-in borrower
UNLOCK = "unlock"  # the owner lifts the lockout of their phone (wrong passwords by anyone)

CODE_TTL = timedelta(minutes=5)
MAX_ATTEMPTS = 5
RESEND_AFTER = timedelta(seconds=60)
# A phone confirmed by a code counts as confirmed for the next step (a password) this long.
CONFIRMATION_TTL = timedelta(minutes=15)

NO_CODE = "Сначала запросите код"
USED = "Этот код уже использован, запросите новый"
EXPIRED = "Срок действия кода истёк, запросите новый"
EXHAUSTED = "Попытки закончились, запросите новый код"


def _latest(db: Session, phone: str, purpose: str) -> OneTimeCode | None:
    query = (
        select(OneTimeCode)
        .where(OneTimeCode.phone == phone, OneTimeCode.purpose == purpose)
        .order_by(col(OneTimeCode.id).desc())
        .limit(1)
    )
    return db.exec(query).first()


def resend_wait_seconds(db: Session, clock: Clock, phone: str, purpose: str) -> int:
    """Whole seconds until a new code may be sent; 0 means now."""
    last = _latest(db, phone, purpose)
    if last is None:
        return 0
    left = (last.created_at + RESEND_AFTER - clock.now()).total_seconds()
    return max(0, math.ceil(left))


def issue_code(
    db: Session, clock: Clock, settings: Settings, phone: str, purpose: str, field: str = "phone"
) -> str:
    """Store a new code's hash and return the code for the caller's SMS; older codes die.

    Too soon after the last one, Refusal on `field` (the input the page shows it beside)."""
    wait = resend_wait_seconds(db, clock, phone, purpose)
    if wait:
        raise Refusal.one(field, f"Новый код можно запросить через {wait} с")
    now = clock.now()
    db.exec(
        update(OneTimeCode)
        .where(
            col(OneTimeCode.phone) == phone,
            col(OneTimeCode.purpose) == purpose,
            col(OneTimeCode.used_at).is_(None),
            col(OneTimeCode.expires_at) > now,
        )
        .values(expires_at=now)
    )
    code = hashing.new_code()
    db.add(
        OneTimeCode(
            phone=phone,
            purpose=purpose,
            code_hash=hashing.code_hash(settings.secret_key, phone, purpose, code),
            created_at=now,
            expires_at=now + CODE_TTL,
        )
    )
    db.commit()
    return code


def still_confirmed(confirmed_at: datetime | None, now: datetime) -> bool:
    """Whether a phone confirmed at `confirmed_at` may still take its next step."""
    return confirmed_at is not None and now - confirmed_at <= CONFIRMATION_TTL


def _wrong(left: int) -> str:
    if left <= 0:
        return "Неверный код. " + EXHAUSTED
    return f"Неверный код. Осталось попыток: {left}"


def verify_code(
    db: Session, clock: Clock, settings: Settings, phone: str, purpose: str, code: str
) -> None:
    """Accept the newest code once, or raise Refusal on "code" saying why not."""
    row = _latest(db, phone, purpose)
    now = clock.now()
    if row is None:
        raise Refusal.one("code", NO_CODE)
    if row.used_at is not None:
        raise Refusal.one("code", USED)
    if now >= row.expires_at:
        raise Refusal.one("code", EXPIRED)
    # Claim a try before comparing: parallel guesses cannot slip past the limit.
    claimed = db.exec(
        update(OneTimeCode)
        .where(col(OneTimeCode.id) == row.id, col(OneTimeCode.attempts) < MAX_ATTEMPTS)
        .values(attempts=col(OneTimeCode.attempts) + 1)
    )
    db.commit()
    if claimed.rowcount != 1:
        raise Refusal.one("code", EXHAUSTED)
    db.refresh(row)
    expected = hashing.code_hash(settings.secret_key, phone, purpose, code)
    if not hmac.compare_digest(expected, row.code_hash):
        raise Refusal.one("code", _wrong(MAX_ATTEMPTS - row.attempts))
    used = db.exec(
        update(OneTimeCode)
        .where(col(OneTimeCode.id) == row.id, col(OneTimeCode.used_at).is_(None))
        .values(used_at=now)
    )
    db.commit()
    if used.rowcount != 1:
        raise Refusal.one("code", USED)
