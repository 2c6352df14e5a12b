"""The business clock: every service gets one, so tests and the sandbox can set the time.

`now()` is the real instant (naive UTC, as stored in the database) and drives expiries of
codes and sessions; `today()` is the business date in Moscow and drives loan dates. The
sandbox may move `today()` forward without touching session or code expiry.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

MOSCOW = ZoneInfo("Europe/Moscow")


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant as a naive UTC datetime."""
        ...

    def today(self) -> date:
        """The business date in Moscow."""
        ...


def to_moscow(instant_utc: datetime) -> datetime:
    """A naive UTC instant as Moscow wall-clock time."""
    return instant_utc.replace(tzinfo=UTC).astimezone(MOSCOW)


def moscow_date(instant_utc: datetime) -> date:
    """The Moscow calendar date of a naive UTC instant."""
    return to_moscow(instant_utc).date()


def business_now(clock: Clock) -> datetime:
    """The instant on the business calendar: `now()` moved by as many days as the business date
    is ahead of the real one (none outside the sandbox). Business waits measured in hours, like
    the cooling-off before a payout, follow the sandbox clock with it."""
    ahead = clock.today() - moscow_date(clock.now())
    return clock.now() + timedelta(days=ahead.days)


class SystemClock:
    """Wall-clock time; `shift_days` moves only the business date (sandbox)."""

    def __init__(self, shift_days: int = 0) -> None:
        self.shift_days = shift_days

    def now(self) -> datetime:
        return datetime.now(UTC).replace(tzinfo=None)

    def today(self) -> date:
        return moscow_date(self.now()) + timedelta(days=self.shift_days)


class FixedClock:
    """A clock that stands still until told to move: for tests."""

    def __init__(self, instant_utc: datetime) -> None:
        self.instant = instant_utc

    def now(self) -> datetime:
        return self.instant

    def today(self) -> date:
        return moscow_date(self.instant)

    def advance(self, delta: timedelta) -> None:
        self.instant += delta
