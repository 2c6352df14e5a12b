"""Rate limits per client address (PRODUCT.md, «Account»), over a moving window (the `limits`
library): in this process's memory, or in Redis when REFLEX_REDIS_URL is set, so every worker
counts the same hits.

The per-phone rules (a code a minute, five tries, the password lockout) bound what one phone
suffers; these bound what one address can do to many phones: sign-up, recovery, sign-in and
quick-pay look-ups per address, and the SMS codes asked for per address and in total. Keys
carry the prefix of the settings (so tests and apps sharing a Redis never mix counts). A refused
request counts for nothing, and nothing here tells whether a phone is registered.

`spend(settings, address, *actions)` counts a request or raises `Limited` (a field error);
`allow(LIMIT, *identifiers)` takes one hit of a named limit and says whether it was within it.
"""

from __future__ import annotations

import math
import os
import time
from enum import StrEnum
from functools import cache

from limits import RateLimitItem, RateLimitItemPerHour, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from credit7_web import tariff
from credit7_web.errors import Refusal
from credit7_web.settings import Settings


class Action(StrEnum):
    LOGIN = "login"
    SIGN_UP = "sign_up"
    RECOVERY = "recovery"
    QUICK_PAY = "quick_pay"
    SMS = "sms"  # an SMS code asked for: counted with the action that asks for it


PER_ADDRESS: dict[Action, RateLimitItem] = {
    action: RateLimitItemPerHour(tariff.ADDRESS_REQUESTS_PER_HOUR)
    for action in (Action.LOGIN, Action.SIGN_UP, Action.RECOVERY, Action.QUICK_PAY)
} | {Action.SMS: RateLimitItemPerHour(tariff.SMS_PER_ADDRESS_PER_HOUR)}
SMS_TOTAL = RateLimitItemPerHour(tariff.SMS_TOTAL_PER_HOUR)

# PRODUCT.md: quick-pay look-ups are bounded per client address and per phone.
QUICK_PAY_PER_ADDRESS = PER_ADDRESS[Action.QUICK_PAY]
QUICK_PAY_PER_PHONE = parse("5/hour")

FROM_ADDRESS = "Слишком много запросов с вашего адреса. Попробуйте снова через {minutes}."
SMS_BUSY = "Сейчас мы не можем отправить SMS. Попробуйте снова через {minutes}."


class Limited(Refusal):
    """Refused for now: too many requests from this address (or SMS in all)."""

    def __init__(self, template: str, reset_at: float) -> None:
        minutes = max(1, math.ceil((reset_at - time.time()) / 60))
        super().__init__({"": template.format(minutes=f"{minutes} мин.")})


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


def spend(settings: Settings, address: str, *actions: Action) -> None:
    """Count one request of each action from `address`, or raise `Limited` counting nothing
    when any of them (or the SMS total, for an SMS) is spent for this hour."""
    prefix = settings.rate_limit_prefix
    checks = [(PER_ADDRESS[a], FROM_ADDRESS, (prefix, a.value, address)) for a in actions]
    if Action.SMS in actions:
        checks.append((SMS_TOTAL, SMS_BUSY, (prefix, "sms_total")))
    for item, template, keys in checks:
        if not limiter().test(item, *keys):
            raise Limited(template, limiter().get_window_stats(item, *keys).reset_time)
    for item, _, keys in checks:
        limiter().hit(item, *keys)
