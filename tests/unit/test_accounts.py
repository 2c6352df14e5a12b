from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from credit7_web.clock import FixedClock
from credit7_web.errors import Refusal
from credit7_web.identity import accounts, hashing, otp, sessions
from credit7_web.identity.models import (
    AuthSession,
    Borrower,
    BorrowerStatus,
    LoginThrottle,
    OneTimeCode,
    Profile,
)
from credit7_web.messages.outbox import Outbox
from credit7_web.sandbox.models import SmsMessage
from credit7_web.sandbox.sms import outbox
from credit7_web.settings import Settings

PHONE = "9001234567"
TYPED = "+7 (900) 123-45-67"
PASSWORD = "Secret123"
BAD_CREDENTIALS = {"": "Неверный телефон или пароль"}


def code_from_sms(db: Session, phone: str = PHONE) -> str:
    """The code as the borrower reads it: from the newest SMS to the phone."""
    text = outbox(db, limit=1, phone=phone)[0].text
    match = re.search(r"\b\d{6}\b", text)
    assert match, text
    return match[0]


def register(
    db: Session, clock: FixedClock, settings: Settings, sms: Outbox, phone: str = PHONE
) -> Borrower:
    phone = accounts.start_registration(db, clock, settings, sms, phone, True)
    accounts.confirm_registration(db, clock, settings, phone, code_from_sms(db, phone))
    return accounts.create_borrower(db, clock, settings, phone, PASSWORD, PASSWORD, clock.now())


def sign_in_fails(db, clock, settings, phone: str, password: str) -> Refusal:
    with pytest.raises(Refusal) as e:
        accounts.authenticate(db, clock, settings, phone, password)
    return e.value


def throttle(engine: Engine, phone: str = PHONE) -> tuple[int, object] | None:
    with Session(engine) as s:
        row = s.get(LoginThrottle, phone)
        return None if row is None else (row.failures, row.locked_until)


# ----------------------------------------------------------------------------- registration


def test_registration_end_to_end(
    db: Session, engine: Engine, clock: FixedClock, settings: Settings, sms: Outbox
) -> None:
    phone = accounts.start_registration(db, clock, settings, sms, TYPED, True)
    assert phone == PHONE
    [message] = outbox(db)
    code = code_from_sms(db)
    assert message.text == f"Credit7: код для регистрации {code}. Никому его не сообщайте."
    assert message.created_at == clock.now()
    clock.advance(timedelta(seconds=40))
    accounts.confirm_registration(db, clock, settings, phone, code)
    consent_at = clock.now() - timedelta(seconds=40)
    borrower = accounts.create_borrower(
        db, clock, settings, phone, PASSWORD, PASSWORD, consent_at, 1_500_000, 14
    )
    with Session(engine) as s:
        [row] = s.exec(select(Borrower)).all()
        assert row.id == borrower.id
        assert row.phone == PHONE
        assert row.status == BorrowerStatus.QUESTIONNAIRE
        assert row.pd_consent_at == consent_at
        assert row.created_at == row.password_changed_at == clock.now()
        assert (row.requested_amount_kop, row.requested_term_days) == (1_500_000, 14)
        assert hashing.verify_password(PASSWORD, row.password_hash)
        assert PASSWORD not in row.password_hash
        profile = s.get(Profile, row.id)
        assert profile is not None
        assert (profile.draft, profile.step, profile.last_name) == ("{}", 0, None)


def test_registration_needs_consent_and_a_phone(
    db: Session, engine: Engine, clock: FixedClock, settings: Settings, sms: Outbox
) -> None:
    with pytest.raises(Refusal) as e:
        accounts.start_registration(db, clock, settings, sms, "12345", False)
    assert set(e.value.errors) == {"phone", "consent"}
    assert e.value.errors["consent"] == "Нужно согласие на обработку персональных данных"
    with pytest.raises(Refusal) as e:
        accounts.start_registration(db, clock, settings, sms, TYPED, False)
    assert e.value.errors == {"consent": "Нужно согласие на обработку персональных данных"}
    with Session(engine) as s:
        assert s.exec(select(OneTimeCode)).all() == []
        assert s.exec(select(SmsMessage)).all() == []


def test_registration_resend_waits_a_minute(
    db: Session, clock: FixedClock, settings: Settings, sms: Outbox
) -> None:
    accounts.start_registration(db, clock, settings, sms, TYPED, True)
    clock.advance(timedelta(seconds=45))
    with pytest.raises(Refusal) as e:
        accounts.start_registration(db, clock, settings, sms, TYPED, True)
    assert e.value.errors == {"phone": "Новый код можно запросить через 15 с"}
    assert len(outbox(db)) == 1
    clock.advance(timedelta(seconds=15))
    accounts.start_registration(db, clock, settings, sms, TYPED, True)
    assert len(outbox(db)) == 2


def test_registered_phone_gets_a_notice_and_no_code(
    db: Session, engine: Engine, clock: FixedClock, settings: Settings, sms: Outbox
) -> None:
    register(db, clock, settings, sms)
    clock.advance(timedelta(minutes=10))
    assert accounts.start_registration(db, clock, settings, sms, TYPED, True) == PHONE
    notice = outbox(db, limit=1)[0]
    assert notice.phone == PHONE
    assert "уже зарегистрирован" in notice.text
    assert re.search(r"\d{6}", notice.text) is None
    assert "код" not in notice.text.lower()
    # Same minute rule as for a new number.
    clock.advance(timedelta(seconds=30))
    with pytest.raises(Refusal) as e:
        accounts.start_registration(db, clock, settings, sms, TYPED, True)
    assert e.value.errors == {"phone": "Новый код можно запросить через 30 с"}
    assert len(outbox(db)) == 2
    # Nothing typed on the code screen opens the way: the right answer was never sent.
    with pytest.raises(Refusal) as e:
        accounts.confirm_registration(db, clock, settings, PHONE, "000000")
    assert e.value.errors["code"].startswith("Неверный код.")
    # And even a confirmed state cannot make a second account.
    with pytest.raises(Refusal) as e:
        accounts.create_borrower(db, clock, settings, PHONE, PASSWORD, PASSWORD, clock.now())
    assert e.value.errors == {"": "Этот номер уже зарегистрирован. Войдите или восстановите пароль"}
    with Session(engine) as s:
        assert len(s.exec(select(Borrower)).all()) == 1


def test_wrong_sign_up_code_is_refused(
    db: Session, clock: FixedClock, settings: Settings, sms: Outbox
) -> None:
    accounts.start_registration(db, clock, settings, sms, TYPED, True)
    code = code_from_sms(db)
    with pytest.raises(Refusal) as e:
        accounts.confirm_registration(db, clock, settings, PHONE, f"{(int(code) + 1) % 10**6:06d}")
    assert e.value.errors == {"code": "Неверный код. Осталось попыток: 4"}
    with pytest.raises(Refusal) as e:
        accounts.confirm_registration(db, clock, settings, PHONE, "12a")
    assert list(e.value.errors) == ["code"]
    accounts.confirm_registration(db, clock, settings, PHONE, code)


def test_create_borrower_checks_passwords(
    db: Session, engine: Engine, clock: FixedClock, settings: Settings
) -> None:
    with pytest.raises(Refusal) as e:
        accounts.create_borrower(db, clock, settings, PHONE, PASSWORD, "Secret124", clock.now())
    assert e.value.errors == {"password2": "Пароли не совпадают"}
    with pytest.raises(Refusal) as e:
        accounts.create_borrower(db, clock, settings, PHONE, "short", "short", clock.now())
    assert list(e.value.errors) == ["password"]
    with Session(engine) as s:
        assert s.exec(select(Borrower)).all() == []
        assert s.exec(select(Profile)).all() == []


# ----------------------------------------------------------------------------- sign-in


def test_sign_in_with_typed_phone(
    db: Session, clock: FixedClock, settings: Settings, sms: Outbox
) -> None:
    borrower = register(db, clock, settings, sms)
    assert accounts.authenticate(db, clock, settings, "8 900 123 45 67", PASSWORD) == borrower
    assert sign_in_fails(db, clock, settings, TYPED, "Secret124").errors == BAD_CREDENTIALS


def test_four_wrong_then_right_resets_the_counter(
    db: Session, engine: Engine, clock: FixedClock, settings: Settings, sms: Outbox
) -> None:
    register(db, clock, settings, sms)
    for n in range(1, 5):
        assert sign_in_fails(db, clock, settings, TYPED, "Wrong123").errors == BAD_CREDENTIALS
        assert throttle(engine) == (n, None)
    accounts.authenticate(db, clock, settings, TYPED, PASSWORD)
    assert throttle(engine) is None
    for _ in range(4):
        sign_in_fails(db, clock, settings, TYPED, "Wrong123")
    assert throttle(engine) == (4, None)


def test_five_wrong_lock_for_15_minutes(
    db: Session, engine: Engine, clock: FixedClock, settings: Settings, sms: Outbox
) -> None:
    register(db, clock, settings, sms)
    for _ in range(4):
        sign_in_fails(db, clock, settings, TYPED, "Wrong123")
    locked = sign_in_fails(db, clock, settings, TYPED, "Wrong123")
    until = clock.now() + timedelta(minutes=15)
    message = "Вход заблокирован после 5 неверных попыток. Попробуйте снова после 14:15 (мск)"
    assert isinstance(locked, accounts.LockedOut)
    assert locked.until == until
    assert locked.errors == {"": message}
    assert throttle(engine) == (5, until)
    # While locked the right password is refused too.
    clock.advance(timedelta(minutes=15) - timedelta(seconds=1))
    still = sign_in_fails(db, clock, settings, TYPED, PASSWORD)
    assert isinstance(still, accounts.LockedOut)
    assert still.errors == {"": message}
    assert throttle(engine) == (5, until)
    clock.advance(timedelta(seconds=1))
    accounts.authenticate(db, clock, settings, TYPED, PASSWORD)
    assert throttle(engine) is None


def test_after_a_lock_ends_there_are_five_fresh_tries(
    db: Session, engine: Engine, clock: FixedClock, settings: Settings, sms: Outbox
) -> None:
    register(db, clock, settings, sms)
    for _ in range(5):
        sign_in_fails(db, clock, settings, TYPED, "Wrong123")
    clock.advance(timedelta(minutes=15))
    assert sign_in_fails(db, clock, settings, TYPED, "Wrong123").errors == BAD_CREDENTIALS
    assert throttle(engine) == (1, None)


def test_unknown_phone_same_message_and_same_lock(
    db: Session, engine: Engine, clock: FixedClock, settings: Settings
) -> None:
    clock.advance(timedelta(seconds=30))
    for n in range(1, 5):
        assert sign_in_fails(db, clock, settings, TYPED, PASSWORD).errors == BAD_CREDENTIALS
        assert throttle(engine) == (n, None)
    locked = sign_in_fails(db, clock, settings, TYPED, PASSWORD)
    assert isinstance(locked, accounts.LockedOut)
    # 11:15:30 UTC is shown rounded up: 14:16 in Moscow.
    assert locked.errors == {
        "": "Вход заблокирован после 5 неверных попыток. Попробуйте снова после 14:16 (мск)"
    }
    assert throttle(engine) == (5, clock.now() + timedelta(minutes=15))


def test_failures_survive_the_callers_rollback(
    db: Session, engine: Engine, clock: FixedClock, settings: Settings
) -> None:
    sign_in_fails(db, clock, settings, TYPED, PASSWORD)
    db.rollback()
    assert throttle(engine) == (1, None)


def test_bad_phone_and_empty_password_do_not_count(
    db: Session, engine: Engine, clock: FixedClock, settings: Settings
) -> None:
    assert list(sign_in_fails(db, clock, settings, "123", PASSWORD).errors) == ["phone"]
    assert sign_in_fails(db, clock, settings, TYPED, "").errors == {"password": "Введите пароль"}
    assert throttle(engine) is None


def test_registration_clears_a_strangers_lock(
    db: Session, engine: Engine, clock: FixedClock, settings: Settings, sms: Outbox
) -> None:
    for _ in range(5):
        sign_in_fails(db, clock, settings, TYPED, PASSWORD)
    register(db, clock, settings, sms)
    assert throttle(engine) is None
    accounts.authenticate(db, clock, settings, TYPED, PASSWORD)


# ----------------------------------------------------------------------------- recovery


def test_recovery_sends_a_code_and_resets_everything(
    db: Session, engine: Engine, clock: FixedClock, settings: Settings, sms: Outbox
) -> None:
    borrower = register(db, clock, settings, sms)
    assert borrower.id is not None
    ticket = sessions.open_session(db, clock, settings, borrower.id)
    token = sessions.claim(db, clock, settings, ticket)
    assert token is not None
    pending = sessions.open_session(db, clock, settings, borrower.id)
    for _ in range(3):
        sign_in_fails(db, clock, settings, TYPED, "Wrong123")

    clock.advance(timedelta(minutes=2))
    assert accounts.start_recovery(db, clock, settings, sms, TYPED) == PHONE
    code = code_from_sms(db)
    assert outbox(db, limit=1)[0].text == (
        f"Credit7: код для восстановления пароля {code}. Никому его не сообщайте."
    )
    accounts.confirm_recovery(db, clock, settings, PHONE, code)
    accounts.reset_password(db, clock, settings, PHONE, "NewSecret7", "NewSecret7")

    with Session(engine) as s:
        row = s.get(Borrower, borrower.id)
        assert row is not None
        assert row.password_changed_at == clock.now()
        assert row.created_at == clock.now() - timedelta(minutes=2)
        revoked = s.exec(select(AuthSession.revoked_at).order_by(col(AuthSession.id))).all()
        assert revoked == [clock.now(), clock.now()]
    assert throttle(engine) is None
    assert sessions.resolve(db, clock, settings, token) is None
    assert sessions.claim(db, clock, settings, pending) is None
    assert sign_in_fails(db, clock, settings, TYPED, PASSWORD).errors == BAD_CREDENTIALS
    assert accounts.authenticate(db, clock, settings, TYPED, "NewSecret7").id == borrower.id


def test_recovery_code_works_once_and_only_for_recovery(
    db: Session, clock: FixedClock, settings: Settings, sms: Outbox
) -> None:
    register(db, clock, settings, sms)
    clock.advance(timedelta(minutes=1))
    accounts.start_recovery(db, clock, settings, sms, TYPED)
    code = code_from_sms(db)
    with pytest.raises(Refusal):
        accounts.confirm_registration(db, clock, settings, PHONE, code)
    accounts.confirm_recovery(db, clock, settings, PHONE, code)
    with pytest.raises(Refusal) as e:
        accounts.confirm_recovery(db, clock, settings, PHONE, code)
    assert e.value.errors == {"code": "Этот код уже использован, запросите новый"}


def test_recovery_of_an_unknown_phone_looks_the_same_but_sends_nothing(
    db: Session, engine: Engine, clock: FixedClock, settings: Settings, sms: Outbox
) -> None:
    assert accounts.start_recovery(db, clock, settings, sms, TYPED) == PHONE
    assert outbox(db) == []
    clock.advance(timedelta(seconds=10))
    with pytest.raises(Refusal) as e:
        accounts.start_recovery(db, clock, settings, sms, TYPED)
    assert e.value.errors == {"phone": "Новый код можно запросить через 50 с"}
    with pytest.raises(Refusal) as e:
        accounts.confirm_recovery(db, clock, settings, PHONE, "123456")
    assert e.value.errors == {"code": "Неверный код. Осталось попыток: 4"}
    with Session(engine) as s:
        [row] = s.exec(select(OneTimeCode)).all()
        assert (row.phone, row.purpose) == (PHONE, otp.RECOVER)


def test_reset_password_checks_passwords_and_the_phone(
    db: Session, engine: Engine, clock: FixedClock, settings: Settings, sms: Outbox
) -> None:
    borrower = register(db, clock, settings, sms)
    old_hash = borrower.password_hash
    with pytest.raises(Refusal) as e:
        accounts.reset_password(db, clock, settings, PHONE, "NewSecret7", "NewSecret8")
    assert e.value.errors == {"password2": "Пароли не совпадают"}
    with pytest.raises(Refusal) as e:
        accounts.reset_password(db, clock, settings, "9007654321", "NewSecret7", "NewSecret7")
    assert e.value.errors == {"": "Не удалось сменить пароль. Начните восстановление заново"}
    with Session(engine) as s:
        row = s.get(Borrower, borrower.id)
        assert row is not None
        assert row.password_hash == old_hash
