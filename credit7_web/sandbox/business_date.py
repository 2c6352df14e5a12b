"""The sandbox business clock: a forward shift of the business date shared by every worker.

The shift, in days, lives in the database (SandboxSetting "clock_shift_days"), so every worker
and the reminder job see the same business date. Only `today()` moves; `now()` stays real, so
sessions and SMS codes expire as usual.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from credit7_web.clock import SystemClock
from credit7_web.errors import Refusal
from credit7_web.sandbox.models import SandboxSetting

SETTING = "clock_shift_days"
MAX_STEP_DAYS = 366


# Every event asks the business date: one column, the statement built once (cheaper than a row).
_SHIFT = select(SandboxSetting.value).where(SandboxSetting.name == SETTING)


def _parse(value: str | None) -> int:
    if value is None:
        return 0
    try:
        return max(int(value), 0)
    except ValueError:
        return 0


def shift_days(db: Session) -> int:
    """The stored shift of the business date, in days (0 when never moved)."""
    return _parse(db.connection().execute(_SHIFT).scalar())


def clock_for(db: Session) -> SystemClock:
    """The wall clock with the sandbox shift applied to the business date."""
    return SystemClock(shift_days=shift_days(db))


def _update(db: Session, change: Callable[[int], int]) -> int:
    """Set the shift to change(current) and commit; the row is locked where the database can,
    so two workers moving the clock at once add up; a lost race to create the row is retried."""
    for attempt in range(2):
        row = db.get(SandboxSetting, SETTING, with_for_update=True, populate_existing=True)
        value = change(_parse(row.value if row else None))
        if row is None:
            row = SandboxSetting(name=SETTING, value=str(value))
        else:
            row.value = str(value)
        db.add(row)
        try:
            db.commit()
        except IntegrityError:
            db.rollback()
            if attempt:
                raise
            continue
        return value
    raise AssertionError("unreachable")


def move(db: Session, days: int) -> int:
    """Move the business date forward by 1 to 366 days; returns the new total shift.

    Raises Refusal on "days" for anything else: the clock never goes back (only `reset`).
    """
    if isinstance(days, bool) or not isinstance(days, int) or not 0 < days <= MAX_STEP_DAYS:
        raise Refusal.one("days", f"Сдвиг — от 1 до {MAX_STEP_DAYS} дней вперёд")
    return _update(db, lambda current: current + days)


def reset(db: Session) -> None:
    """Back to the real date."""
    _update(db, lambda _: 0)
