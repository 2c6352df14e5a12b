"""Operators and their codes, made one way for the unit, state and browser tests."""

from __future__ import annotations

from datetime import UTC, datetime

import pyotp
from sqlmodel import Session

from credit7_web.backoffice import operators
from credit7_web.backoffice.models import Role
from credit7_web.clock import Clock
from credit7_web.settings import Settings

OPERATOR_PASSWORD = "Operator-pass-123"


def add_operator(
    db: Session, clock: Clock, settings: Settings, role: Role, login: str = "ivanova"
) -> tuple[int, str]:
    """A new operator through the domain service: its id and its TOTP secret."""
    enrolment = operators.create_operator(
        db, clock, settings, login, f"Оператор {login}", role, OPERATOR_PASSWORD
    )
    assert enrolment.operator.id is not None
    return enrolment.operator.id, enrolment.secret


def code_at(secret: str, instant_utc: datetime, steps_later: int = 0) -> str:
    """What the operator's authenticator app shows at a naive UTC instant (plus some steps)."""
    return pyotp.TOTP(secret).at(instant_utc.replace(tzinfo=UTC), counter_offset=steps_later)
