"""The SMS outbox: a message leaves only after its transaction commits, and once."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import Session, select

from credit7_web.clock import FixedClock
from credit7_web.messages import outbox
from credit7_web.messages.models import OutgoingSms
from credit7_web.messages.outbox import Outbox
from credit7_web.sandbox.models import SmsMessage
from credit7_web.sandbox.sms import SandboxSms

PHONE = "9161234567"


def rows(engine: Engine, model: type) -> list:
    with Session(engine) as s:
        return list(s.exec(select(model)))


def test_a_message_waits_for_the_commit_and_a_rolled_back_one_never_goes(
    engine: Engine, db: Session, clock: FixedClock
) -> None:
    started: list[int] = []
    sms = Outbox(db, clock, started.append)
    sms.send(PHONE, "откат")
    db.rollback()
    assert started == [] and rows(engine, OutgoingSms) == []

    sms.send(PHONE, "первое")
    assert started == []  # written, not yet committed: no job
    db.commit()
    [waiting] = rows(engine, OutgoingSms)
    assert started == [waiting.id]
    assert outbox.undelivered(db) == [waiting.id]


def test_a_delivery_run_twice_sends_one_message(
    engine: Engine, db: Session, clock: FixedClock
) -> None:
    Outbox(db, clock, lambda _: None).send(PHONE, "код 123456")
    db.commit()
    [sms_id] = outbox.undelivered(db)
    for _ in range(2):  # a job retried after a crash, the sweep at the same time
        with Session(engine) as s:
            outbox.deliver(s, SandboxSms(s, clock), sms_id)
    assert [(m.phone, m.text) for m in rows(engine, SmsMessage)] == [(PHONE, "код 123456")]
    assert rows(engine, OutgoingSms) == []


def test_the_provider_ignores_a_key_it_has_delivered(
    engine: Engine, db: Session, clock: FixedClock
) -> None:
    sender = SandboxSms(db, clock)
    sender.deliver(PHONE, "раз", "c7-key")
    db.commit()
    sender.deliver(PHONE, "раз", "c7-key")
    db.commit()
    assert len(rows(engine, SmsMessage)) == 1
