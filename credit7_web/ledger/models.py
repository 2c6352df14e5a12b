"""The money history of a borrower: what they see, and what debt is computed from.

Datetimes are naive UTC; money is integer kopecks.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import NaiveDatetime
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
