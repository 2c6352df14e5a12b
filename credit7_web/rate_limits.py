"""Rate limits per client address (PRODUCT.md, «Account»), with the `limits` library.

The per-phone rules (a code a minute, five tries, the password lockout) bound what one phone
suffers; these bound what one address can do to many phones: sign-up, recovery, sign-in and
quick-pay look-ups per address, and the SMS codes asked for per address and in total. The
counts live in memory on one machine, or in Redis (REFLEX_REDIS_URL) when several workers
serve, under the key prefix of the settings (so tests and apps sharing a Redis never mix).
A refused request counts for nothing, and nothing here tells whether a phone is registered.
"""

from __future__ import annotations

import math
import time
from enum import StrEnum
from functools import cache

from limits import RateLimitItem, RateLimitItemPerHour
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

FROM_ADDRESS = "Слишком много запросов с вашего адреса. Попробуйте снова через {minutes}."
SMS_BUSY = "Сейчас мы не можем отправить SMS. Попробуйте снова через {minutes}."


class Limited(Refusal):
    """Refused for now: too many requests from this address (or SMS in all)."""

    def __init__(self, template: str, reset_at: float) -> None:
        minutes = max(1, math.ceil((reset_at - time.time()) / 60))
        super().__init__({"": template.format(minutes=f"{minutes} мин.")})


@cache
def _limiter(storage_uri: str) -> MovingWindowRateLimiter:
    return MovingWindowRateLimiter(storage_from_string(storage_uri))


def spend(settings: Settings, address: str, *actions: Action) -> None:
    """Count one request of each action from `address`, or raise `Limited` counting nothing
    when any of them (or the SMS total, for an SMS) is spent for this hour."""
    limiter = _limiter(settings.rate_limit_storage)
    prefix = settings.rate_limit_prefix
    checks = [(PER_ADDRESS[a], FROM_ADDRESS, (prefix, a.value, address)) for a in actions]
    if Action.SMS in actions:
        checks.append((SMS_TOTAL, SMS_BUSY, (prefix, "sms_total")))
    for item, template, keys in checks:
        if not limiter.test(item, *keys):
            raise Limited(template, limiter.get_window_stats(item, *keys).reset_time)
    for item, _, keys in checks:
        limiter.hit(item, *keys)
