"""The double-entry ledger's tables: transactions and their postings, both append-only.

Datetimes are naive UTC; money is integer kopecks. A posting's amount is signed: a debit is
positive, a credit negative, so the postings of every transaction sum to zero. The database
refuses UPDATE and DELETE on both tables (triggers in migration 0006_ledger): a correction is a
new, reversing transaction.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import NaiveDatetime
from sqlmodel import Field, SQLModel


class Account(StrEnum):
    """The named accounts. The first four are the borrower's receivables on one loan."""

    PRINCIPAL = "principal"
    INTEREST = "interest"
    PENALTY = "penalty"
    SERVICES = "services"
    ACQUIRER = "acquirer"  # the acquirer's settlement account: money on its way in or out
    INTEREST_INCOME = "interest_income"
    PENALTY_INCOME = "penalty_income"
    SERVICES_INCOME = "services_income"
    CARD_CHECKS = "card_checks"  # verification charges held until they are returned
    OVERPAYMENT = "overpayment"  # paid beyond the debt, owed back to the payer


RECEIVABLES = (Account.PRINCIPAL, Account.INTEREST, Account.PENALTY, Account.SERVICES)


class Kind(StrEnum):
    """What moved the money; every kind but ACCRUAL is shown in the borrower's operations."""

    DISBURSEMENT = "disbursement"
    CARD_CHECK = "card_check"
    CARD_CHECK_REFUND = "card_check_refund"
    PAYMENT = "payment"
    OVERPAYMENT_REFUND = "overpayment_refund"
    ACCRUAL = "accrual"  # interest and penalty accrued to a date: bookkeeping, not an operation
    PROLONGATION = "prolongation"
    SERVICE_REFUND = "service_refund"
    REVERSAL = "reversal"


class LedgerTransaction(SQLModel, table=True):
    """One money movement. `amount_kop` is what the borrower sees in the operations (signed:
    + to the borrower, − from them); the postings say where the money went."""

    __tablename__ = "ledger_transaction"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=80, unique=True)  # idempotency: one transaction per key
    kind: str = Field(max_length=20)
    borrower_id: int = Field(foreign_key="borrower.id", index=True)
    loan_id: int | None = Field(default=None, foreign_key="loan.id", index=True)
    business_date: date
    created_at: NaiveDatetime
    amount_kop: int
    description: str = Field(max_length=200)
    external_id: str | None = Field(default=None, max_length=64, unique=True)  # acquirer order
    reverses_id: int | None = Field(default=None, foreign_key="ledger_transaction.id", unique=True)


class LedgerPosting(SQLModel, table=True):
    """One line of a transaction: `amount_kop` debits (+) or credits (−) `account`."""

    __tablename__ = "ledger_posting"

    id: int | None = Field(default=None, primary_key=True)
    transaction_id: int = Field(foreign_key="ledger_transaction.id", index=True)
    account: str = Field(max_length=20)
    loan_id: int | None = Field(default=None, foreign_key="loan.id", index=True)
    amount_kop: int
