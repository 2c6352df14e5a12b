"""Cards, applications and loan contracts.

Datetimes are naive UTC; money is integer kopecks; phones are 10 digits.
"""

from __future__ import annotations

import json
from datetime import date
from enum import StrEnum

from pydantic import NaiveDatetime
from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel


class CardStatus(StrEnum):
    ACTIVE = "active"
    REMOVED = "removed"


class Card(SQLModel, table=True):
    """A bound bank card: the acquirer's token, the masked number and expiry — never the PAN."""

    id: int | None = Field(default=None, primary_key=True)
    borrower_id: int = Field(foreign_key="borrower.id", index=True)
    token: str = Field(max_length=64, unique=True)
    masked: str = Field(max_length=19)
    expiry_month: int
    expiry_year: int
    status: str = Field(default=CardStatus.ACTIVE, max_length=10)
    bound_at: NaiveDatetime


class BindingStatus(StrEnum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class CardBinding(SQLModel, table=True):
    """One trip to the acquirer's hosted page to bind a card, keyed by our order id."""

    id: int | None = Field(default=None, primary_key=True)
    borrower_id: int = Field(foreign_key="borrower.id", index=True)
    order_id: str = Field(max_length=40, unique=True)
    status: str = Field(default=BindingStatus.PENDING, max_length=10)
    failure: str | None = Field(default=None, max_length=200)
    card_id: int | None = Field(default=None, foreign_key="card.id")
    created_at: NaiveDatetime
    finished_at: NaiveDatetime | None = None


class ApplicationStatus(StrEnum):
    SCORING = "scoring"
    APPROVED = "approved"
    REFUSED = "refused"


class LoanApplication(SQLModel, table=True):
    """A request for a loan and the automatic decision on it, with every rule's outcome."""

    # One application in scoring per borrower, kept by the database: two workers applying at
    # once both pass the check in `apply`; the second insert fails here.
    __table_args__ = (
        Index(
            "one_scoring_application_per_borrower",
            "borrower_id",
            unique=True,
            postgresql_where=text(f"status = '{ApplicationStatus.SCORING}'"),
            sqlite_where=text(f"status = '{ApplicationStatus.SCORING}'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    borrower_id: int = Field(foreign_key="borrower.id", index=True)
    amount_kop: int
    term_days: int
    services: str = Field(default="[]", max_length=200)  # JSON list of extra service codes
    first_loan: bool
    status: str = Field(default=ApplicationStatus.SCORING, max_length=10)
    created_at: NaiveDatetime
    application_date: date
    decided_at: NaiveDatetime | None = None
    approved_amount_kop: int | None = None
    refusal_code: str | None = Field(default=None, max_length=40)
    refusal_text: str | None = Field(default=None, max_length=500)
    offer_text: str | None = Field(default=None, max_length=500)  # why less than asked
    reapply_after: date | None = None
    pdn_percent: str | None = Field(default=None, max_length=12)
    score: int | None = None
    decision_log: str = Field(default="[]")  # JSON: each rule, passed or not, and why

    @property
    def service_codes(self) -> list[str]:
        return json.loads(self.services)


class LoanStatus(StrEnum):
    AWAITING_SIGNATURE = "awaiting_signature"
    COOLING_OFF = "cooling_off"  # signed, waits out the cooling-off before the payout
    ACTIVE = "active"
    CLOSED = "closed"
    CANCELLED = "cancelled"  # refused by the borrower during the cooling-off, at no cost


OPEN_LOAN_WHERE = (
    f"status IN ('{LoanStatus.AWAITING_SIGNATURE}', '{LoanStatus.COOLING_OFF}', "
    f"'{LoanStatus.ACTIVE}')"
)


class Loan(SQLModel, table=True):
    """A contract. Debt on any date is computed from it and its operations, never stored."""

    # One open loan (to sign, or running) per borrower, kept by the database.
    __table_args__ = (
        Index(
            "one_open_loan_per_borrower",
            "borrower_id",
            unique=True,
            postgresql_where=text(OPEN_LOAN_WHERE),
            sqlite_where=text(OPEN_LOAN_WHERE),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    borrower_id: int = Field(foreign_key="borrower.id", index=True)
    application_id: int = Field(foreign_key="loanapplication.id", unique=True)
    number: str = Field(max_length=20, unique=True)
    principal_kop: int
    term_days: int
    first_loan: bool  # the promo applies
    services: str = Field(default="[]", max_length=200)
    services_kop: int = 0
    psk_percent: str = Field(max_length=12)
    psk_kop: int
    status: str = Field(default=LoanStatus.AWAITING_SIGNATURE, max_length=20)
    card_id: int = Field(foreign_key="card.id")
    created_at: NaiveDatetime
    start_date: date | None = None
    due_date: date | None = None
    original_due_date: date | None = None
    signed_at: NaiveDatetime | None = None
    # Cooling-off: no payout before this business instant (clock.business_now, naive UTC).
    disburse_after: NaiveDatetime | None = None
    signed_phone: str | None = Field(default=None, max_length=10)
    signature_code_hash: str | None = Field(default=None, max_length=64)
    closed_at: NaiveDatetime | None = None
    closed_on: date | None = None  # the business date it was paid off (Moscow)

    @property
    def service_codes(self) -> list[str]:
        return json.loads(self.services)
