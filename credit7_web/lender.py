"""The lender's details shown to borrowers (footer, documents, messages), from configuration.

PRODUCT.md: the full name, ОГРН, ИНН, the Bank of Russia register number and the SRO membership
come from configuration; the sandbox defaults say plainly that they are test values.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from credit7_web import tariff

TEST_MARK = "тестовые данные песочницы"


@dataclass(frozen=True)
class Lender:
    name: str  # the full name, as in the register
    ogrn: str
    inn: str
    cbr_register: str  # the entry in the Bank of Russia's register of microfinance organisations
    sro: str  # the self-regulatory organisation the lender is a member of
    hotline: str = tariff.HOTLINE
    docs_email: str = tariff.DOCS_EMAIL

    @property
    def requisites(self) -> str:
        """One line for a footer or a document."""
        return (
            f"{self.name}, ОГРН {self.ogrn}, ИНН {self.inn}, "
            f"рег. номер в реестре МФО Банка России {self.cbr_register}, {self.sro}"
        )


SANDBOX_LENDER = Lender(
    name="ООО МКК «Кредит Севен»",
    ogrn=f"0000000000000 ({TEST_MARK})",
    inn=f"0000000000 ({TEST_MARK})",
    cbr_register=f"0000000000000 ({TEST_MARK})",
    sro=f"член СРО «МиР» ({TEST_MARK})",
)


def lender_from(env: Mapping[str, str]) -> Lender:
    """CREDIT7_LENDER_NAME, _OGRN, _INN, _CBR, _SRO; each one not set keeps its sandbox value."""
    return Lender(
        name=env.get("CREDIT7_LENDER_NAME", SANDBOX_LENDER.name),
        ogrn=env.get("CREDIT7_LENDER_OGRN", SANDBOX_LENDER.ogrn),
        inn=env.get("CREDIT7_LENDER_INN", SANDBOX_LENDER.inn),
        cbr_register=env.get("CREDIT7_LENDER_CBR", SANDBOX_LENDER.cbr_register),
        sro=env.get("CREDIT7_LENDER_SRO", SANDBOX_LENDER.sro),
    )


def configured_lender() -> Lender:
    return lender_from(os.environ)
