"""PDFs issued to borrowers.

Datetimes are naive UTC; money is integer kopecks; phones are 10 digits.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import NaiveDatetime
from sqlmodel import Field, SQLModel


class DocumentKind(StrEnum):
    CONTRACT_DRAFT = "contract_draft"  # individual conditions offered, not yet signed
    CONTRACT = "contract"  # individual conditions, signed
    PROLONGATION = "prolongation"  # «Дополнительное соглашение № N», signed
    CLOSING = "closing"  # «Справка о погашении»: the loan is paid off


class Document(SQLModel, table=True):
    """A PDF issued to a borrower (individual conditions, additional agreements)."""

    id: int | None = Field(default=None, primary_key=True)
    borrower_id: int = Field(foreign_key="borrower.id", index=True)
    loan_id: int | None = Field(default=None, foreign_key="loan.id", index=True)
    kind: str = Field(max_length=20)
    title: str = Field(max_length=200)
    file_name: str = Field(max_length=80)
    sha256: str = Field(max_length=64)
    created_at: NaiveDatetime
