"""Credit bureaus: what the scoring asks each of them, and what they answer.

The shapes follow the bureaus' reports: a self-ban flag (самозапрет, since 1 March 2025) and
the person's open loans with their ПСК, whether they are unpaid, and the monthly payment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Protocol


@dataclass(frozen=True)
class PersonQuery:
    last_name: str
    first_name: str
    middle_name: str | None
    birth_date: date
    passport_series: str
    passport_number: str
    snils: str


@dataclass(frozen=True)
class BureauLoan:
    lender: str
    psk_percent: Decimal
    unpaid: bool
    monthly_payment_kop: int


@dataclass(frozen=True)
class BureauReport:
    bureau: str
    self_ban: bool
    loans: tuple[BureauLoan, ...] = field(default_factory=tuple)


class Bureau(Protocol):
    name: str

    def report(self, person: PersonQuery) -> BureauReport:
        """The bureau's answer about one person."""
        ...


def ask_all(bureaus: list[Bureau], person: PersonQuery) -> list[BureauReport]:
    """Every bureau's report on the person, in the order the bureaus are given."""
    return [bureau.report(person) for bureau in bureaus]
