from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credit7_web.money import percent, round_half_up, rub, rub_to_kop

NB = "\u00a0"


@pytest.mark.parametrize(
    ("kopecks", "text"),
    [
        (0, f"0{NB}₽"),
        (5, f"0,05{NB}₽"),
        (50, f"0,50{NB}₽"),
        (100, f"1{NB}₽"),
        (99_900, f"999{NB}₽"),
        (100_000, f"1{NB}000{NB}₽"),
        (1_234_567, f"12{NB}345,67{NB}₽"),
        (1_240_000, f"12{NB}400{NB}₽"),
        (100_000_000, f"1{NB}000{NB}000{NB}₽"),
        (-150, f"-1,50{NB}₽"),
    ],
)
def test_rub_formats_ru_ru(kopecks: int, text: str) -> None:
    assert rub(kopecks) == text


def test_rub_uses_no_break_spaces_only() -> None:
    assert " " not in rub(123_456_789)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Fraction(5, 2), 3),
        (Fraction(3, 2), 2),
        (Fraction(-5, 2), -3),
        (Fraction(2499, 1000), 2),
        (Fraction(7), 7),
        (Decimal("2.5"), 3),
        (Decimal("2.4999"), 2),
        (Decimal("-0.5"), -1),
        (Decimal("98.76"), 99),
    ],
)
def test_round_half_up(value: Fraction | Decimal, expected: int) -> None:
    assert round_half_up(value) == expected


@given(st.fractions())
def test_round_half_up_agrees_with_decimal(value: Fraction) -> None:
    as_decimal = Decimal(value.numerator) / Decimal(value.denominator)
    if as_decimal == value:  # only exactly representable values compare fairly
        assert round_half_up(value) == round_half_up(as_decimal)
    assert abs(round_half_up(value) - value) <= Fraction(1, 2)


@pytest.mark.parametrize(
    ("text", "kopecks"),
    [
        ("10000", 1_000_000),
        ("10 000", 1_000_000),
        (f"10{NB}000", 1_000_000),
        ("10 000,50", 1_000_050),
        ("10000.5", 1_000_050),
        ("10000,05", 1_000_005),
        ("  7 ", 700),
        ("0", 0),
        ("1 234 567", 123_456_700),
        (f"12{NB}345,67{NB}₽", 1_234_567),
        ("500 ₽", 50_000),
        ("500 руб.", 50_000),
    ],
)
def test_rub_to_kop_parses(text: str, kopecks: int) -> None:
    assert rub_to_kop(text) == kopecks


@pytest.mark.parametrize(
    "text",
    ["", " ", "abc", "-100", "+100", "10,555", "10.000.00", "1 00 00", "10 0000", "1,", ",5",
     "10$", "1e5", "١٠٠", "10 000 ₽ 5"],
)  # fmt: skip
def test_rub_to_kop_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        rub_to_kop(text)


@given(st.integers(min_value=0, max_value=10**16))
def test_rub_round_trip(kopecks: int) -> None:
    assert rub_to_kop(rub(kopecks)) == kopecks


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=99))
def test_plain_typed_round_trip(rubles: int, kop: int) -> None:
    assert rub_to_kop(f"{rubles},{kop:02d}") == rubles * 100 + kop
    assert rub_to_kop(str(rubles)) == rubles * 100


@pytest.mark.parametrize(
    ("value", "places", "text"),
    [
        (Decimal("292"), 3, f"292,000{NB}%"),
        (Decimal("0"), 3, f"0,000{NB}%"),
        (Decimal("262.6585"), 3, f"262,659{NB}%"),
        (Decimal("0.0004"), 3, f"0,000{NB}%"),
        (Decimal("1234.5"), 1, f"1{NB}234,5{NB}%"),
        (Decimal("49.5"), 0, f"50{NB}%"),
        (Decimal("-1.25"), 1, f"-1,3{NB}%"),
    ],
)
def test_percent(value: Decimal, places: int, text: str) -> None:
    assert percent(value, places) == text


def test_percent_default_three_places() -> None:
    assert percent(Decimal("292.0004")) == f"292,000{NB}%"
