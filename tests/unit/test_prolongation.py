"""Prolongation by PRODUCT.md: when it is allowed, what is paid now, the new due date and ПСК, the
promo's end, and the stored agreement the debt follows afterwards (with its PDF)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select

from credit7_web import tariff
from credit7_web.clock import FixedClock
from credit7_web.documents import archive
from credit7_web.documents.models import Document, DocumentKind
from credit7_web.errors import Refusal
from credit7_web.lending.models import Loan
from credit7_web.servicing import debt, prolongation
from credit7_web.servicing.debt import Payment, Terms, debt_on
from credit7_web.servicing.models import Prolongation
from credit7_web.settings import Settings
from tests.unit.account_setup import lend, make_person
from tests.unit.test_debt import DAY_INTEREST, START, P, day, penalty, terms
from tests.unit.test_documents import all_text, pages_text

DUE = day(20)


def test_not_before_three_days_before_the_due_date() -> None:
    with pytest.raises(Refusal) as caught:
        prolongation.offer(terms(), [], day(16))
    assert caught.value.errors == {"": "Продлить заём можно с 11.12.2026"}
    assert prolongation.offer(terms(), [], day(17)).new_due == day(50)


def test_until_sixty_days_past_the_due_date() -> None:
    late = prolongation.offer(terms(), [], day(80))
    assert late.new_due == day(110)  # 30 days after the prolongation day, the later one
    with pytest.raises(Refusal, match="не позже 60 дней"):
        prolongation.offer(terms(), [], day(81))


def test_numbered_and_at_most_five_times() -> None:
    t, payments = terms(), []
    for n in (1, 2, 3):
        offer = prolongation.offer(t, payments, t.due)  # on each due date, paid each time
        assert offer.number == n and offer.left_after == tariff.MAX_PROLONGATIONS - n
        t, payments = offer.terms, [*payments, Payment(t.due, offer.pay_now_kop)]
    fifth = [day(17 + 30 * k) for k in range(tariff.MAX_PROLONGATIONS)]
    t = terms(prolongations=tuple(fifth), due=day(170))
    with pytest.raises(Refusal) as caught:
        prolongation.offer(t, [Payment(day(150), 9_000_00)], day(168))
    assert caught.value.errors == {"": "Заём уже продлён 5 раз: больше продлевать нельзя"}


def test_not_once_capped_nor_closed() -> None:
    # Services of 9 000 ₽ leave 1 000 ₽ of room: 12,5 days of interest.
    capped = terms(services=9_000_00, days=14)
    with pytest.raises(Refusal, match="100 %"):
        prolongation.offer(capped, [], day(13))
    with pytest.raises(Refusal, match="погашен"):
        prolongation.offer(terms(), [Payment(day(5), 10_400_00)], day(18))


def test_before_the_due_date_pays_the_interest_to_date_and_moves_it_by_30_days() -> None:
    offer = prolongation.offer(terms(), [], day(18))
    assert (offer.interest_kop, offer.penalty_kop) == (18 * DAY_INTEREST, 0)
    assert offer.pay_now_kop == 1_440_00
    assert (offer.due, offer.new_due, offer.new_days) == (DUE, day(50), 32)
    assert offer.principal_kop == P  # the unpaid interest is not added to the principal
    assert offer.new_interest_kop == 32 * DAY_INTEREST
    assert offer.new_total_kop == P + 32 * DAY_INTEREST
    assert offer.psk_percent == Decimal("292.000")
    assert not offer.promo_ends


def test_overdue_pays_interest_and_penalty_and_runs_30_days_from_today() -> None:
    offer = prolongation.offer(terms(), [], day(25))
    # Four overdue days carry a penalty; the prolongation day itself is under the new due date.
    assert offer.interest_kop == 25 * DAY_INTEREST
    assert offer.penalty_kop == penalty(4)
    assert offer.new_due == day(55) and offer.new_interest_kop == 30 * DAY_INTEREST
    after = debt_on(offer.terms, [Payment(day(25), offer.pay_now_kop)], day(25))
    assert after.total_kop == P and not after.overdue and after.due == day(55)


def test_a_first_loan_before_its_due_date_pays_nothing_and_loses_the_promo() -> None:
    offer = prolongation.offer(terms(promo=True), [], day(19))
    assert offer.pay_now_kop == 0 and offer.promo_ends
    assert offer.new_due == day(50) and offer.new_interest_kop == 31 * DAY_INTEREST
    assert debt_on(offer.terms, [], day(20)).interest_kop == DAY_INTEREST  # base rate from day 20
    overdue = prolongation.offer(terms(promo=True), [], day(22))
    assert not overdue.promo_ends  # it ended on the first overdue day
    assert overdue.interest_kop == 2 * DAY_INTEREST


@settings(max_examples=100, deadline=None)
@given(
    st.integers(min_value=1_000_00, max_value=50_000_00),
    st.booleans(),
    st.integers(min_value=-3, max_value=60),
    st.lists(st.integers(min_value=100_00, max_value=3_000_00), max_size=2),
)
def test_after_paying_the_offer_only_principal_and_services_are_owed(
    principal: int, promo: bool, offset: int, paid: list[int]
) -> None:
    t = terms(principal=principal, promo=promo, services=99_00)
    today = DUE + timedelta(days=offset)
    payments = [Payment(day(3 + i), amount) for i, amount in enumerate(paid)]
    try:
        offer = prolongation.offer(t, payments, today)
    except Refusal:
        owed = debt_on(t, payments, today)
        assert owed.capped or owed.principal_kop == 0
        return
    with_it = [*payments, Payment(today, offer.pay_now_kop)] if offer.pay_now_kop else payments
    after = debt_on(offer.terms, with_it, today)
    assert after.all_interest_kop == 0 and after.penalty_kop == 0
    assert after.principal_kop == offer.principal_kop == debt_on(t, payments, today).principal_kop
    assert after.due == offer.new_due == max(debt_on(t, payments, today).due, today) + timedelta(30)
    on_due = debt_on(offer.terms, with_it, offer.new_due)
    assert on_due.total_kop == offer.new_total_kop and not on_due.overdue
    assert offer.psk_percent <= tariff.PSK_CAP_PERCENT


# ----------------------------------------------------------------------------- stored


def _prolong(db: Session, clock: FixedClock, settings: Settings, loan: Loan) -> Prolongation:
    offer = prolongation.offer_for(db, clock, loan)
    row = prolongation.extend(
        db, clock, settings, loan, offer, signed_phone="9161234567", code_hash="0" * 64
    )
    db.commit()
    return row


def test_a_stored_prolongation_moves_the_debt_and_files_the_agreement(
    db: Session, clock: FixedClock, settings: Settings
) -> None:
    loan = lend(db, clock, settings, make_person(db, clock, settings))
    assert loan.due_date == clock.today() + timedelta(days=20)
    clock.advance(timedelta(days=25))  # five days overdue
    offer = prolongation.offer_for(db, clock, loan)
    row = _prolong(db, clock, settings, loan)
    assert (row.number, row.new_due, row.paid_kop) == (
        1,
        clock.today() + timedelta(30),
        offer.pay_now_kop,
    )
    assert debt.prolongations_of(db, loan) == (clock.today(),)
    assert db.get(Loan, loan.id).due_date == row.new_due  # type: ignore[union-attr]
    # The debt now follows the agreement: not overdue, due in 30 days.
    owed = debt.loan_debt(db, loan, clock.today())
    assert not owed.overdue and owed.due == row.new_due

    doc = db.exec(select(Document).where(Document.kind == DocumentKind.PROLONGATION)).one()
    assert doc.title.startswith(f"Дополнительное соглашение № 1 к договору № {loan.number}")
    _, pdf = archive.read_document(db, settings, loan.borrower_id, doc.id)  # type: ignore[misc, arg-type]
    first = pages_text(pdf)[0]
    assert "ДОПОЛНИТЕЛЬНОЕ СОГЛАШЕНИЕ № 1" in first
    assert "ПОЛНАЯ СТОИМОСТЬ ЗАЙМА" in first and "292,000 % годовых" in first
    text = all_text(pdf)
    new_due = row.new_due.strftime("%d.%m.%Y")
    assert f"на {new_due} включительно" in text
    assert "График платежей" in text and "10 000 ₽" in text
    assert "+7 (916) 123-45-67" in text


def test_the_same_offer_twice_is_refused(
    db: Session, clock: FixedClock, settings: Settings
) -> None:
    loan = lend(db, clock, settings, make_person(db, clock, settings))
    clock.advance(timedelta(days=19))
    offer = prolongation.offer_for(db, clock, loan)
    _prolong(db, clock, settings, loan)
    with pytest.raises(Refusal, match="можно с"):
        prolongation.extend(db, clock, settings, loan, offer, signed_phone="9", code_hash="0")
    stale = replace(offer, number=2)
    clock.advance(timedelta(days=28))
    with pytest.raises(Refusal, match="изменились"):
        prolongation.extend(db, clock, settings, loan, stale, signed_phone="9", code_hash="0")


def test_own_loan_refuses_others_and_garbage(
    db: Session, clock: FixedClock, settings: Settings
) -> None:
    loan = lend(db, clock, settings, make_person(db, clock, settings))
    other = make_person(db, clock, settings, phone="9167654321")
    assert prolongation.own_loan(db, loan.borrower_id, loan.id).id == loan.id
    for borrower, loan_id in (
        (other, loan.id),
        (loan.borrower_id, True),
        (loan.borrower_id, "1"),
        (loan.borrower_id, None),
        (loan.borrower_id, 10**9),
    ):
        with pytest.raises(Refusal) as caught:
            prolongation.own_loan(db, borrower, loan_id)
        assert caught.value.errors == {"": "Заём не найден"}


def test_terms_carry_the_rule_moved_due_dates() -> None:
    t = Terms(P, START, day(50), day(20), prolongations=(day(18),))
    assert debt_on(t, [], day(30)).due == day(50)
