"""Accounts, sessions, codes, the questionnaire and the identification photo.

Datetimes are naive UTC; money is integer kopecks; phones are 10 digits.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import NaiveDatetime
from sqlmodel import Field, SQLModel

from credit7_web.identity.session_rows import SessionColumns


class BorrowerStatus(StrEnum):
    """Where a borrower stands: the questionnaire is filled before anything else."""

    QUESTIONNAIRE = "questionnaire"
    ACTIVE = "active"


class Borrower(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    phone: str = Field(max_length=10, unique=True, index=True)
    password_hash: str = Field(max_length=100)
    status: str = Field(default=BorrowerStatus.QUESTIONNAIRE, max_length=20)
    pd_consent_at: NaiveDatetime
    created_at: NaiveDatetime
    password_changed_at: NaiveDatetime
    requested_amount_kop: int | None = None
    requested_term_days: int | None = None


class Profile(SQLModel, table=True):
    """The questionnaire: `draft` keeps raw typed values so a half-filled form resumes."""

    borrower_id: int = Field(foreign_key="borrower.id", primary_key=True)
    draft: str = Field(default="{}")
    step: int = 0
    last_name: str | None = Field(default=None, max_length=60)
    first_name: str | None = Field(default=None, max_length=60)
    middle_name: str | None = Field(default=None, max_length=60)
    birth_date: date | None = None
    birth_place: str | None = Field(default=None, max_length=200)
    citizenship: str | None = Field(default=None, max_length=3)
    passport_series: str | None = Field(default=None, max_length=4)
    passport_number: str | None = Field(default=None, max_length=6)
    passport_issue_date: date | None = None
    passport_issuer: str | None = Field(default=None, max_length=200)
    passport_division_code: str | None = Field(default=None, max_length=7)
    reg_address: str | None = Field(default=None, max_length=300)
    res_address: str | None = Field(default=None, max_length=300)
    res_same_as_reg: bool = True
    snils: str | None = Field(default=None, max_length=11)
    email: str | None = Field(default=None, max_length=120)
    employer: str | None = Field(default=None, max_length=200)
    position: str | None = Field(default=None, max_length=120)
    family_status: str | None = Field(default=None, max_length=20)
    dependants: int | None = None
    monthly_income_kop: int | None = None
    completed_at: NaiveDatetime | None = None


class AuthSession(SessionColumns, table=True):
    """A sign-in. The ticket (one use, one minute) is traded for the cookie token; both hashed."""

    id: int | None = Field(default=None, primary_key=True)
    borrower_id: int = Field(foreign_key="borrower.id", index=True)


class OneTimeCode(SQLModel, table=True):
    """An SMS code: only its keyed hash is kept."""

    id: int | None = Field(default=None, primary_key=True)
    phone: str = Field(max_length=10, index=True)
    purpose: str = Field(max_length=20)
    code_hash: str = Field(max_length=64)
    created_at: NaiveDatetime
    expires_at: NaiveDatetime
    attempts: int = 0
    used_at: NaiveDatetime | None = None


class LoginThrottle(SQLModel, table=True):
    """Wrong passwords in a row, per phone, whether or not the phone is registered."""

    phone: str = Field(max_length=10, primary_key=True)
    failures: int = 0
    locked_until: NaiveDatetime | None = None


class PhotoReview(StrEnum):
    """An operator's verdict on an identification photo; scoring does not wait for it."""

    PENDING = "pending"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"  # counts as no photo until a new one is uploaded


class PassportPhoto(SQLModel, table=True):
    """The borrower holding the open passport; the file lives outside any public folder."""

    id: int | None = Field(default=None, primary_key=True)
    borrower_id: int = Field(foreign_key="borrower.id", index=True)
    file_name: str = Field(max_length=80)
    width: int
    height: int
    size_bytes: int
    sha256: str = Field(max_length=64)
    uploaded_at: NaiveDatetime
    review: str = Field(default=PhotoReview.PENDING, max_length=10, index=True)
    reviewed_by: int | None = Field(default=None, foreign_key="operator.id")
    reviewed_at: NaiveDatetime | None = None
    rejection_reason: str | None = Field(default=None, max_length=300)
