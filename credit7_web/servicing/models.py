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


class Prolongation(SQLModel, table=True):
    """One prolongation of a loan: «Дополнительное соглашение № number», signed by SMS code.

    The debt on any date follows these rows (`debt.prolongations_of`); a loan is prolonged at
    most once a day and each number once.
    """

    __table_args__ = (
        UniqueConstraint("loan_id", "number"),
        UniqueConstraint("loan_id", "business_date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    loan_id: int = Field(foreign_key="loan.id", index=True)
    number: int
    business_date: date  # the prolongation day (Moscow)
    previous_due: date
    new_due: date
    paid_kop: int  # interest and penalty to date, paid for it
    psk_percent: str = Field(max_length=12)
    created_at: NaiveDatetime
    signed_phone: str = Field(max_length=10)
    signature_code_hash: str = Field(max_length=64)


class ServiceRefusal(SQLModel, table=True):
    """A borrower's refusal of a purchased extra service and its refund, made within 7 working
    days (`refund_by`) as a ledger transaction; `refunded_at` is set when it is made."""

    __table_args__ = (UniqueConstraint("loan_id", "service"),)

    id: int | None = Field(default=None, primary_key=True)
    loan_id: int = Field(foreign_key="loan.id", index=True)
    borrower_id: int = Field(foreign_key="borrower.id", index=True)
    service: str = Field(max_length=20)
    refund_kop: int
    business_date: date  # the day of the refusal
    refund_by: date  # the seventh working day after it
    created_at: NaiveDatetime
    refunded_at: NaiveDatetime | None = Field(default=None, index=True)
    refunded_on: date | None = None


class ProlongationRequest(SQLModel, table=True):
    """A prolongation signed by SMS code and waiting for its payment (`attempt_id`): when that
    payment succeeds, the loan is extended in the same db transaction as its booking."""

    __tablename__ = "prolongation_request"

    id: int | None = Field(default=None, primary_key=True)
    attempt_id: int = Field(foreign_key="payment_attempt.id", unique=True)
    loan_id: int = Field(foreign_key="loan.id", index=True)
    number: int
    business_date: date
    amount_kop: int
    signed_phone: str = Field(max_length=10)
    signature_code_hash: str = Field(max_length=64)
    created_at: NaiveDatetime
