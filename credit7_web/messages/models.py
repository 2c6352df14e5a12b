"""The messages' own records: the SMS outbox.

Datetimes are naive UTC; phones are 10 digits.
"""

from __future__ import annotations

from uuid import uuid4

from pydantic import NaiveDatetime
from sqlmodel import Field, SQLModel


class OutgoingSms(SQLModel, table=True):
    __tablename__ = "outgoing_sms"

    id: int | None = Field(default=None, primary_key=True)
    phone: str = Field(max_length=10)
    text: str = Field(max_length=500)
    # The provider's idempotency key: random, since a delivered row goes and its id may return.
    key: str = Field(default_factory=lambda: f"c7-{uuid4().hex}", max_length=40)
    created_at: NaiveDatetime
