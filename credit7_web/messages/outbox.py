"""The SMS outbox: a message is a row written in the business transaction, and a job delivers
it only after that transaction commits. A step that rolls back sends nothing; a crash between
the commit and the delivery loses nothing (the sweep finds the row); a delivery retried after
a crash sends nothing twice (the row goes in the delivery's transaction, and the provider gets
an idempotency key). Only messages still to go are kept: a phone leaves no trace here once
its message is out (an erased account's last SMS included).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial

from sqlmodel import Session, col, select

from credit7_web.clock import Clock
from credit7_web.db import after_commit
from credit7_web.gateways.sms import SmsSender
from credit7_web.messages.models import OutgoingSms

# A message this old and still waiting lost its job (a crash, a queue that was down): sweep it.
SWEEP_AFTER = timedelta(seconds=30)


class Outbox:
    """The domain's SMS gateway: `send` writes a row; `dispatch(id)` starts its delivery after
    the commit."""

    def __init__(self, db: Session, clock: Clock, dispatch: Callable[[int], None]) -> None:
        self.db = db
        self.clock = clock
        self.dispatch = dispatch

    def send(self, phone: str, text: str) -> None:
        row = OutgoingSms(phone=phone, text=text, created_at=self.clock.now())
        self.db.add(row)
        self.db.flush()
        after_commit(self.db, partial(self.dispatch, row.id or 0))


def deliver(db: Session, sender: SmsSender, sms_id: int) -> bool:
    """Hand one message to the provider, once; False when it is gone already (or unknown)."""
    row = db.exec(select(OutgoingSms).where(OutgoingSms.id == sms_id).with_for_update()).first()
    if row is None:
        db.rollback()
        return False
    sender.deliver(row.phone, row.text, row.key)
    db.delete(row)
    db.commit()
    return True


def undelivered(db: Session, written_before: datetime | None = None) -> list[int]:
    """Messages still waiting, oldest first; `written_before` leaves the newest to their job."""
    query = select(OutgoingSms.id)
    if written_before is not None:
        query = query.where(OutgoingSms.created_at < written_before)
    return [i for i in db.exec(query.order_by(col(OutgoingSms.id))) if i is not None]
