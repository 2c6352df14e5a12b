from __future__ import annotations

from datetime import date
from decimal import Decimal

from credit7_web.gateways.bureaus import PersonQuery, ask_all
from credit7_web.sandbox.bureaus import (
    HIGH_PDN_PERSON,
    HIGH_PSK_PERSON,
    SANDBOX_PERSONS,
    SELF_BAN_PERSON,
    SandboxBureau,
    SandboxPerson,
    sandbox_bureaus,
)


def query(series: str, number: str) -> PersonQuery:
    return PersonQuery(
        last_name="Иванов",
        first_name="Иван",
        middle_name="Иванович",
        birth_date=date(1990, 1, 15),
        passport_series=series,
        passport_number=number,
        snils="11223344595",
    )


def of(person: SandboxPerson) -> PersonQuery:
    return query(person.passport_series, person.passport_number)


def test_three_bureaus() -> None:
    assert [b.name for b in sandbox_bureaus()] == ["НБКИ", "ОКБ", "Скоринг Бюро"]


def test_self_ban_is_reported_by_one_bureau_only() -> None:
    reports = ask_all(sandbox_bureaus(), of(SELF_BAN_PERSON))
    assert SELF_BAN_PERSON.passport == "4510 000001"
    assert [r.bureau for r in reports if r.self_ban] == ["ОКБ"]
    assert all(r.loans == () for r in reports)


def test_two_unpaid_high_psk_loans_across_two_bureaus() -> None:
    reports = ask_all(sandbox_bureaus(), of(HIGH_PSK_PERSON))
    assert HIGH_PSK_PERSON.passport == "4510 000002"
    high = [
        (r.bureau, loan)
        for r in reports
        for loan in r.loans
        if loan.unpaid and loan.psk_percent > Decimal(200)
    ]
    assert len(high) == 2
    assert len({bureau for bureau, _ in high}) == 2
    assert len({loan.lender for _, loan in high}) == 2
    assert not any(r.self_ban for r in reports)


def test_high_debt_burden() -> None:
    reports = ask_all(sandbox_bureaus(), of(HIGH_PDN_PERSON))
    assert HIGH_PDN_PERSON.passport == "4510 000003"
    monthly = sum(loan.monthly_payment_kop for r in reports for loan in r.loans if loan.unpaid)
    assert monthly == 45_000_00
    assert all(loan.psk_percent <= Decimal(200) for r in reports for loan in r.loans)
    assert not any(r.self_ban for r in reports)


def test_anyone_else_is_clean() -> None:
    for series, number in [("4510", "000004"), ("1234", "567890"), ("4511", "000001")]:
        reports = ask_all(sandbox_bureaus(), query(series, number))
        assert len(reports) == 3
        assert all(not r.self_ban and r.loans == () for r in reports)


def test_passport_may_be_typed_with_spaces() -> None:
    report = SandboxBureau("ОКБ").report(query("45 10", "000001"))
    assert report.self_ban


def test_sandbox_persons_are_listed_for_the_readme() -> None:
    assert [p.passport for p in SANDBOX_PERSONS] == ["4510 000001", "4510 000002", "4510 000003"]
    assert all(p.description for p in SANDBOX_PERSONS)


def test_a_bureau_with_its_own_persons() -> None:
    person = SandboxPerson("0000", "000000", "тест", self_ban_at=("X",))
    assert SandboxBureau("X", (person,)).report(of(person)).self_ban
    assert not SandboxBureau("X", (person,)).report(of(SELF_BAN_PERSON)).self_ban
