"""When a reminder or an overdue notice may reach a borrower (230-FZ, art. 7).

At most `tariff.MESSAGES_PER_DAY` in a day, `MESSAGES_PER_WEEK` in a week and
`MESSAGES_PER_MONTH` in a month, and only within the Moscow hours of `tariff` (longer on working
days than on weekends and holidays, by `work_calendar`). The periods are read the strictest way:
any 24 hours, any 7 days, any 31 days in a row — so every calendar day, week and month keeps
the limit too, whatever reading an inspector takes. A message that may not go now waits: the
job asks again at its next run, so one due at night goes in the morning. Codes the borrower
asked for (sign-up, sign-in, payment, signature) are not such messages and are not counted.

Pure functions of instants (naive UTC, as stored); the caller supplies the instants already sent.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta

from credit7_web import tariff
from credit7_web.clock import to_moscow
from credit7_web.work_calendar import is_working_day

LIMITS: tuple[tuple[timedelta, int], ...] = (
    (timedelta(days=1), tariff.MESSAGES_PER_DAY),
    (timedelta(days=7), tariff.MESSAGES_PER_WEEK),
    (timedelta(days=31), tariff.MESSAGES_PER_MONTH),  # the longest month fits in it
)
LONGEST = max(span for span, _ in LIMITS)


def hours_on(day_is_working: bool) -> tuple[time, time]:
    return tariff.MESSAGE_HOURS_WORKING_DAY if day_is_working else tariff.MESSAGE_HOURS_DAY_OFF


def in_hours(instant: datetime) -> bool:
    """Whether Moscow's wall clock at `instant` is within the hours messages may go."""
    local = to_moscow(instant)
    start, end = hours_on(is_working_day(local.date()))
    return start <= local.time() < end


def within_limits(sent: Sequence[datetime], instant: datetime) -> bool:
    """Whether one more message at `instant` keeps every period within its limit."""
    return all(
        sum(1 for s in sent if instant - span < s <= instant) < limit for span, limit in LIMITS
    )


def may_send(sent: Sequence[datetime], instant: datetime) -> bool:
    return in_hours(instant) and within_limits(sent, instant)
