"""The operator's second factor: a TOTP code from an authenticator app (RFC 6238 by pyotp).

pyotp keeps no memory of used codes, so the newest accepted 30-second step is kept per operator
and a step that is not newer is refused: a code seen over a shoulder or in a log works once.
The secret is kept sealed (Fernet) with a key derived from the server key, so a copy of the
table alone does not give away anyone's second factor.
"""

from __future__ import annotations

import base64
import calendar
import hashlib
import hmac
from datetime import datetime

import pyotp
from cryptography.fernet import Fernet, InvalidToken

ISSUER = "Credit7"
STEP_SECONDS = 30  # what authenticator apps use
# The step before and after the current one: a phone's clock may be some seconds off.
DRIFT_STEPS = (0, -1, 1)


def new_secret() -> str:
    return pyotp.random_base32()


def _fernet(server_key: bytes) -> Fernet:
    key = hmac.new(server_key, b"credit7 operator totp", hashlib.sha256).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal(server_key: bytes, secret: str) -> str:
    return _fernet(server_key).encrypt(secret.encode()).decode()


def unseal(server_key: bytes, sealed: str) -> str | None:
    """The secret, or None when it was sealed with another server key."""
    try:
        return _fernet(server_key).decrypt(sealed.encode()).decode()
    except InvalidToken:
        return None


def provisioning_uri(secret: str, login: str) -> str:
    """The otpauth:// address an authenticator app reads (as a QR code or typed in)."""
    totp = pyotp.TOTP(secret, interval=STEP_SECONDS)
    return totp.provisioning_uri(name=login, issuer_name=ISSUER)


def step_of(instant_utc: datetime) -> int:
    """The 30 s step of a naive UTC instant (pyotp would read a naive datetime as local time)."""
    return calendar.timegm(instant_utc.timetuple()) // STEP_SECONDS


def accepted_step(secret: str, code: str, now_utc: datetime, last_step: int | None) -> int | None:
    """The step `code` belongs to, if it is valid now and newer than the last accepted one."""
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret, interval=STEP_SECONDS)
    current = step_of(now_utc)
    for offset in DRIFT_STEPS:
        step = current + offset
        if last_step is not None and step <= last_step:
            continue
        if pyotp.utils.strings_equal(code, totp.generate_otp(step)):
            return step
    return None
