"""The reminders sent about a loan.

Datetimes are naive UTC; money is integer kopecks; phones are 10 digits.
"""

from __future__ import annotations

from datetime import date

from pydantic import NaiveDatetime
from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class Reminder(SQLModel, table=True):
    """An SMS reminder sent once for one loan, kind and due date (the unique key enforces once)."""

    __table_args__ = (UniqueConstraint("loan_id", "kind", "due_date"),)

    id: int | None = Field(default=None, primary_key=True)
    loan_id: int = Field(foreign_key="loan.id", index=True)
    kind: str = Field(max_length=20)
    due_date: date
    sent_at: NaiveDatetime
