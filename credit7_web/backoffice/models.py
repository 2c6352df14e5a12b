"""Operators (the lender's employees), their sign-in sessions and the audit log of their actions.

Operators are not borrowers: their own table, their own sessions, their own cookie. Datetimes are
naive UTC.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import NaiveDatetime
from sqlmodel import Field, SQLModel

from credit7_web.identity.session_rows import SessionColumns


class Role(StrEnum):
    """What an operator may do; one role each, given by the command that creates the account."""

    IDENTIFICATION = "identification"  # checks identification photos
    ACCOUNTS = "accounts"  # account deletion and restoration, reads the audit log
    SUPPORT = "support"  # reads a borrower's file, changes nothing

    @property
    def title(self) -> str:
        return ROLE_TITLES[self]


ROLE_TITLES = {
    Role.IDENTIFICATION: "Идентификация",
    Role.ACCOUNTS: "Учётные записи",
    Role.SUPPORT: "Поддержка (только просмотр)",
}


class Operator(SQLModel, table=True):
    """An employee's account. The TOTP secret is stored sealed with the server key."""

    id: int | None = Field(default=None, primary_key=True)
    login: str = Field(max_length=40, unique=True, index=True)
    name: str = Field(max_length=100)
    role: str = Field(max_length=20)
    password_hash: str = Field(max_length=100)
    totp_secret: str = Field(max_length=300)
    totp_last_step: int | None = None  # the newest accepted 30 s step: a code works once
    failures: int = 0
    locked_until: NaiveDatetime | None = None
    created_at: NaiveDatetime
    disabled_at: NaiveDatetime | None = None


class OperatorSession(SessionColumns, table=True):
    """An operator's sign-in: same mechanics as a borrower's, its own table and cookie."""

    id: int | None = Field(default=None, primary_key=True)
    operator_id: int = Field(foreign_key="operator.id", index=True)


class AuditEntry(SQLModel, table=True):
    """One operator action: who, when, what, and the state of the thing before and after.

    Append-only: the database refuses UPDATE and DELETE on this table (triggers in migration
    0004). Rows therefore hold ids and statuses, never personal data, which must stay erasable.
    """

    id: int | None = Field(default=None, primary_key=True)
    operator_id: int | None = Field(default=None, foreign_key="operator.id", index=True)
    at: NaiveDatetime = Field(index=True)
    action: str = Field(max_length=40)
    subject: str = Field(default="", max_length=60)  # e.g. "passportphoto:12"
    borrower_id: int | None = Field(default=None, index=True)  # no FK: erasure must not wait
    before: str = Field(default="{}")  # JSON
    after: str = Field(default="{}")  # JSON
