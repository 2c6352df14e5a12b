"""Rate limits over a moving window (the `limits` library): in this process's memory, or in
Redis when REFLEX_REDIS_URL is set, so every worker counts the same hits.

A limit is named with what it counts: `allow(QUICK_PAY_PER_ADDRESS, address)` takes one hit and
says whether it was within the limit.
"""

from __future__ import annotations

import os
from functools import cache

from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

# PRODUCT.md: quick-pay look-ups are bounded per client address and per phone.
QUICK_PAY_PER_ADDRESS = parse("20/hour")
QUICK_PAY_PER_PHONE = parse("5/hour")


@cache
def limiter() -> MovingWindowRateLimiter:
    return MovingWindowRateLimiter(
        storage_from_string(os.environ.get("REFLEX_REDIS_URL") or "memory://")
    )


def allow(limit: RateLimitItem, *identifiers: str) -> bool:
    """Count one hit; False once the limit is reached (the hit is then not counted)."""
    return limiter().hit(limit, *identifiers)


def reset() -> None:
    """Forget every count: for tests."""
    limiter().storage.reset()
