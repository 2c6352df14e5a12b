from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from credit7_web.clock import FixedClock
from credit7_web.errors import Refusal
from credit7_web.identity import hashing, otp
from credit7_web.identity.models import OneTimeCode
from credit7_web.settings import Settings

PHONE = "9001234567"


def rows(engine: Engine) -> list[OneTimeCode]:
    """What was committed, read through a connection of its own."""
    with Session(engine) as s:
        return list(s.exec(select(OneTimeCode).order_by(col(OneTimeCode.id))))


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def refused(db, clock, settings, code: str, purpose: str = otp.REGISTER) -> str:
    with pytest.raises(Refusal) as e:
        otp.verify_code(db, clock, settings, PHONE, purpose, code)
    assert list(e.value.errors) == ["code"]
    return e.value.errors["code"]


def test_code_is_six_digits_and_only_its_keyed_hash_is_stored(
    db: Session, engine: Engine, clock: FixedClock, settings: Settings
) -> None:
    code = otp.issue_code(db, clock, settings, PHONE, otp.REGISTER)
    assert len(code) == 6
    assert code.isdigit()
    [row] = rows(engine)
    assert row.phone == PHONE
    assert row.purpose == otp.REGISTER
    assert row.code_hash == hashing.code_hash(b"test-secret-key", PHONE, otp.REGISTER, code)
    assert row.created_at == clock.now()
    assert row.expires_at == clock.now() + timedelta(minutes=5)
    assert row.attempts == 0
    assert row.used_at is None
    for value in row.model_dump().values():
        assert code not in str(value)


def test_right_code_accepted_once_then_reuse_refused(
    db: Session, engine: Engine, clock: FixedClock, settings: Settings
) -> None:
    code = otp.issue_code(db, clock, settings, PHONE, otp.REGISTER)
    clock.advance(timedelta(seconds=30))
    otp.verify_code(db, clock, settings, PHONE, otp.REGISTER, code)
    [row] = rows(engine)
    assert row.used_at == clock.now()
    assert row.attempts == 1
    assert refused(db, clock, settings, code) == "Этот код уже использован, запросите новый"


def test_code_valid_until_just_before_five_minutes(
    db: Session, clock: FixedClock, settings: Settings
) -> None:
    code = otp.issue_code(db, clock, settings, PHONE, otp.REGISTER)
    clock.advance(timedelta(minutes=5) - timedelta(microseconds=1))
    otp.verify_code(db, clock, settings, PHONE, otp.REGISTER, code)


def test_code_expires_at_exactly_five_minutes(
    db: Session, engine: Engine, clock: FixedClock, settings: Settings
) -> None:
    code = otp.issue_code(db, clock, settings, PHONE, otp.REGISTER)
    clock.advance(timedelta(minutes=5))
    assert refused(db, clock, settings, code) == "Срок действия кода истёк, запросите новый"
    [row] = rows(engine)
    assert row.used_at is None
    assert row.attempts == 0


def test_wrong_codes_count_down_then_even_the_right_one_is_refused(
    db: Session, engine: Engine, clock: FixedClock, settings: Settings
) -> None:
    code = otp.issue_code(db, clock, settings, PHONE, otp.REGISTER)
    messages = [refused(db, clock, settings, wrong(code)) for _ in range(5)]
    assert messages == [
        "Неверный код. Осталось попыток: 4",
        "Неверный код. Осталось попыток: 3",
        "Неверный код. Осталось попыток: 2",
        "Неверный код. Осталось попыток: 1",
        "Неверный код. Попытки закончились, запросите новый код",
    ]
    assert refused(db, clock, settings, code) == "Попытки закончились, запросите новый код"
    [row] = rows(engine)
    assert row.attempts == 5
    assert row.used_at is None


def test_failed_try_is_committed_even_if_the_caller_rolls_back(
    db: Session, engine: Engine, clock: FixedClock, settings: Settings
) -> None:
    code = otp.issue_code(db, clock, settings, PHONE, otp.REGISTER)
    refused(db, clock, settings, wrong(code))
    db.rollback()
    assert rows(engine)[0].attempts == 1


def test_right_code_on_the_fifth_try_is_accepted(
    db: Session, clock: FixedClock, settings: Settings
) -> None:
    code = otp.issue_code(db, clock, settings, PHONE, otp.REGISTER)
    for _ in range(4):
        refused(db, clock, settings, wrong(code))
    otp.verify_code(db, clock, settings, PHONE, otp.REGISTER, code)


def test_no_code_requested(db: Session, clock: FixedClock, settings: Settings) -> None:
    assert refused(db, clock, settings, "123456") == "Сначала запросите код"


def test_code_is_bound_to_its_purpose_and_phone(
    db: Session, clock: FixedClock, settings: Settings
) -> None:
    code = otp.issue_code(db, clock, settings, PHONE, otp.REGISTER)
    otp.issue_code(db, clock, settings, PHONE, otp.RECOVER)
    otp.issue_code(db, clock, settings, "9007654321", otp.REGISTER)
    assert refused(db, clock, settings, code, otp.RECOVER).startswith("Неверный код.")
    with pytest.raises(Refusal):
        otp.verify_code(db, clock, settings, "9007654321", otp.REGISTER, code)
    otp.verify_code(db, clock, settings, PHONE, otp.REGISTER, code)


def test_new_code_no_sooner_than_60_seconds(
    db: Session, engine: Engine, clock: FixedClock, settings: Settings
) -> None:
    assert otp.resend_wait_seconds(db, clock, PHONE, otp.REGISTER) == 0
    otp.issue_code(db, clock, settings, PHONE, otp.REGISTER)
    assert otp.resend_wait_seconds(db, clock, PHONE, otp.REGISTER) == 60
    clock.advance(timedelta(seconds=59, milliseconds=500))
    assert otp.resend_wait_seconds(db, clock, PHONE, otp.REGISTER) == 1
    with pytest.raises(Refusal) as e:
        otp.issue_code(db, clock, settings, PHONE, otp.REGISTER)
    assert e.value.errors == {"phone": "Новый код можно запросить через 1 с"}
    assert len(rows(engine)) == 1
    # Another purpose has its own minute.
    otp.issue_code(db, clock, settings, PHONE, otp.RECOVER)
    clock.advance(timedelta(milliseconds=500))
    assert otp.resend_wait_seconds(db, clock, PHONE, otp.REGISTER) == 0
    otp.issue_code(db, clock, settings, PHONE, otp.REGISTER)
    assert len(rows(engine)) == 3


def test_new_code_kills_the_old_one(
    db: Session, engine: Engine, clock: FixedClock, settings: Settings
) -> None:
    old = otp.issue_code(db, clock, settings, PHONE, otp.REGISTER)
    clock.advance(timedelta(seconds=60))
    new = otp.issue_code(db, clock, settings, PHONE, otp.REGISTER)
    first, second = rows(engine)
    assert first.expires_at == clock.now()
    assert second.expires_at == clock.now() + timedelta(minutes=5)
    if old != new:
        assert refused(db, clock, settings, old).startswith("Неверный код.")
    otp.verify_code(db, clock, settings, PHONE, otp.REGISTER, new)
