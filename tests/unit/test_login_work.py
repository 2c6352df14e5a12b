"""A login costs the same work whether or not the phone is registered (issue 7, finding 2).

Timing told phones apart: an unknown phone paid for two bcrypt runs (the dummy hash was made
afresh on every call). The work is counted here, not timed: every bcrypt call is recorded.
"""

from __future__ import annotations

import bcrypt
import pytest
from sqlmodel import Session

from credit7_web.backoffice import operators
from credit7_web.clock import FixedClock
from credit7_web.errors import Refusal
from credit7_web.identity import accounts, hashing
from credit7_web.settings import Settings

PHONE, UNKNOWN, PASSWORD = "9001234567", "9007654321", "Secret123"


@pytest.fixture
def bcrypt_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The name of every bcrypt run, as it happens."""
    calls: list[str] = []
    for name in ("hashpw", "checkpw"):
        real = getattr(bcrypt, name)

        def counted(*args, _real=real, _name=name):
            calls.append(_name)
            return _real(*args)

        monkeypatch.setattr(bcrypt, name, counted)
    return calls


def try_login(db: Session, clock: FixedClock, settings: Settings, phone: str) -> None:
    with pytest.raises(Refusal):
        accounts.authenticate(db, clock, settings, phone, "WrongPass1")


def test_a_registered_and_an_unknown_phone_cost_one_bcrypt_run_each(
    db: Session, clock: FixedClock, settings: Settings, bcrypt_calls: list[str]
) -> None:
    accounts.create_borrower(db, clock, settings, PHONE, PASSWORD, PASSWORD, clock.now())
    for phone in (PHONE, UNKNOWN, PHONE, UNKNOWN):
        bcrypt_calls.clear()
        try_login(db, clock, settings, phone)
        assert bcrypt_calls == ["checkpw"], phone


def test_an_unknown_operator_login_costs_one_bcrypt_run(
    db: Session, clock: FixedClock, settings: Settings, bcrypt_calls: list[str]
) -> None:
    for _ in range(2):
        bcrypt_calls.clear()
        with pytest.raises(Refusal):
            operators.authenticate(db, clock, settings, "nobody", "password", "123456")
        assert bcrypt_calls == ["checkpw"]


@pytest.mark.parametrize("password", ["", "x", "Secret123", "пароль" * 20])
def test_no_password_matches_the_dummy_hash(settings: Settings, password: str) -> None:
    dummy = hashing.dummy_hash(settings.bcrypt_rounds)
    assert dummy.startswith(f"$2b${settings.bcrypt_rounds:02d}$")
    assert not hashing.verify_password(password, dummy)
