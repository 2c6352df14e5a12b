"""The reminders sent about a loan.

Datetimes are naive UTC; money is integer kopecks; phones are 10 digits.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

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


class PaymentStatus(StrEnum):
    PENDING = "pending"  # the acquirer's order is open: the payer is on its page, or we must ask
    SUCCEEDED = "succeeded"  # charged and posted to the ledger
    FAILED = "failed"


class PaymentAttempt(SQLModel, table=True):
    """One try to pay towards a loan through the acquirer. `key` is made by the payer's page
    before anything is sent: a double click, a retry or a reconnect brings the same key, and the
    unique constraint makes it this same attempt."""

    __tablename__ = "payment_attempt"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=64, unique=True)
    order_id: str = Field(max_length=40, unique=True)
    borrower_id: int = Field(foreign_key="borrower.id", index=True)
    loan_id: int = Field(foreign_key="loan.id", index=True)
    purpose: str = Field(default="payment", max_length=20)
    channel: str = Field(max_length=10)  # "cabinet" or "quick"
    amount_kop: int
    card_id: int | None = Field(default=None, foreign_key="card.id")
    status: str = Field(default=PaymentStatus.PENDING, max_length=10, index=True)
    failure: str | None = Field(default=None, max_length=200)
    pay_url: str = Field(max_length=300)
    created_at: NaiveDatetime
    finished_at: NaiveDatetime | None = None
    transaction_id: int | None = Field(default=None, foreign_key="ledger_transaction.id")
