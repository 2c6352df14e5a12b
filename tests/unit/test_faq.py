"""The FAQ answers come from the tariff: change a figure there and the answer follows."""

from __future__ import annotations

from fractions import Fraction

import pytest

from credit7_web import tariff
from credit7_web.faq import answers
from credit7_web.money import rub
from credit7_web.russian import mask_passport, mask_snils


def text() -> str:
    return "\n".join(f"{a.question}\n" + "\n".join(a.paragraphs) for a in answers())


def test_the_seeds_questions_are_answered() -> None:
    questions = [a.question for a in answers()]
    for words in (
        "Кто может получить",
        "не получается вернуть",
        "документы",
        "решение",
        "дополнительные услуги",
        "удалить аккаунт",
    ):
        assert any(words in q for q in questions), words


def test_the_figures_are_the_tariffs() -> None:
    answered = text()
    for figure in (
        f"от {tariff.AGE_MIN} до {tariff.AGE_MAX} лет",
        rub(tariff.FIRST_LOAN_MAX),
        rub(tariff.REPEAT_LOAN_MAX),
        f"{tariff.PROLONGATION_DAYS} дней",
        "20\u00a0% годовых",
        "100\u00a0% суммы займа",
        f"в течение {tariff.SERVICE_REFUSAL_DAYS} дней",
        f"{tariff.SERVICE_REFUND_WORKING_DAYS} рабочих дней",
        f"в течение {tariff.ACCOUNT_DELETION_DAYS} дней",
        f"хранятся {tariff.RECORDS_KEPT_YEARS} лет",
        tariff.HOTLINE,
        tariff.DOCS_EMAIL,
    ):
        assert figure in answered, figure
    for service in tariff.EXTRA_SERVICES:
        assert f"{service.title} — {rub(service.price_kop)}" in answered


def test_a_changed_tariff_changes_the_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tariff, "AGE_MIN", 21)
    monkeypatch.setattr(tariff, "PENALTY_RATE_YEAR", Fraction(1, 10))
    monkeypatch.setattr(tariff, "ACCOUNT_DELETION_DAYS", 3)
    answered = text()
    assert "от 21 до" in answered
    assert "неустойка 10\u00a0% годовых" in answered
    assert "в течение 3 дня" in answered  # the word agrees with the number


def test_documents_are_masked() -> None:
    assert mask_passport("4510", "123456") == "•••• ••3456"
    assert mask_snils("11223344595") == "•••-•••-•45 95"
    assert mask_passport(None, "123456") == mask_snils(None) == ""
