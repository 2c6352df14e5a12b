"""The stand-ins' own records: what a real SMS gateway or acquirer would keep on its side.

Datetimes are naive UTC; money is integer kopecks; phones are 10 digits.
"""

from __future__ import annotations

from pydantic import NaiveDatetime
from sqlmodel import Field, SQLModel


class SmsMessage(SQLModel, table=True):
    """The sandbox SMS outbox: what a real gateway would have delivered."""

    id: int | None = Field(default=None, primary_key=True)
    phone: str = Field(max_length=10, index=True)
    text: str = Field(max_length=500)
    key: str | None = Field(default=None, max_length=40, unique=True)  # the idempotency key
    created_at: NaiveDatetime


class SandboxSetting(SQLModel, table=True):
    """Sandbox-only knobs shared by every worker: the business clock shift, the bureaus' delay."""

    name: str = Field(max_length=40, primary_key=True)
    value: str = Field(max_length=200)


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


class SandboxEsiaGrant(SQLModel, table=True):
    """The sandbox Gosuslugi provider's authorization code and the access token it became."""

    id: int | None = Field(default=None, primary_key=True)
    code_hash: str = Field(max_length=64, unique=True)
    oid: str = Field(max_length=20)  # the test person
    client_id: str = Field(max_length=40)
    redirect_uri: str = Field(max_length=300)
    code_challenge: str = Field(max_length=128)
    scope: str = Field(default="", max_length=300)
    created_at: NaiveDatetime
    expires_at: NaiveDatetime
    used_at: NaiveDatetime | None = None
    token_hash: str | None = Field(default=None, max_length=64, unique=True)
    token_expires_at: NaiveDatetime | None = None
