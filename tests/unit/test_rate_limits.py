"""Rate limits count per identifier, stop at the limit, and share Redis when it is configured."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from credit7_web import rate_limits


@pytest.fixture(params=["memory", "redis"])
def storage(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    if request.param == "redis":
        url = os.environ.get("CREDIT7_TEST_REDIS_URL")
        if not url:
            pytest.skip("needs CREDIT7_TEST_REDIS_URL")
        monkeypatch.setenv("REFLEX_REDIS_URL", url)
    else:
        monkeypatch.delenv("REFLEX_REDIS_URL", raising=False)
    rate_limits.limiter.cache_clear()
    yield request.param
    rate_limits.limiter.cache_clear()


def test_a_phone_is_looked_up_five_times_an_hour(storage: str) -> None:
    phone, other = f"9{uuid.uuid4().int % 10**9:09d}", f"9{uuid.uuid4().int % 10**9:09d}"
    limit = rate_limits.QUICK_PAY_PER_PHONE
    assert [rate_limits.allow(limit, "t", phone) for _ in range(6)] == [True] * 5 + [False]
    assert rate_limits.allow(limit, "t", other)  # another phone counts on its own
    assert type(rate_limits.limiter().storage).__name__.lower().startswith(storage)
