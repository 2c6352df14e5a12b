"""The Russian production calendar: which days are working days and which are days off.

230-FZ allows messages to borrowers in longer hours on working days than on weekends and
holidays, so this calendar decides how early a reminder may go. Holidays that fall on a
weekend move to another day by the Labour Code (art. 112) or by a Government decree issued
every autumn for the next year; the moved days are listed here year by year and nowhere else.
Extend `DAYS_OFF` when the next decree is published. Where a year is not listed, or a transfer
is not yet certain, the calendar errs towards a day off: shorter hours are the safe side of
the law.
"""

from __future__ import annotations

from datetime import date, timedelta

# Holidays of the Labour Code, art. 112 (day.month).
HOLIDAYS = "01.01 02.01 03.01 04.01 05.01 06.01 07.01 08.01 23.02 08.03 01.05 09.05 12.06 04.11"


def _days(year: int, days: str) -> frozenset[date]:
    """'01.01 23.02' -> those days of `year`."""
    return frozenset(
        date(year, int(month), int(day)) for day, month in (d.split(".") for d in days.split())
    )


# Days off that fall from Monday to Friday: holidays and the days off moved onto weekdays.
DAYS_OFF: dict[int, frozenset[date]] = {
    # Decree of 24.09.2025: 3 and 4 January moved to 9 January and 31 December; 8 March and
    # 9 May fall on a weekend and move to the next Monday (art. 112).
    2026: _days(
        2026, "01.01 02.01 05.01 06.01 07.01 08.01 09.01 23.02 09.03 01.05 11.05 12.06 04.11 31.12"
    ),
    # 2027 as drafted: the New Year days off until 10 January, 1 May, 9 May and 12 June fall on
    # a weekend and move to the next Monday, 5 November is a day off. The draft's working
    # Saturday (13 November) stays a day off here, and 31 December is taken as a day off (as
    # every recent year): both the stricter side until the decree is published.
    2027: _days(
        2027, "01.01 04.01 05.01 06.01 07.01 08.01 23.02 08.03 03.05 10.05 14.06 04.11 05.11 31.12"
    ),
}


def _statutory_days_off(year: int) -> frozenset[date]:
    """A year without a listed decree: the holidays, and the Monday after one on a weekend."""
    holidays = _days(year, HOLIDAYS)
    moved = {d + timedelta(days=7 - d.weekday()) for d in holidays if d.weekday() >= 5}
    return holidays | moved


def is_working_day(day: date) -> bool:
    if day.weekday() >= 5:
        return False
    days_off = DAYS_OFF.get(day.year)
    if days_off is None:
        days_off = _statutory_days_off(day.year)
    return day not in days_off


def working_days_after(day: date, count: int) -> date:
    """The `count`-th working day after `day` (a refund due "within 7 working days")."""
    while count > 0:
        day += timedelta(days=1)
        count -= is_working_day(day)
    return day
