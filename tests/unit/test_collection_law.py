"""230-FZ: reminders and overdue notices stay within 2 a day, 4 a week and 16 a month, and within
the Moscow hours (08:00–22:00 on working days, 09:00–20:00 on days off) — checked over a year."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from itertools import count

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select

from credit7_web import tariff
from credit7_web.clock import FixedClock, to_moscow
from credit7_web.lender import SANDBOX_LENDER
from credit7_web.lending.models import LoanStatus
from credit7_web.messages import collection_law
from credit7_web.sandbox.models import SmsMessage
from credit7_web.servicing import reminders
from credit7_web.servicing.models import Reminder
from credit7_web.work_calendar import is_working_day
from tests.jobs import instant_sms
from tests.unit.test_reminders import make_loan

START = datetime(2026, 11, 24, 11, 0)  # 14:00 in Moscow
YEAR = timedelta(days=365)
DAY, WEEK = timedelta(days=1), timedelta(days=7)


def breaches(sent: Iterable[datetime]) -> list[str]:
    """Every way these sending instants (naive UTC) break the law, read every way it is read."""
    times = sorted(sent)
    found = []
    for t in times:
        local = to_moscow(t)
        working = local.weekday() < 5 and is_working_day(local.date())
        start, end = (8, 22) if working else (9, 20)
        if not start <= local.hour < end:
            found.append(f"{local:%d.%m.%Y %H:%M} is outside {start}:00–{end}:00")
    # Rolling: any 24 hours, any 7 days, any 31 days (so any calendar month) ending at a message.
    for span, limit in (
        (DAY, tariff.MESSAGES_PER_DAY),
        (WEEK, tariff.MESSAGES_PER_WEEK),
        (timedelta(days=31), tariff.MESSAGES_PER_MONTH),
    ):
        for t in times:
            count = sum(1 for s in times if t - span < s <= t)
            if count > limit:
                found.append(f"{count} within {span} up to {to_moscow(t):%d.%m.%Y %H:%M}")
    # Calendar: a Moscow day, a week from Monday, a month.
    local_dates = [to_moscow(t).date() for t in times]
    for key, limit in (
        (lambda d: d, tariff.MESSAGES_PER_DAY),
        (lambda d: d.isocalendar()[:2], tariff.MESSAGES_PER_WEEK),
        (lambda d: (d.year, d.month), tariff.MESSAGES_PER_MONTH),
    ):
        found += [f"{n} in {k}" for k, n in Counter(map(key, local_dates)).items() if n > limit]
    return found


def test_the_checker_sees_a_breach() -> None:
    """The property below would pass vacuously if `breaches` saw nothing."""
    daily_noon = [START + DAY * n for n in range(7)]
    assert breaches(daily_noon[:4]) == []
    assert any("within 7 days" in b for b in breaches(daily_noon[:5]))
    assert breaches([START.replace(hour=20)])  # 23:00 in Moscow
    assert breaches([START, START + timedelta(hours=1), START + timedelta(hours=2)])


@settings(max_examples=200, deadline=None)
@given(
    gaps=st.lists(
        st.integers(min_value=1, max_value=3 * 24 * 60), min_size=1, max_size=1500
    ).filter(lambda g: sum(g) <= YEAR.total_seconds() // 60)
)
def test_the_gate_never_lets_a_limit_break(gaps: list[int]) -> None:
    """Whatever asks to send, whenever (minutes apart, over up to a year), what the gate lets
    through keeps every limit and the hours."""
    sent: list[datetime] = []
    instant = START
    for minutes in gaps:
        instant += timedelta(minutes=minutes)
        if collection_law.may_send(sent, instant):
            sent.append(instant)
    assert breaches(sent) == []


PHONES = count(9_100_000_000)


def run_for(db: Session, clock: FixedClock, gaps: Iterable[int], until: datetime) -> list[datetime]:
    """A fresh borrower's loan overdue from the start; the job runs after each gap (minutes)
    until `until`; returns when notices went, after checking each reached the phone."""
    phone = str(next(PHONES))
    loan = make_loan(db, clock, due_in=-1, phone=phone)
    for minutes in gaps:
        clock.advance(timedelta(minutes=minutes))
        if clock.now() > until:
            break
        reminders.send_due_reminders(db, clock, SANDBOX_LENDER, instant_sms(db, clock))
    sent = list(db.exec(select(Reminder.sent_at).where(Reminder.loan_id == loan.id)))
    got = list(db.exec(select(SmsMessage.created_at).where(SmsMessage.phone == phone)))
    assert sorted(got) == sorted(sent)  # every notice counted is one the borrower got
    loan.status = LoanStatus.CLOSED  # out of the way of the next example's runs
    db.add(loan)
    db.commit()
    return sent


@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    gaps=st.lists(st.integers(min_value=5, max_value=36 * 60), min_size=250, max_size=1200),
    start_hour=st.integers(min_value=0, max_value=23),
)
def test_a_year_of_a_long_overdue_loan_keeps_every_limit(
    db: Session, gaps: list[int], start_hour: int
) -> None:
    """A loan overdue from the first day, never paid; the job runs at irregular times (5 minutes
    to a day and a half apart) for up to a year. A notice is due every overdue day: only the
    law holds them back."""
    clock = FixedClock(START.replace(hour=start_hour))
    sent = run_for(db, clock, gaps, clock.now() + YEAR)
    assert breaches(sent) == []


def test_a_job_running_all_month_sends_what_the_law_allows(db: Session) -> None:
    clock = FixedClock(START)
    sent = run_for(db, clock, [30] * (31 * 48), START + timedelta(days=31))
    assert breaches(sent) == []
    days = sorted(to_moscow(t).date() - START.date() for t in sent)
    assert [d.days for d in days[:5]] == [0, 1, 2, 3, 7]  # four in a week, then the week rolls on
    assert len(sent) == tariff.MESSAGES_PER_MONTH


def test_the_calendar_knows_2026_and_2027() -> None:
    off_weekdays = [date(2026, 1, 9), date(2026, 3, 9), date(2026, 5, 11), date(2026, 12, 31)]
    off_weekdays += [date(2027, 1, 8), date(2027, 5, 3), date(2027, 6, 14), date(2027, 11, 5)]
    assert not any(is_working_day(d) for d in off_weekdays)
    working = [date(2026, 1, 12), date(2026, 11, 24), date(2027, 1, 11), date(2027, 3, 9)]
    assert all(is_working_day(d) for d in working)
    assert not is_working_day(date(2026, 11, 28))  # a Saturday


def test_a_year_not_listed_still_keeps_the_holidays() -> None:
    assert not is_working_day(date(2030, 1, 3))
    assert not is_working_day(date(2030, 6, 12))
    assert is_working_day(date(2030, 6, 11))
