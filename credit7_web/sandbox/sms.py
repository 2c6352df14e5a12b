"""The sandbox SMS gateway: each message lands in an outbox a person or a test can read."""

from __future__ import annotations

from sqlmodel import Session, col, select

from credit7_web.clock import Clock
from credit7_web.sandbox.models import SmsMessage


class SandboxSms:
    """Writes to the outbox within the caller's transaction: no message for a rolled-back step."""

    def __init__(self, db: Session, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def send(self, phone: str, text: str) -> None:
        self.db.add(SmsMessage(phone=phone, text=text, created_at=self.clock.now()))


def outbox(db: Session, limit: int = 50, phone: str | None = None) -> list[SmsMessage]:
    """The newest sandbox messages first."""
    query = select(SmsMessage).order_by(col(SmsMessage.id).desc()).limit(limit)
    if phone:
        query = query.where(SmsMessage.phone == phone)
    return list(db.exec(query))
