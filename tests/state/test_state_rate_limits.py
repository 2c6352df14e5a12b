"""Rate limits per client address (issue 7, finding 9) and «Разблокировать по SMS».

One address could make the app send codes to any number of phones (SMS pumping), and lock any
borrower out with five wrong passwords, each round sending the victim an SMS. The per-phone rules
stay; on top, each address gets PRODUCT.md's hourly limits, and the phone's owner lifts a lockout
at once with a code sent to the phone, while the attacker's address stays limited.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta

import bcrypt
import pytest
from sqlalchemy import Engine

from credit7_web import tariff
from credit7_web.identity import accounts, otp
from credit7_web.identity.models import LoginThrottle
from credit7_web.rate_limits import FROM_ADDRESS
from state.login import UNLOCKED_NOTICE, LoginState
from state.profile import ProfileState
from state.recover import RecoverState
from state.register import RegisterState
from tests.state.harness import (
    PASSWORD,
    PHONE,
    Browser,
    all_rows,
    claim_link,
    form,
    make_borrower,
    sign_in,
    sms_code,
    sms_count,
)

LIMITED = FROM_ADDRESS.split(".")[0]  # "Слишком много запросов с вашего адреса"


def phones(n: int) -> list[str]:
    return [f"90000{i:05d}" for i in range(n)]


def limited(errors: dict[str, str]) -> bool:
    return any(LIMITED in message for message in errors.values())


async def ask_code(tab: Browser, cls: type, phone: str) -> dict[str, str]:
    tab.at("/register" if cls is RegisterState else "/recover")
    await tab.send(cls, "change_phone")
    await tab.send(cls, "submit_phone", form=form(phone=phone, consent="on"))
    return dict(tab.state(cls).errors)


async def test_sms_pumping_from_one_address_stops_at_the_cap(
    new_browser: Callable[[], Browser], app_db: Engine
) -> None:
    """Codes to ever new phones, by sign-up and by recovery alike: the address's SMS cap."""
    for number in phones(3):
        make_borrower(app_db, number)  # recovery sends only to registered phones
    pump = new_browser()
    answers = []
    for i, phone in enumerate(phones(tariff.SMS_PER_ADDRESS_PER_HOUR + 5)):
        flow = RecoverState if i < 3 else RegisterState
        answers.append(await ask_code(pump, flow, phone))
    cap = tariff.SMS_PER_ADDRESS_PER_HOUR
    assert [limited(a) for a in answers] == [False] * cap + [True] * 5
    assert sms_count(app_db) == cap
    # Another address is not held by this one's cap.
    assert not limited(await ask_code(new_browser(), RegisterState, "9009999999"))
    assert sms_count(app_db) == cap + 1


async def test_a_resend_counts_against_the_cap_too(
    browser: Browser, app_db: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(otp, "RESEND_AFTER", timedelta())  # no minute to wait between codes
    await ask_code(browser, RegisterState, PHONE)
    for _ in range(tariff.SMS_PER_ADDRESS_PER_HOUR + 2):
        await browser.send(RegisterState, "resend")
    assert sms_count(app_db) == tariff.SMS_PER_ADDRESS_PER_HOUR
    assert LIMITED in browser.state(RegisterState).notice


@pytest.fixture
def bcrypt_threads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The thread of every bcrypt check, as it runs."""
    threads: list[str] = []
    real = bcrypt.checkpw

    def checkpw(*args):
        threads.append(threading.current_thread().name)
        return real(*args)

    monkeypatch.setattr(bcrypt, "checkpw", checkpw)
    return threads


async def login(tab: Browser, phone: str, password: str) -> list:
    tab.at("/login")
    return await tab.send(LoginState, "submit", form=form(phone=phone, password=password))


async def test_sign_ins_from_one_address_are_bounded_without_any_bcrypt_run(
    browser: Browser, app_db: Engine, bcrypt_threads: list[str]
) -> None:
    for phone in phones(tariff.ADDRESS_REQUESTS_PER_HOUR):
        await login(browser, phone, "Wrong1234")
        assert not limited(browser.state(LoginState).errors)
    assert len(bcrypt_threads) == tariff.ADDRESS_REQUESTS_PER_HOUR
    await login(browser, "9001110000", "Wrong1234")
    assert limited(browser.state(LoginState).errors)
    assert len(bcrypt_threads) == tariff.ADDRESS_REQUESTS_PER_HOUR  # refused before the check
    assert all(name.startswith("credit7-cpu") for name in bcrypt_threads)  # off the event loop


async def test_the_owner_unlocks_by_sms_while_the_attacker_stays_limited(
    new_browser: Callable[[], Browser], app_db: Engine
) -> None:
    make_borrower(app_db, active=True)
    attacker, owner = new_browser(), new_browser()
    for _ in range(tariff.ADDRESS_REQUESTS_PER_HOUR):
        await login(attacker, PHONE, "Wrong1234")
    assert [row.locked_until is not None for row in all_rows(app_db, LoginThrottle)] == [True]

    # The owner, from another address: locked, offered the unlock, unlocks with the code.
    await login(owner, PHONE, PASSWORD)
    state = owner.state(LoginState)
    assert "заблокирован" in state.errors[""] and state.unlock == "offer"
    await owner.send(LoginState, "send_unlock_code")
    assert (owner.state(LoginState).unlock, owner.state(LoginState).errors) == ("code", {})
    await owner.send(LoginState, "submit_unlock", form=form(code="000000"))
    assert owner.state(LoginState).errors  # a wrong code lifts nothing
    await owner.send(LoginState, "submit_unlock", form=form(code=sms_code(app_db)))
    assert owner.state(LoginState).notice == UNLOCKED_NOTICE
    assert all_rows(app_db, LoginThrottle) == []
    events = await login(owner, PHONE, PASSWORD)
    assert claim_link(events)[1] == "/cabinet"

    # The attacker's address is still limited, whatever it tries; the phone is not locked again.
    await login(attacker, PHONE, "Wrong1234")
    assert limited(attacker.state(LoginState).errors)
    assert all_rows(app_db, LoginThrottle) == []


async def test_an_unknown_locked_phone_gets_the_same_unlock_offer_and_no_sms(
    browser: Browser, app_db: Engine
) -> None:
    for _ in range(accounts.MAX_FAILURES + 1):
        await login(browser, "9005554433", "Wrong1234")
    assert browser.state(LoginState).unlock == "offer"
    await browser.send(LoginState, "send_unlock_code")
    assert browser.state(LoginState).unlock == "code"
    assert sms_count(app_db) == 0


async def test_no_unlock_code_without_a_lockout_shown(browser: Browser, app_db: Engine) -> None:
    make_borrower(app_db, active=True)
    browser.at("/login")
    await browser.send(LoginState, "send_unlock_code")
    await browser.send(LoginState, "submit_unlock", form=form(code="123456"))
    assert sms_count(app_db) == 0
    assert browser.state(LoginState).unlock == ""


async def test_a_signed_in_borrower_cannot_pump_sms_through_the_phone_change(
    browser: Browser, app_db: Engine
) -> None:
    browser.at("/profile").with_cookie(sign_in(app_db, make_borrower(app_db, active=True)))
    await browser.send(ProfileState, "load")
    for phone in phones(tariff.SMS_PER_ADDRESS_PER_HOUR + 3):
        await browser.send(ProfileState, "edit", which="phone")
        await browser.send(
            ProfileState, "start_phone_change", form=form(password=PASSWORD, new_phone=phone)
        )
    assert sms_count(app_db) == tariff.SMS_PER_ADDRESS_PER_HOUR
    assert limited(browser.state(ProfileState).errors)
