from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, localcontext
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credit7_web import tariff
from credit7_web.errors import Refusal
from credit7_web.lending.pricing import (
    Quote,
    calculator_table,
    charges_cap_kop,
    due_dates,
    interest_kop,
    psk_percent,
    psk_rate,
    quote,
    single_payment_psk,
    standard_quote,
    stretch_kop,
)

NB = "\u00a0"
START = date(2026, 11, 16)
RUB = 100

first_amounts = st.sampled_from(list(tariff.amount_range(first_loan=True).values()))
repeat_amounts = st.sampled_from(list(tariff.amount_range(first_loan=False).values()))
terms = st.integers(min_value=tariff.TERM_MIN, max_value=tariff.TERM_MAX)


def test_tariff_figures() -> None:
    assert tariff.amount_range(True) == tariff.AmountRange(100_000, 3_000_000, 50_000)
    assert tariff.amount_range(False) == tariff.AmountRange(100_000, 5_000_000, 50_000)
    assert list(tariff.terms()) == list(range(7, 31))
    assert Fraction(292, 100) == tariff.DAILY_RATE * 365
    assert Decimal(292) == tariff.PSK_CAP_PERCENT
    assert tariff.HOTLINE == "8 800 000-00-07"
    assert tariff.DOCS_EMAIL == "doc@creditseven.ru"


def test_repeat_loan_10000_for_30_days() -> None:
    assert quote(10_000 * RUB, 30, START, first_loan=False) == Quote(
        amount_kop=1_000_000,
        term_days=30,
        start=START,
        due_date=date(2026, 12, 16),
        interest_kop=240_000,
        total_kop=1_240_000,
        psk_percent=Decimal("292.000"),
        psk_rub_kop=240_000,
        promo=False,
    )


def test_repeat_loan_10000_for_20_days() -> None:
    offer = quote(10_000 * RUB, 20, START, first_loan=False)
    assert (offer.interest_kop, offer.total_kop) == (160_000, 1_160_000)
    assert offer.due_date == date(2026, 12, 6)
    assert str(offer.psk_percent) == "292.000"


def test_first_loan_is_interest_free() -> None:
    offer = quote(10_000 * RUB, 30, START, first_loan=True)
    assert offer.promo is True
    assert (offer.interest_kop, offer.total_kop, offer.psk_rub_kop) == (0, 1_000_000, 0)
    assert str(offer.psk_percent) == "0.000"
    assert offer.due_date == date(2026, 12, 16)
    std = offer.standard
    assert (std.promo, std.interest_kop, std.total_kop) == (False, 240_000, 1_240_000)
    assert str(std.psk_percent) == "292.000"
    assert std == standard_quote(10_000 * RUB, 30, START)


def test_standard_of_a_repeat_quote_is_itself() -> None:
    offer = quote(45_000 * RUB, 7, START, first_loan=False)
    assert offer.standard is offer
    assert offer.interest_kop == 252_000


def test_due_date_crosses_year() -> None:
    assert quote(5_000 * RUB, 7, date(2026, 12, 28), True).due_date == date(2027, 1, 4)


AMOUNT_FIRST = f"Сумма займа — от 1{NB}000 до 30{NB}000{NB}₽, шаг 500{NB}₽"
AMOUNT_REPEAT = f"Сумма займа — от 1{NB}000 до 50{NB}000{NB}₽, шаг 500{NB}₽"
TERM = "Срок займа — от 7 до 30 дней"


@pytest.mark.parametrize(
    ("amount_rub", "term", "first_loan", "errors"),
    [
        (30_500, 30, True, {"amount": AMOUNT_FIRST}),
        (999, 30, True, {"amount": AMOUNT_FIRST}),
        (500, 30, False, {"amount": AMOUNT_REPEAT}),
        (50_500, 30, False, {"amount": AMOUNT_REPEAT}),
        (10_250, 30, False, {"amount": AMOUNT_REPEAT}),
        (10_000, 6, False, {"term": TERM}),
        (10_000, 31, True, {"term": TERM}),
        (0, 0, True, {"amount": AMOUNT_FIRST, "term": TERM}),
    ],
)
def test_quote_rejects(amount_rub: int, term: int, first_loan: bool, errors: dict) -> None:
    with pytest.raises(Refusal) as caught:
        quote(amount_rub * RUB, term, START, first_loan)
    assert caught.value.errors == errors


def test_amount_off_step_by_a_kopeck() -> None:
    with pytest.raises(Refusal):
        quote(10_000 * RUB + 1, 30, START, first_loan=False)


def test_edges_of_the_tariff_accepted() -> None:
    assert quote(1_000 * RUB, 7, START, False).interest_kop == 5_600
    assert quote(30_000 * RUB, 30, START, True).standard.interest_kop == 720_000
    assert quote(50_000 * RUB, 30, START, False).total_kop == 6_200_000


def test_interest_exact_over_the_term_then_rounded_down() -> None:
    # 123,45 ₽ × 0.8 % = 98.76 kop a day; ten days are 987.6 → 987 (per day half-up made 990).
    assert interest_kop(12_345, 10) == 987
    assert interest_kop(12_345, 1) == 98
    assert stretch_kop(50, Fraction(1, 100), 1) == 0  # half a kopeck is not charged
    assert stretch_kop(50, Fraction(1, 100), 2) == 1
    assert stretch_kop(199, Fraction(1, 100), 1) == 1


def test_interest_stops_at_the_charges_cap() -> None:
    assert charges_cap_kop(1_000_000) == 1_000_000
    assert interest_kop(1_000_000, 125) == 1_000_000
    assert interest_kop(1_000_000, 200) == 1_000_000
    assert interest_kop(1_000_000, 30, other_charges_kop=900_000) == 100_000
    assert interest_kop(1_000_000, 30, other_charges_kop=1_200_000) == 0


@given(
    st.integers(min_value=1, max_value=10**9),
    st.integers(min_value=0, max_value=1000),
    st.integers(min_value=0, max_value=2 * 10**9),
)
def test_charges_never_exceed_principal(principal: int, days: int, other: int) -> None:
    interest = interest_kop(principal, days, other)
    assert interest >= 0
    assert interest + other <= max(principal, other)
    assert interest == min(int(Fraction(principal * 8 * days, 1000)), max(principal - other, 0))


@given(repeat_amounts, terms)
def test_repeat_quote_invariants(amount: int, term: int) -> None:
    offer = quote(amount, term, START, first_loan=False)
    assert offer.total_kop == offer.amount_kop + offer.interest_kop
    assert offer.interest_kop == amount * 8 * term // 1000  # exact at the 500 ₽ step
    assert offer.interest_kop <= amount
    assert offer.psk_percent <= tariff.PSK_CAP_PERCENT
    assert offer.psk_percent == Decimal("292.000")
    assert offer.psk_rub_kop == offer.interest_kop
    assert offer.due_date - offer.start == timedelta(days=term)


@given(first_amounts, terms)
def test_first_quote_invariants(amount: int, term: int) -> None:
    offer = quote(amount, term, START, first_loan=True)
    assert (offer.interest_kop, offer.total_kop, offer.promo) == (0, amount, True)
    assert offer.psk_percent == Decimal("0.000")
    assert offer.standard.total_kop == amount + offer.standard.interest_kop
    assert offer.standard.psk_percent <= tariff.PSK_CAP_PERCENT


@given(repeat_amounts, repeat_amounts, terms, terms)
def test_interest_monotone(a1: int, a2: int, t1: int, t2: int) -> None:
    (a1, a2), (t1, t2) = sorted((a1, a2)), sorted((t1, t2))
    assert quote(a1, t1, START, False).interest_kop <= quote(a2, t1, START, False).interest_kop
    assert quote(a1, t1, START, False).interest_kop <= quote(a1, t2, START, False).interest_kop


def closed_form(principal: int, total: int, days: int) -> Fraction:
    return (Fraction(total, principal) - 1) * 365 * 100 / days


@given(
    st.integers(min_value=1, max_value=10**8),
    st.integers(min_value=0, max_value=10**8),
    st.integers(min_value=1, max_value=400),
)
def test_general_psk_agrees_with_closed_form(principal: int, extra: int, days: int) -> None:
    total = principal + extra
    flows = [(START, -principal), (START + timedelta(days=days), total)]
    i, period = psk_rate(flows)
    assert period == days
    with localcontext() as ctx:
        ctx.prec = 60
        exact = closed_form(principal, total, days)
        solved = i * 365 * 100 / period
        assert abs(solved - Decimal(exact.numerator) / exact.denominator) < Decimal("1e-30")
    assert psk_percent(flows) == single_payment_psk(principal, total, days)


def test_single_payment_psk_rounds_half_up() -> None:
    # (1 000 001 / 1 000 000 − 1) × 365 / 73 × 100 = 0.0005 % exactly: the half rounds up.
    assert single_payment_psk(1_000_000, 1_000_001, 73) == Decimal("0.001")
    flows = [(START, -1_000_000), (START + timedelta(days=73), 1_000_001)]
    assert psk_percent(flows) == Decimal("0.001")
    # 0.45625 % and 0.045625 %.
    assert single_payment_psk(10_000, 10_001, 8) == Decimal("0.456")
    assert single_payment_psk(100_000, 100_001, 8) == Decimal("0.046")


def test_psk_of_the_reference_loan() -> None:
    flows = [(START, -1_000_000), (START + timedelta(days=30), 1_240_000)]
    assert psk_percent(flows) == Decimal("292.000")
    # Compounding daily (a one-day base period) would read it as 262.659 %: not what the law
    # means for a single payment, and not what PRODUCT.md states.
    assert psk_percent(flows, base_period_days=1) == Decimal("262.659")


def test_psk_two_monthly_payments() -> None:
    # −100 + 60/(1+i) + 60/(1+i)² = 0  ->  1/(1+i) = (−60 + √27600) / 120.
    flows = [(START, -10_000), (START + timedelta(30), 6_000), (START + timedelta(60), 6_000)]
    with localcontext() as ctx:
        ctx.prec = 50
        x = (Decimal(-60) + Decimal(27_600).sqrt()) / 120
        expected = ((1 / x - 1) * 365 * 100 / 30).quantize(Decimal("0.001"))
    assert expected == Decimal("158.973")
    assert psk_percent(flows) == expected


def test_psk_with_a_part_period() -> None:
    # Base period 30 days, repayment at day 45: q = 1, e = 0.5; (1 + i/2)(1 + i) = 1.2.
    flows = [(START, -1_000), (START + timedelta(45), 1_200)]
    with localcontext() as ctx:
        ctx.prec = 50
        i = Decimal("2.65").sqrt() - Decimal("1.5")
        expected = (i * 365 * 100 / 30).quantize(Decimal("0.001"))
    assert psk_percent(flows, base_period_days=30) == expected == Decimal("155.590")


def test_psk_needs_a_loan_and_a_repayment() -> None:
    with pytest.raises(ValueError):
        psk_percent([(START, -100)])
    with pytest.raises(ValueError):
        psk_percent([(START, -100), (START, 100)])


def test_calculator_table_repeat() -> None:
    table = calculator_table(first_loan=False)
    assert len(table) == 99 * 24
    assert "50000:30" in table and "50500:30" not in table and "1000:6" not in table
    assert table["10000:20"] == {
        "total": f"11{NB}600{NB}₽",
        "interest": f"1{NB}600{NB}₽",
        "psk": f"292,000{NB}%",
        "psk_rub": f"1{NB}600{NB}₽",
        "std_total": f"11{NB}600{NB}₽",
        "std_interest": f"1{NB}600{NB}₽",
        "std_psk": f"292,000{NB}%",
    }


def test_calculator_table_first_loan() -> None:
    table = calculator_table(first_loan=True)
    assert len(table) == 59 * 24
    assert "30000:30" in table and "30500:30" not in table
    assert table["10000:30"] == {
        "total": f"10{NB}000{NB}₽",
        "interest": f"0{NB}₽",
        "psk": f"0,000{NB}%",
        "psk_rub": f"0{NB}₽",
        "std_total": f"12{NB}400{NB}₽",
        "std_interest": f"2{NB}400{NB}₽",
        "std_psk": f"292,000{NB}%",
    }
    assert table["1500:7"]["std_total"] == f"1{NB}584{NB}₽"


def test_due_dates() -> None:
    dates = due_dates(date(2026, 12, 31))
    assert list(dates) == [str(t) for t in range(7, 31)]
    assert dates["7"] == "07.01.2027"
    assert dates["30"] == "30.01.2027"
    assert due_dates(date(2027, 2, 1))["28"] == "01.03.2027"
