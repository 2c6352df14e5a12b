"""Password hashing, random tokens and keyed hashes of short codes."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

import bcrypt


def _prehash(password: str) -> bytes:
    """bcrypt reads only 72 bytes; a SHA-256 digest lets every character of a password count."""
    return base64.b64encode(hashlib.sha256(password.encode()).digest())


def hash_password(password: str, rounds: int) -> str:
    return bcrypt.hashpw(_prehash(password), bcrypt.gensalt(rounds)).decode()


def verify_password(password: str, password_hash: str) -> bool:
    return bcrypt.checkpw(_prehash(password), password_hash.encode())


_BCRYPT_ALPHABET = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def dummy_hash(rounds: int) -> str:
    """A hash to check against when the phone is unknown, so both paths cost one bcrypt run.

    It is made without hashing anything: a real salt of this cost and 31 random characters in
    place of a digest. Checking a password against it does bcrypt's full work and never
    matches; making it costs nothing, so an unknown phone never pays for a second run.
    """
    digest = "".join(secrets.choice(_BCRYPT_ALPHABET) for _ in range(31))
    return bcrypt.gensalt(rounds).decode() + digest


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """Tokens carry 256 random bits, so a plain SHA-256 is enough to keep them unreadable."""
    return hashlib.sha256(token.encode()).hexdigest()


def code_hash(secret_key: bytes, *parts: str) -> str:
    """A keyed hash for six-digit codes: without the key a stolen table cannot be brute-forced."""
    return hmac.new(secret_key, "|".join(parts).encode(), hashlib.sha256).hexdigest()


def new_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"
