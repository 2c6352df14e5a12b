"""The money history of a loan and the reminders sent about it.

Datetimes are naive UTC; money is integer kopecks; phones are 10 digits.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import NaiveDatetime
from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class OperationKind(StrEnum):
    CARD_CHECK = "card_check"
    CARD_CHECK_REFUND = "card_check_refund"
    DISBURSEMENT = "disbursement"
    PAYMENT = "payment"


class Operation(SQLModel, table=True):
    """The history of money: what the borrower sees, and what debt is computed from."""

    id: int | None = Field(default=None, primary_key=True)
    borrower_id: int = Field(foreign_key="borrower.id", index=True)
    loan_id: int | None = Field(default=None, foreign_key="loan.id", index=True)
    kind: str = Field(max_length=20)
    amount_kop: int
    business_date: date
    created_at: NaiveDatetime
    description: str = Field(max_length=200)
    external_id: str | None = Field(default=None, max_length=64, unique=True)


class Reminder(SQLModel, table=True):
    """An SMS reminder sent once for one loan, kind and due date (the unique key enforces once)."""

    __table_args__ = (UniqueConstraint("loan_id", "kind", "due_date"),)

    id: int | None = Field(default=None, primary_key=True)
    loan_id: int = Field(foreign_key="loan.id", index=True)
    kind: str = Field(max_length=20)
    due_date: date
    sent_at: NaiveDatetime
