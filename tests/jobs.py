"""Jobs run synchronously for domain tests: what the worker would do, right after the commit."""

from __future__ import annotations

from sqlmodel import Session

from credit7_web.clock import Clock
from credit7_web.messages import outbox
from credit7_web.messages.outbox import Outbox
from credit7_web.sandbox.sms import SandboxSms


def instant_sms(db: Session, clock: Clock) -> Outbox:
    """The outbox, its delivery job run as soon as the writing transaction commits."""
    engine = db.get_bind()

    def deliver_now(sms_id: int) -> None:
        with Session(engine) as s:
            outbox.deliver(s, SandboxSms(s, clock), sms_id)

    return Outbox(db, clock, deliver_now)


def held_sms(db: Session, clock: Clock) -> Outbox:
    """The outbox, its messages left waiting for the worker's sweep: for racing threads, where a
    delivery right after each commit would need a second connection per thread."""
    return Outbox(db, clock, lambda _sms_id: None)


class NoJobs:
    """Jobs that wait: a test runs the decision itself, when it wants it."""

    def deliver_sms(self, sms_id: int) -> None:
        pass

    def decide(self, application_id: int) -> None:
        pass
