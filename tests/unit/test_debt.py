from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from credit7_web import tariff
from credit7_web.lending import pricing
from credit7_web.servicing.debt import (
    Debt,
    Payment,
    ScheduleRow,
    Terms,
    debt_on,
    due_in_effect,
    moved_due,
    promo_on,
    schedule,
)

START = date(2026, 11, 24)
RUB = 100
P = 10_000 * RUB
DAY_INTEREST = 80 * RUB  # 0.8 % of 10 000 ₽


def penalty(days: int, principal: int = P) -> int:
    """`days` overdue days of one stretch in a 365-day year: principal × 0.2 / 365 × days, down."""
    return principal * days // 1825


DAY_PENALTY = penalty(1)  # 547: 547.945… rounded down (half-up per day made it 548)


def day(k: int) -> date:
    return START + timedelta(days=k)


def terms(
    principal: int = P, days: int = 20, promo: bool = False, services: int = 0, **kw
) -> Terms:
    return Terms(
        principal_kop=principal,
        start=START,
        due=kw.pop("due", day(days)),
        original_due=day(days),
        promo=promo,
        services_kop=services,
        **kw,
    )


STANDARD = terms()
PROMO = terms(promo=True)
DUE = day(20)


def at(k: int, t: Terms = STANDARD, payments: tuple[Payment, ...] = ()) -> Debt:
    return debt_on(t, payments, day(k))


# ----------------------------------------------------------------------------- exact examples


def test_start_day_nothing_accrued() -> None:
    d = at(0)
    assert (d.principal_kop, d.interest_kop, d.penalty_kop, d.total_kop) == (P, 0, 0, P)
    assert d.days_left == 20 and not d.overdue and d.days_overdue == 0
    assert not d.closed and not d.capped and d.due == DUE


def test_standard_interest_day_by_day() -> None:
    assert at(1).interest_kop == DAY_INTEREST
    assert at(10).interest_kop == 800 * RUB
    assert at(10).total_kop == 10_800 * RUB
    d = at(20)
    assert d.interest_kop == 1_600 * RUB and d.overdue_interest_kop == 0
    assert d.total_kop == 11_600 * RUB
    assert d.days_left == 0 and not d.overdue


def test_standard_first_overdue_day() -> None:
    d = at(21)
    assert DAY_PENALTY == 547
    assert d.overdue and d.days_overdue == 1 and d.days_left is None
    # The term's interest is now overdue, as is the interest of the overdue day.
    assert d.interest_kop == 0
    assert d.overdue_interest_kop == 1_680 * RUB
    assert d.penalty_kop == DAY_PENALTY
    assert d.total_kop == P + 1_680 * RUB + DAY_PENALTY
    assert d.charges_accrued_kop == 1_680 * RUB + DAY_PENALTY


def test_promo_interest_free_up_to_the_due_date() -> None:
    for k in (0, 1, 10, 20):
        d = at(k, PROMO)
        assert d.all_interest_kop == 0 and d.total_kop == P and d.charges_accrued_kop == 0


def test_promo_ends_on_first_overdue_day_not_retroactively() -> None:
    d = at(21, PROMO)
    assert d.overdue_interest_kop == DAY_INTEREST  # 80 ₽: only the overdue day
    assert d.penalty_kop == DAY_PENALTY
    assert d.total_kop == P + DAY_INTEREST + DAY_PENALTY
    d = at(25, PROMO)
    assert d.overdue_interest_kop == 5 * DAY_INTEREST and d.penalty_kop == penalty(5) == 2_739


def test_promo_ends_the_day_after_a_prolongation() -> None:
    # PRODUCT.md: prolonged before its due date, a promo loan pays 0 ₽ that day; the promo ends
    # that day and the base rate runs from the next.
    prolonged = terms(promo=True, prolongations=(day(10),), due=day(20 + 30))
    assert at(9, prolonged).charges_accrued_kop == 0
    assert at(10, prolonged).all_interest_kop == 0
    d = at(12, prolonged)
    assert d.interest_kop == 2 * DAY_INTEREST and d.overdue_interest_kop == 0
    assert d.due == day(50) and d.days_left == 38
    assert not at(50, prolonged).overdue and at(51, prolonged).overdue


def test_prolongation_after_overdue_keeps_history() -> None:
    # Overdue 5 days, prolonged on due+5 without paying: the 5 days stay overdue with penalty,
    # and the new due date is 30 days after the prolongation day (the later one).
    prolonged = terms(prolongations=(day(25),), due=day(55))
    d = at(26, prolonged)
    assert not d.overdue and d.due == day(55)
    assert d.penalty_kop == penalty(4)  # days 21..24; day 25 is no longer overdue
    assert d.overdue_interest_kop == 24 * DAY_INTEREST  # term + 4 overdue days
    assert d.interest_kop == 2 * DAY_INTEREST  # days 25, 26: current, due on day 55
    assert at(55, prolonged).days_left == 0 and at(56, prolonged).overdue


def test_each_prolongation_moves_the_due_date_by_the_rule() -> None:
    # Day 18 (before the due date 20): 20 + 30 = 50; day 60 (overdue by 10): 60 + 30 = 90.
    twice = terms(prolongations=(day(60), day(18)), due=day(90))
    assert [at(k, twice).due for k in (17, 18, 59, 60, 100)] == [
        day(20),
        day(50),
        day(50),
        day(90),
        day(90),
    ]
    assert at(59, twice).days_overdue == 9 and not at(60, twice).overdue


def test_cap_reached_after_long_overdue() -> None:
    # Term 1 600 ₽, then 80 ₽ a day and 20 %/365 of 10 000 ₽ (rounded down over the whole
    # overdue stretch): 98 overdue days make 9 976,98 ₽; day 99 is cut.
    before = at(20 + 98)
    assert before.charges_accrued_kop == 160_000 + 98 * DAY_INTEREST + penalty(98) == 997_698
    assert not before.capped
    d = at(20 + 99)
    assert d.capped and d.charges_accrued_kop == P
    assert d.penalty_kop == penalty(98)  # the last day's interest took all the room left
    assert d.overdue_interest_kop == P - penalty(98)
    assert d.total_kop == 2 * P
    for k in (120, 200, 400, 2000):
        later = at(k)
        assert later.charges_accrued_kop == P and later.total_kop == 2 * P and later.capped
        assert later.days_overdue == k - 20


def test_paid_services_count_toward_the_cap() -> None:
    t = terms(services=9_000 * RUB)  # leaves 1 000 ₽ of room: 12,5 days of interest
    assert at(12, t).interest_kop == 12 * DAY_INTEREST and not at(12, t).capped
    d = at(13, t)
    assert d.interest_kop == 1_000 * RUB and d.capped
    assert at(30, t).charges_accrued_kop == 1_000 * RUB
    full = terms(services=P)
    assert at(30, full).charges_accrued_kop == 0 and at(0, full).capped


def test_partial_payment_order_before_the_due_date() -> None:
    # Prolonged while overdue, nothing paid: all four buckets are non-empty on day 26, and day
    # 26 lies before the new due date: overdue interest, penalty, current interest, principal.
    t = terms(prolongations=(day(25),), due=day(55), services=300 * RUB)
    base = at(26, t)
    penalty, overdue, current = base.penalty_kop, base.overdue_interest_kop, base.interest_kop
    assert penalty and overdue and current

    d = at(26, t, (Payment(day(26), overdue - 100),))
    assert (d.overdue_interest_kop, d.penalty_kop) == (100, penalty)

    d = at(26, t, (Payment(day(26), overdue + 500),))
    assert (d.overdue_interest_kop, d.penalty_kop, d.interest_kop) == (0, penalty - 500, current)

    d = at(26, t, (Payment(day(26), penalty + overdue + 700),))
    assert (d.penalty_kop, d.interest_kop, d.principal_kop) == (0, current - 700, P)

    d = at(26, t, (Payment(day(26), penalty + overdue + current + 1_000),))
    assert d.all_interest_kop == 0 and d.penalty_kop == 0 and d.principal_kop == P - 1_000
    assert d.services_kop == 300 * RUB  # services come last
    assert d.paid_kop == penalty + overdue + current + 1_000


def test_partial_payment_order_when_overdue() -> None:
    # Day 25 is the fifth overdue day of a 20-day loan: interest, then principal, then penalty.
    base = at(25)
    interest, penalty = base.all_interest_kop, base.penalty_kop
    assert base.overdue and interest and penalty

    d = at(25, payments=(Payment(day(25), interest + 1_000),))
    assert (d.all_interest_kop, d.principal_kop, d.penalty_kop) == (0, P - 1_000, penalty)

    d = at(25, payments=(Payment(day(25), interest + P + 100),))
    assert (d.principal_kop, d.penalty_kop) == (0, penalty - 100)


def test_partial_payment_lowers_later_interest() -> None:
    # Day 5: 400 ₽ interest; paying 900 ₽ leaves 9 500 ₽ of principal at 76 ₽ a day.
    pays = (Payment(day(5), 900 * RUB),)
    d5 = at(5, payments=pays)
    assert (d5.interest_kop, d5.principal_kop) == (0, 9_500 * RUB)
    d6 = at(6, payments=pays)
    assert d6.interest_kop == 76 * RUB
    assert at(20, payments=pays).total_kop == 9_500 * RUB + 15 * 76 * RUB


def test_payment_on_the_start_day_goes_to_principal() -> None:
    d = at(0, payments=(Payment(day(0), 1_000 * RUB),))
    assert d.principal_kop == 9_000 * RUB and d.total_kop == 9_000 * RUB
    assert at(1, payments=(Payment(day(0), 1_000 * RUB),)).interest_kop == 72 * RUB


def test_full_early_repayment_on_day_5_closes() -> None:
    pays = (Payment(day(5), 10_400 * RUB),)
    d = at(5, payments=pays)
    assert d.closed and d.total_kop == 0 and d.paid_kop == 10_400 * RUB
    assert d.charges_accrued_kop == 5 * DAY_INTEREST
    assert d.days_left is None and not d.overdue
    later = at(60, payments=pays)
    assert later.closed and later.total_kop == 0 and later.charges_accrued_kop == 400 * RUB
    assert not later.overdue and later.days_overdue == 0


def test_promo_repaid_on_the_due_date_costs_nothing() -> None:
    d = at(20, PROMO, (Payment(DUE, P),))
    assert d.closed and d.charges_accrued_kop == 0
    assert at(40, PROMO, (Payment(DUE, P),)).total_kop == 0


def test_overpayment_is_not_absorbed() -> None:
    d = at(5, payments=(Payment(day(5), 20_000 * RUB),))
    assert d.closed and d.paid_kop == 10_400 * RUB and d.overpaid_kop == 9_600 * RUB
    d = at(9, payments=(Payment(day(5), 10_400 * RUB), Payment(day(8), 100)))
    assert d.paid_kop == 10_400 * RUB and d.overpaid_kop == 100


def test_payments_after_the_date_are_ignored_and_same_day_ones_add_up() -> None:
    assert at(5, payments=(Payment(day(6), 100 * RUB),)).total_kop == 10_400 * RUB
    two = (Payment(day(5), 300 * RUB), Payment(day(5), 100 * RUB))
    assert at(5, payments=two).total_kop == P


def test_invalid_input() -> None:
    with pytest.raises(ValueError):
        debt_on(STANDARD, [], day(-1))
    with pytest.raises(ValueError):
        debt_on(STANDARD, [Payment(day(1), 0)], day(2))


def test_schedule_is_one_bullet_payment() -> None:
    assert schedule(STANDARD) == [ScheduleRow(DUE, P, 1_600 * RUB, 11_600 * RUB)]
    assert schedule(PROMO) == [ScheduleRow(DUE, P, 0, P)]


def test_schedule_after_prolongation_with_interest_paid() -> None:
    prolonged = terms(prolongations=(day(20),), due=day(50))
    paid = (Payment(day(20), at(20, prolonged).total_kop - P),)  # interest to date, day 20 incl.
    rows = schedule(prolonged, paid)
    assert rows == [ScheduleRow(day(50), P, 30 * DAY_INTEREST, P + 30 * DAY_INTEREST)]


@pytest.mark.parametrize("amount", [1_000 * RUB, 7_500 * RUB, 30_000 * RUB, 50_000 * RUB])
@pytest.mark.parametrize("term", [tariff.TERM_MIN, 20, tariff.TERM_MAX])
def test_schedule_matches_the_quote(amount: int, term: int) -> None:
    quote = pricing.standard_quote(amount, term, START)
    row = schedule(terms(principal=amount, days=term))[0]
    assert (row.date, row.interest_kop, row.total_kop) == (
        quote.due_date,
        quote.interest_kop,
        quote.total_kop,
    )


# ----------------------------------------------------------------------------- properties

principals = st.integers(min_value=1, max_value=5_000_000)
loan_terms = st.builds(
    lambda principal, days, promo, services_share, prolong: Terms(
        principal_kop=principal,
        start=START,
        due=day(days) if prolong is None else moved_due(day(days), day(min(prolong, days + 10))),
        original_due=day(days),
        promo=promo,
        services_kop=principal * services_share // 100,
        prolongations=() if prolong is None else (day(min(prolong, days + 10)),),
    ),
    principals,
    st.integers(min_value=tariff.TERM_MIN, max_value=tariff.TERM_MAX),
    st.booleans(),
    st.sampled_from([0, 0, 0, 10, 50, 99, 100]),
    st.none() | st.integers(min_value=1, max_value=40),
)
payment_lists = st.lists(
    st.builds(
        Payment,
        st.integers(min_value=0, max_value=250).map(day),
        st.integers(min_value=1, max_value=3_000_000),
    ),
    max_size=5,
)
offsets = st.integers(min_value=0, max_value=300)


@settings(max_examples=200, deadline=None)
@given(loan_terms, payment_lists, offsets)
def test_never_above_the_cap(t: Terms, payments: list[Payment], k: int) -> None:
    d = debt_on(t, payments, day(k))
    assert d.charges_accrued_kop + t.services_kop <= t.principal_kop
    assert d.total_kop <= 2 * t.principal_kop
    assert min(d.principal_kop, d.interest_kop, d.overdue_interest_kop, d.penalty_kop) >= 0
    assert 0 <= d.services_kop <= t.services_kop
    assert d.total_kop == (
        d.principal_kop + d.interest_kop + d.overdue_interest_kop + d.penalty_kop + d.services_kop
    )
    # Money is conserved: what was lent, charged and sold is either paid or still owed.
    assert d.paid_kop + d.total_kop == t.principal_kop + d.charges_accrued_kop + t.services_kop
    assert d.paid_kop + d.overpaid_kop == sum(p.amount_kop for p in payments if p.on <= day(k))
    assert d.closed == (d.total_kop == 0)
    assert d.overdue == (d.days_overdue > 0)
    assert (d.days_left is None) == (d.overdue or d.closed)


@settings(max_examples=200, deadline=None)
@given(loan_terms, offsets, offsets)
def test_total_never_falls_without_payments(t: Terms, a: int, b: int) -> None:
    a, b = sorted((a, b))
    first, second = debt_on(t, [], day(a)), debt_on(t, [], day(b))
    assert first.total_kop <= second.total_kop
    assert first.charges_accrued_kop <= second.charges_accrued_kop
    if first.capped:
        assert second.total_kop == first.total_kop


@settings(max_examples=200, deadline=None)
@given(loan_terms, payment_lists, st.integers(min_value=0, max_value=30))
def test_promo_never_retroactive(t: Terms, payments: list[Payment], k: int) -> None:
    promo = Terms(t.principal_kop, START, t.original_due, t.original_due, True, t.services_kop)
    d = debt_on(promo, payments, min(day(k), promo.original_due))
    assert d.charges_accrued_kop == 0 and d.all_interest_kop == 0 and d.penalty_kop == 0
    # After the due date the promo loan owes interest and penalty from due+1 on only: one new
    # stretch of each, rounded down (2026 and 2027 have the same penalty rate).
    promo = Terms(t.principal_kop, START, t.original_due, t.original_due, True, 0)
    later = debt_on(promo, [], promo.original_due + timedelta(days=k + 1))
    exact = t.principal_kop * 8 * (k + 1) // 1000 + penalty(k + 1, t.principal_kop)
    assert later.charges_accrued_kop == min(exact, t.principal_kop)


@settings(max_examples=200, deadline=None)
@given(loan_terms, payment_lists, offsets, st.integers(min_value=1, max_value=5_000_000))
def test_a_payment_reduces_the_total_by_what_it_applies(
    t: Terms, payments: list[Payment], k: int, amount: int
) -> None:
    before = debt_on(t, payments, day(k))
    after = debt_on(t, [*payments, Payment(day(k), amount)], day(k))
    applied = min(amount, before.total_kop)
    assert after.total_kop == before.total_kop - applied
    assert after.paid_kop == before.paid_kop + applied
    assert after.overpaid_kop == before.overpaid_kop + amount - applied
    assert after.charges_accrued_kop == before.charges_accrued_kop  # same day: no new accrual


@settings(max_examples=200, deadline=None)
@given(principals, st.integers(min_value=tariff.TERM_MIN, max_value=tariff.TERM_MAX), offsets)
def test_each_stretch_exact_then_rounded_down(principal: int, days: int, k: int) -> None:
    t = terms(principal=principal, days=days)
    on = min(k, days)
    assert debt_on(t, [], day(on)).interest_kop == principal * 8 * on // 1000
    # Overdue days continue the interest stretch and start the penalty's (2026 and 2027 both
    # have 365 days, so the new year does not change the penalty's daily rate).
    overdue_days = k + 1
    d = debt_on(t, [], day(days + overdue_days))
    exact = principal * 8 * (days + overdue_days) // 1000 + penalty(overdue_days, principal)
    assert d.charges_accrued_kop == min(exact, principal)
    assert d.capped == (exact >= principal)


def test_ten_days_of_penalty_on_10_000_rub() -> None:
    # PRODUCT.md's example: 10 000 ₽ × 20 % / 365 × 10 = 54,794… ₽ → 54,79 ₽ (per day: 54,80 ₽).
    promo = terms(promo=True)
    assert at(30, promo).penalty_kop == 5_479
    assert at(30, promo).overdue_interest_kop == 10 * DAY_INTEREST


def test_penalty_rate_follows_the_days_of_each_year() -> None:
    # Overdue from 27.12.2027: 5 days of 2027 at 20 %/365, then 2028's days at 20 %/366.
    start = date(2027, 12, 2)
    t = Terms(P, start, date(2027, 12, 26), date(2027, 12, 26), promo=True)
    d = debt_on(t, [], date(2028, 1, 10))
    assert d.penalty_kop == P * 5 // 1825 + P * 10 // 1830 == 2_739 + 5_464
    assert d.overdue_interest_kop == 15 * DAY_INTEREST


def _bases(t: Terms, payments: list[Payment], k: int) -> tuple[tuple, tuple | None]:
    """Day k's interest and penalty bases: yesterday's closing principal and each daily rate
    (the penalty only on an overdue day, its rate by the days of that year); interest also by
    the agreement in force (each prolongation begins a new term)."""
    today = day(k)
    principal = debt_on(t, payments, day(k - 1)).principal_kop
    rate = tariff.FIRST_LOAN_PROMO_RATE if promo_on(t, today) else tariff.DAILY_RATE
    agreement = sum(1 for p in t.prolongations if p < today)  # a new term after a prolongation
    if today <= due_in_effect(t, today):
        return (principal, rate, agreement), None
    year = (date(today.year + 1, 1, 1) - date(today.year, 1, 1)).days
    return (principal, rate, agreement), (principal, tariff.PENALTY_RATE_YEAR / year)


class _Stretch:
    """An independent tally of one charge over a run of days with one base."""

    def __init__(self) -> None:
        self.base, self.charged, self.exact = None, 0, Fraction(0)

    def add(self, base: tuple | None, charged: int) -> None:
        if base != self.base:
            self.base, self.charged, self.exact = base, 0, Fraction(0)
        if base is not None:
            self.charged += charged
            self.exact += base[0] * base[1]

    def within_the_rate(self, capped: bool) -> bool:
        """Never above the exact charge; below it by less than a kopeck unless the cap cut it."""
        return self.charged <= self.exact and (capped or self.charged > self.exact - 1)


residuals = st.integers(min_value=1, max_value=999)


@settings(max_examples=150, deadline=None)
@given(loan_terms, payment_lists, st.integers(0, 60), residuals, st.integers(1, 150))
def test_no_stretch_charges_above_its_legal_rate(
    t: Terms, payments: list[Payment], leave_on: int, residual: int, span: int
) -> None:
    # Leave a few kopecks of principal on some day: the hardest base for any rounding.
    before = debt_on(t, payments, day(leave_on))
    if before.total_kop > residual:
        payments = [*payments, Payment(day(leave_on), before.total_kop - residual)]
    debts = [debt_on(t, payments, day(k)) for k in range(span + 1)]
    interest, penalty = _Stretch(), _Stretch()
    for k in range(1, span + 1):
        today, yesterday = debts[k], debts[k - 1]
        interest_bases, penalty_bases = _bases(t, payments, k)
        interest.add(interest_bases, today.interest_accrued_kop - yesterday.interest_accrued_kop)
        penalty.add(penalty_bases, today.penalty_accrued_kop - yesterday.penalty_accrued_kop)
        assert today.charges_accrued_kop == today.interest_accrued_kop + today.penalty_accrued_kop
        assert interest.within_the_rate(today.capped)
        assert penalty.within_the_rate(today.capped)


@settings(max_examples=100, deadline=None)
@given(loan_terms, payment_lists, offsets, offsets)
def test_once_closed_nothing_accrues(t: Terms, payments: list[Payment], k: int, more: int) -> None:
    d = debt_on(t, payments, day(k))
    if not d.closed:
        payments = [*payments, Payment(day(k), d.total_kop)]
        d = debt_on(t, payments, day(k))
    assert d.closed
    later = debt_on(t, [p for p in payments if p.on <= day(k)], day(k + more))
    assert later.closed and later.total_kop == 0
    assert later.charges_accrued_kop == d.charges_accrued_kop
