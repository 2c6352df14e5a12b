"""Database tables. Datetimes are naive UTC; money is integer kopecks; phones are 10 digits.

`NaiveDatetime`, not `datetime`: SQLModel maps a bare `datetime` to a UTC-aware column type that
refuses the naive instants `Clock.now()` returns.
"""

from __future__ import annotations

from datetime import date

from pydantic import NaiveDatetime
from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class BorrowerStatus:
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


class AuthSession(SQLModel, table=True):
    """A sign-in. The ticket (one use, one minute) is traded for the cookie token; both hashed."""

    id: int | None = Field(default=None, primary_key=True)
    borrower_id: int = Field(foreign_key="borrower.id", index=True)
    ticket_hash: str | None = Field(default=None, max_length=64, unique=True)
    token_hash: str | None = Field(default=None, max_length=64, unique=True, index=True)
    created_at: NaiveDatetime
    claimed_at: NaiveDatetime | None = None
    expires_at: NaiveDatetime
    last_seen_at: NaiveDatetime
    revoked_at: NaiveDatetime | None = None


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


class SmsMessage(SQLModel, table=True):
    """The sandbox SMS outbox: what a real gateway would have delivered."""

    id: int | None = Field(default=None, primary_key=True)
    phone: str = Field(max_length=10, index=True)
    text: str = Field(max_length=500)
    created_at: NaiveDatetime


# ----------------------------------------------------------------------------- lending


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


class CardStatus:
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


class BindingStatus:
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


class ApplicationStatus:
    SCORING = "scoring"
    APPROVED = "approved"
    REFUSED = "refused"
    SIGNED = "signed"
    EXPIRED = "expired"


class LoanApplication(SQLModel, table=True):
    """A request for a loan and the automatic decision on it, with every rule's outcome."""

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
    reapply_after: date | None = None
    pdn_percent: str | None = Field(default=None, max_length=12)
    score: int | None = None
    decision_log: str = Field(default="[]")  # JSON: each rule, passed or not, and why


class LoanStatus:
    AWAITING_SIGNATURE = "awaiting_signature"
    ACTIVE = "active"
    CLOSED = "closed"


class Loan(SQLModel, table=True):
    """A contract. Debt on any date is computed from it and its operations, never stored."""

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
    signed_phone: str | None = Field(default=None, max_length=10)
    signature_code_hash: str | None = Field(default=None, max_length=64)
    closed_at: NaiveDatetime | None = None


class OperationKind:
    CARD_CHECK = "card_check"
    CARD_CHECK_REFUND = "card_check_refund"
    DISBURSEMENT = "disbursement"
    SERVICE = "service"
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


class Reminder(SQLModel, table=True):
    """An SMS reminder sent once for one loan, kind and due date (the unique key enforces once)."""

    __table_args__ = (UniqueConstraint("loan_id", "kind", "due_date"),)

    id: int | None = Field(default=None, primary_key=True)
    loan_id: int = Field(foreign_key="loan.id", index=True)
    kind: str = Field(max_length=20)
    due_date: date
    sent_at: NaiveDatetime


class SandboxSetting(SQLModel, table=True):
    """Sandbox-only knobs shared by every worker, such as the business clock shift."""

    name: str = Field(max_length=40, primary_key=True)
    value: str = Field(max_length=200)


# ----------------------------------------------------------------------------- sandbox acquirer
# The acquirer's own records, kept by the sandbox that stands in for it: the app reads them only
# through the acquirer gateway, as it would read a real acquirer's API.


class SandboxAcquirerOrder(SQLModel, table=True):
    order_id: str = Field(max_length=40, primary_key=True)
    kind: str = Field(max_length=10)  # "bind" or "payout"
    amount_kop: int = 0
    return_url: str = Field(default="", max_length=300)
    status: str = Field(max_length=20)
    card_token: str | None = Field(default=None, max_length=64)
    check_amount_kop: int | None = None
    failure: str | None = Field(default=None, max_length=200)
    created_at: NaiveDatetime
    finished_at: NaiveDatetime | None = None


class SandboxAcquirerCard(SQLModel, table=True):
    token: str = Field(max_length=64, primary_key=True)
    masked: str = Field(max_length=19)
    expiry_month: int
    expiry_year: int
    behaviour: str = Field(max_length=20)
