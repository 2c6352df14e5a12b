"""Sandbox credit bureaus: the test persons a newcomer can score, chosen by passport number."""

from __future__ import annotations

import time
from dataclasses import dataclass
from decimal import Decimal

from sqlmodel import Session

from credit7_web.gateways.bureaus import Bureau, BureauLoan, BureauReport, PersonQuery
from credit7_web.sandbox.models import SandboxSetting

NBKI = "НБКИ"
OKB = "ОКБ"
SCORING_BUREAU = "Скоринг Бюро"
BUREAU_NAMES = (NBKI, OKB, SCORING_BUREAU)


@dataclass(frozen=True)
class SandboxPerson:
    """A test person the sandbox bureaus know, found by passport series and number."""

    passport_series: str
    passport_number: str
    description: str
    self_ban_at: tuple[str, ...] = ()  # the bureaus that report an active self-ban
    loans: tuple[tuple[str, BureauLoan], ...] = ()  # (bureau reporting it, the loan)

    @property
    def passport(self) -> str:
        return f"{self.passport_series} {self.passport_number}"


SELF_BAN_PERSON = SandboxPerson(
    "4510",
    "000001",
    f"Действует самозапрет на кредиты (сообщает только {OKB})",
    self_ban_at=(OKB,),
)
HIGH_PSK_PERSON = SandboxPerson(
    "4510",
    "000002",
    f"Два непогашенных займа с ПСК выше 200 % (один в {NBKI}, другой в {OKB})",
    loans=(
        (NBKI, BureauLoan("МФК «Пример Займ»", Decimal("250.000"), True, 6_000_00)),
        (OKB, BureauLoan("МКК «Образец Деньги»", Decimal("281.050"), True, 7_500_00)),
    ),
)
HIGH_PDN_PERSON = SandboxPerson(
    "4510",
    "000003",
    "Высокая долговая нагрузка: ежемесячные платежи по непогашенным кредитам 45 000 ₽ "
    f"({NBKI} и {SCORING_BUREAU})",
    loans=(
        (NBKI, BureauLoan("ПАО «Банк Пример»", Decimal("24.900"), True, 30_000_00)),
        (SCORING_BUREAU, BureauLoan("АО «Банк Образец»", Decimal("34.500"), True, 15_000_00)),
    ),
)
SANDBOX_PERSONS = (SELF_BAN_PERSON, HIGH_PSK_PERSON, HIGH_PDN_PERSON)
CLEAN_PERSON_TEXT = "Любой другой паспорт — чистая кредитная история, самозапрета нет"


def _passport_key(series: str, number: str) -> str:
    return "".join(ch for ch in f"{series}{number}" if ch.isdigit())


# Seconds each sandbox bureau takes to answer (SandboxSetting): a slow bureau, to catch a
# decision in the middle (the worker-crash test), as a real one may be.
DELAY_SETTING = "bureau_delay_s"
MAX_DELAY_S = 60.0


def delay_s(db: Session) -> float:
    row = db.get(SandboxSetting, DELAY_SETTING, populate_existing=True)
    try:
        return min(max(float(row.value), 0.0), MAX_DELAY_S) if row else 0.0
    except ValueError:
        return 0.0


class SandboxBureau:
    """A bureau that knows only the sandbox's test persons; anyone else has a clean history."""

    def __init__(
        self, name: str, persons: tuple[SandboxPerson, ...] = SANDBOX_PERSONS, delay: float = 0
    ) -> None:
        self.name = name
        self.delay = delay
        self._persons = {_passport_key(p.passport_series, p.passport_number): p for p in persons}

    def report(self, person: PersonQuery) -> BureauReport:
        if self.delay:
            time.sleep(self.delay)
        known = self._persons.get(_passport_key(person.passport_series, person.passport_number))
        if known is None:
            return BureauReport(bureau=self.name, self_ban=False)
        return BureauReport(
            bureau=self.name,
            self_ban=self.name in known.self_ban_at,
            loans=tuple(loan for bureau, loan in known.loans if bureau == self.name),
        )


def sandbox_bureaus(delay: float = 0) -> list[Bureau]:
    return [SandboxBureau(name, delay=delay) for name in BUREAU_NAMES]
