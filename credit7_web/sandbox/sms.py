"""The sandbox SMS provider: each delivered message lands in a list a person or a test can read."""

from __future__ import annotations

from sqlmodel import Session, col, select

from credit7_web.clock import Clock
from credit7_web.sandbox.models import SmsMessage


class SandboxSms:
    """Delivers into the caller's transaction, so the outbox row is marked sent in the same
    commit; a key seen before delivers nothing, as a real provider's idempotency key would."""

    def __init__(self, db: Session, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def deliver(self, phone: str, text: str, key: str) -> None:
        if self.db.exec(select(SmsMessage.id).where(SmsMessage.key == key)).first() is None:
            self.db.add(SmsMessage(phone=phone, text=text, key=key, created_at=self.clock.now()))


def outbox(db: Session, limit: int = 50, phone: str | None = None) -> list[SmsMessage]:
    """The newest sandbox messages first."""
    query = select(SmsMessage).order_by(col(SmsMessage.id).desc()).limit(limit)
    if phone:
        query = query.where(SmsMessage.phone == phone)
    return list(db.exec(query))
