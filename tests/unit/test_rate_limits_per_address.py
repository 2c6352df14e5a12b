"""The limits per client address: per address and action, apart by key prefix, the same in
memory and in Redis (with CREDIT7_TEST_REDIS_URL; `storage` runs each test on both)."""

from __future__ import annotations

import uuid
from dataclasses import replace

import pytest

from credit7_web import rate_limits, tariff
from credit7_web.rate_limits import Action, Limited
from credit7_web.settings import Settings
from tests.unit.test_rate_limits import storage  # noqa: F401  (memory, then Redis)


@pytest.fixture
def limited_settings(storage: str, settings: Settings) -> Settings:  # noqa: F811
    return replace(settings, rate_limit_prefix=uuid.uuid4().hex)


def test_an_address_gets_its_hourly_sms_and_then_a_refusal(limited_settings: Settings) -> None:
    for _ in range(tariff.SMS_PER_ADDRESS_PER_HOUR):
        rate_limits.spend(limited_settings, "203.0.113.1", Action.SIGN_UP, Action.SMS)
    with pytest.raises(Limited) as refused:
        rate_limits.spend(limited_settings, "203.0.113.1", Action.SIGN_UP, Action.SMS)
    assert "Попробуйте снова через" in refused.value.errors[""]
    rate_limits.spend(limited_settings, "203.0.113.2", Action.SIGN_UP, Action.SMS)  # another one
    rate_limits.spend(limited_settings, "203.0.113.1", Action.LOGIN)  # another action


def test_a_refused_request_counts_nothing(limited_settings: Settings) -> None:
    """Sign-ups left: a refusal for the SMS cap spends none of them."""
    for _ in range(tariff.SMS_PER_ADDRESS_PER_HOUR):
        rate_limits.spend(limited_settings, "a", Action.SMS)
    for _ in range(5):
        with pytest.raises(Limited):
            rate_limits.spend(limited_settings, "a", Action.SIGN_UP, Action.SMS)
    for _ in range(tariff.ADDRESS_REQUESTS_PER_HOUR):
        rate_limits.spend(limited_settings, "a", Action.SIGN_UP)


def test_prefixes_keep_counts_apart(limited_settings: Settings) -> None:
    for _ in range(tariff.ADDRESS_REQUESTS_PER_HOUR):
        rate_limits.spend(limited_settings, "a", Action.LOGIN)
    other = replace(limited_settings, rate_limit_prefix=uuid.uuid4().hex)
    rate_limits.spend(other, "a", Action.LOGIN)
