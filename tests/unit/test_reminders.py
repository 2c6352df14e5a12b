from __future__ import annotations

import secrets
import threading
import time as time_module
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from credit7_web import wiring
from credit7_web.clock import FixedClock
from credit7_web.identity.models import Borrower, BorrowerStatus
from credit7_web.lender import SANDBOX_LENDER
from credit7_web.lending.models import Card, Loan, LoanApplication, LoanStatus
from credit7_web.messages.outbox import Outbox
from credit7_web.money import rub
from credit7_web.sandbox import business_date
from credit7_web.sandbox.models import SmsMessage
from credit7_web.sandbox.sms import outbox
from credit7_web.servicing import booking, reminders
from credit7_web.servicing.models import Reminder
from tests.jobs import instant_sms
from web import jobs

PHONE = "9001234567"
RUB = 100


def make_loan(
    db: Session,
    clock: FixedClock,
    due_in: int,
    term: int = 20,
    principal: int = 10_000 * RUB,
    first_loan: bool = False,
    status: str = LoanStatus.ACTIVE,
    phone: str = PHONE,
) -> Loan:
    """A disbursed loan whose due date is `due_in` days from the clock's business date."""
    now = clock.now()
    borrower = db.exec(select(Borrower).where(Borrower.phone == phone)).first()
    if borrower is None:
        borrower = Borrower(
            phone=phone,
            password_hash="x",
            status=BorrowerStatus.ACTIVE,
            pd_consent_at=now,
            created_at=now,
            password_changed_at=now,
        )
        db.add(borrower)
        db.flush()
    due = clock.today() + timedelta(days=due_in)
    start = due - timedelta(days=term)
    application = LoanApplication(
        borrower_id=borrower.id,
        amount_kop=principal,
        term_days=term,
        first_loan=first_loan,
        status="signed",
        created_at=now,
        application_date=start,
    )
    card = Card(
        borrower_id=borrower.id,
        token=f"tok-{phone}-{due_in}-{status}",
        masked="2200 00** **** 0004",
        expiry_month=12,
        expiry_year=2030,
        bound_at=now,
    )
    db.add(application)
    db.add(card)
    db.flush()
    loan = Loan(
        borrower_id=borrower.id,
        application_id=application.id,
        number=f"C7-{application.id:06d}",
        principal_kop=principal,
        term_days=term,
        first_loan=first_loan,
        psk_percent="292.000",
        psk_kop=0,
        status=status,
        card_id=card.id,
        created_at=now,
        start_date=start,
        due_date=due,
        original_due_date=due,
    )
    db.add(loan)
    db.commit()
    return loan


def pay(db: Session, clock: FixedClock, loan: Loan, amount: int) -> None:
    key = f"pay-{secrets.token_hex(8)}"
    booking.book_payment(db, clock, loan, amount, key=key, description="Погашение")
    db.commit()


def run(db: Session, clock: FixedClock) -> int:
    return reminders.send_due_reminders(db, clock, SANDBOX_LENDER, instant_sms(db, clock))


def texts(db: Session) -> list[str]:
    return [m.text for m in reversed(outbox(db))]


def kinds(db: Session) -> list[str]:
    return [r.kind for r in db.exec(select(Reminder).order_by(Reminder.id))]


def next_day(clock: FixedClock, days: int = 1) -> None:
    clock.advance(timedelta(days=days))


# ----------------------------------------------------------------------------- the three reminders


def test_each_reminder_once_on_its_day(db: Session, clock: FixedClock) -> None:
    loan = make_loan(db, clock, due_in=5)
    due = loan.due_date
    assert due is not None
    sent_on: dict[date, int] = {}
    for _ in range(10):  # from 5 days before the due date to 4 days after it
        sent_on[clock.today()] = run(db, clock)
        assert run(db, clock) == 0  # a second run the same day sends nothing new
        next_day(clock)
    # A notice each overdue day, until the fourth message of seven days holds one back.
    assert {d for d, n in sent_on.items() if n} == {
        due - timedelta(days=3),
        due - timedelta(days=1),
        due + timedelta(days=1),
        due + timedelta(days=2),
        due + timedelta(days=4),
    }
    assert sum(sent_on.values()) == 5
    assert kinds(db) == [
        reminders.BEFORE_3,
        reminders.BEFORE_1,
        reminders.OVERDUE_1,
        "overdue_2",
        "overdue_4",
    ]

    before_3, before_1, overdue, *_ = texts(db)
    eleven_600 = rub(11_600 * RUB)
    assert "через 3 дня" in before_3 and eleven_600 in before_3
    assert "завтра" in before_1 and eleven_600 in before_1
    for text in texts(db):
        # 230-FZ: every message names the lender and its official phone.
        assert text.startswith(SANDBOX_LENDER.name + ":")
        assert f"Телефон кредитора: {SANDBOX_LENDER.hotline}" in text
        assert loan.number in text
        assert due.strftime("%d.%m.%Y") in text
        assert len(text) <= 500
    # First overdue day: 1 680 ₽ of interest and a 5,47 ₽ penalty (547.9… kop rounded down).
    assert rub(10_000 * RUB + 1_680 * RUB + 547) in overdue
    assert "неустойка" in overdue and "20 %" in overdue
    assert all(m.phone == PHONE for m in outbox(db))


def test_promo_loan_reminds_of_the_principal(db: Session, clock: FixedClock) -> None:
    make_loan(db, clock, due_in=3, first_loan=True)
    assert run(db, clock) == 1
    assert rub(10_000 * RUB) + "." in texts(db)[0]


def test_a_reminder_due_at_night_waits_for_the_morning(db: Session, clock: FixedClock) -> None:
    # 23:50 in Moscow on the day before the due date: too late to write.
    clock.instant = datetime(2026, 11, 24, 20, 50)
    make_loan(db, clock, due_in=1)
    assert run(db, clock) == 0
    clock.instant = datetime(2026, 11, 25, 4, 59)  # 07:59 on a working day: still too early
    assert run(db, clock) == 0
    clock.instant = datetime(2026, 11, 25, 5, 0)  # 08:00
    assert run(db, clock) == 1
    assert kinds(db) == [reminders.BEFORE_1]
    assert "сегодня" in texts(db)[0]


def test_the_hours_are_moscows_not_utcs(db: Session, clock: FixedClock) -> None:
    # 21:30 UTC would be within the hours in UTC; in Moscow it is 00:30 of the next day.
    clock.instant = datetime(2026, 11, 24, 21, 30)
    assert clock.today() == date(2026, 11, 25)
    make_loan(db, clock, due_in=3)
    assert run(db, clock) == 0
    clock.instant = datetime(2026, 11, 25, 6, 0)  # 09:00 in Moscow, the same Moscow date
    assert run(db, clock) == 1
    assert "через 3 дня" in texts(db)[0]


def test_a_day_off_keeps_shorter_hours(db: Session, clock: FixedClock) -> None:
    # 04.11.2026, a Wednesday, is a holiday: 09:00–20:00, not 08:00–22:00.
    clock.instant = datetime(2026, 11, 4, 5, 30)  # 08:30 in Moscow
    make_loan(db, clock, due_in=3)
    assert run(db, clock) == 0
    clock.instant = datetime(2026, 11, 4, 17, 30)  # 20:30
    assert run(db, clock) == 0
    clock.instant = datetime(2026, 11, 4, 16, 59)  # 19:59
    assert run(db, clock) == 1


def test_a_day_missed_is_caught_up_without_a_stale_reminder(db: Session, clock: FixedClock) -> None:
    make_loan(db, clock, due_in=2)  # the 3-days reminder day passed without a run
    assert run(db, clock) == 1
    assert kinds(db) == [reminders.BEFORE_3]
    assert "через 2 дня" in texts(db)[0]
    next_day(clock, 10)  # the clock jumps past the due date: only today's overdue notice
    assert run(db, clock) == 1
    assert kinds(db) == [reminders.BEFORE_3, "overdue_8"]


def test_nothing_outside_the_windows(db: Session, clock: FixedClock) -> None:
    make_loan(db, clock, due_in=4)
    make_loan(db, clock, due_in=10, phone="9001112233")
    assert run(db, clock) == 0
    assert db.exec(select(SmsMessage)).first() is None


def test_two_loans_two_reminders(db: Session, clock: FixedClock) -> None:
    make_loan(db, clock, due_in=3)
    make_loan(db, clock, due_in=-1, phone="9001112233")
    assert run(db, clock) == 2
    assert sorted(kinds(db)) == [reminders.BEFORE_3, reminders.OVERDUE_1]


# ----------------------------------------------------------------------------- closed loans


@pytest.mark.parametrize("due_in", [3, 1, -1])
def test_none_for_closed_loans(db: Session, clock: FixedClock, due_in: int) -> None:
    make_loan(db, clock, due_in=due_in, status=LoanStatus.CLOSED)
    make_loan(db, clock, due_in=due_in, status=LoanStatus.AWAITING_SIGNATURE, phone="9001112233")
    assert run(db, clock) == 0
    assert kinds(db) == []


def test_none_once_fully_paid(db: Session, clock: FixedClock) -> None:
    loan = make_loan(db, clock, due_in=5)
    pay(db, clock, loan, 10_000 * RUB + 15 * 80 * RUB)  # 15 days used
    for _ in range(10):
        assert run(db, clock) == 0
        next_day(clock)
    assert outbox(db) == []


def test_partly_paid_loan_reminds_of_the_rest(db: Session, clock: FixedClock) -> None:
    loan = make_loan(db, clock, due_in=3)
    pay(db, clock, loan, 5_000 * RUB)  # 1 360 ₽ of interest, 3 640 ₽ of principal
    assert run(db, clock) == 1
    # 6 360 ₽ left, then 3 days at 50,88 ₽.
    assert rub(6_360 * RUB + 3 * 5_088) in texts(db)[0]


# ----------------------------------------------------------------------------- two workers


def test_unique_key_stops_a_second_worker(
    engine: Engine, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Session(engine) as db:
        make_loan(db, clock, due_in=3)
    # The second worker looked before the first committed: only the unique key can stop it.
    monkeypatch.setattr(reminders, "_already_sent", lambda *args: False)
    with Session(engine) as first, Session(engine) as second:
        assert run(first, clock) == 1
        assert run(second, clock) == 0
    with Session(engine) as db:
        assert len(outbox(db)) == 1
        assert kinds(db) == [reminders.BEFORE_3]


def test_command_prints_the_count(
    engine: Engine, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The command runs on the wall clock; the hours messages may go are tested above.
    monkeypatch.setattr(reminders.collection_law, "in_hours", lambda _: True)
    with Session(engine) as db:
        business_date.move(db, 40)  # the command reads the shared sandbox business clock
        today = business_date.clock_for(db).today()
        make_loan(db, FixedClock(datetime.combine(today, time(9))), due_in=3)
    wiring.use_engine(engine)
    try:
        jobs.main()
        first = capsys.readouterr().out
        jobs.main()
        second = capsys.readouterr().out
    finally:
        wiring.use_engine(None)
    assert first.split() == ["Напоминаний", "отправлено:", "1"]
    assert second.split() == ["Напоминаний", "отправлено:", "0"]


def test_two_workers_at_once_send_one_sms(engine: Engine, clock: FixedClock) -> None:
    """Worker B looks while A holds the uncommitted Reminder row: B's insert waits, then fails."""
    with Session(engine) as db:
        make_loan(db, clock, due_in=3)
    a_sending = threading.Event()

    def slow_sms(db: Session, clock: FixedClock) -> Outbox:
        sms = instant_sms(db, clock)
        send = sms.send

        def slowly(phone: str, text: str) -> None:
            send(phone, text)
            a_sending.set()
            time_module.sleep(0.5)  # B runs its check and insert meanwhile

        sms.send = slowly  # type: ignore[method-assign]
        return sms

    results: dict[str, int] = {}

    def worker(name: str, gateway: Callable[[Session, FixedClock], Outbox]) -> None:
        with Session(engine) as db:
            results[name] = reminders.send_due_reminders(
                db, clock, SANDBOX_LENDER, gateway(db, clock)
            )

    a = threading.Thread(target=worker, args=("a", slow_sms))
    a.start()
    assert a_sending.wait(10)
    b = threading.Thread(target=worker, args=("b", instant_sms))
    b.start()
    a.join(20)
    b.join(20)
    assert results == {"a": 1, "b": 0}
    with Session(engine) as db:
        assert len(outbox(db)) == 1
