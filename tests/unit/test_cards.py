from __future__ import annotations

import re
from contextlib import suppress
from datetime import date

import pytest
from sqlalchemy import Engine, MetaData, String, Text
from sqlalchemy import select as sa_select
from sqlmodel import Session, select

from credit7_web import tariff
from credit7_web.clock import FixedClock
from credit7_web.errors import Refusal
from credit7_web.gateways.acquirer import BindingResult
from credit7_web.ledger import book
from credit7_web.ledger.models import Kind, LedgerTransaction
from credit7_web.lending import cards
from credit7_web.lending.models import BindingStatus, Card, CardBinding, CardStatus
from credit7_web.sandbox import acquirer as acq
from credit7_web.sandbox.acquirer import CardEntryError, SandboxAcquirer, check_card_entry
from credit7_web.sandbox.models import SandboxAcquirerCard, SandboxAcquirerOrder
from tests.factories import add_borrower

RETURN_URL = "/cards/return"
TODAY = date(2026, 11, 24)


def make_borrower(db: Session, clock: FixedClock, phone: str = "9001234567") -> int:
    borrower_id = add_borrower(db, clock, phone).id
    assert borrower_id is not None
    return borrower_id


def entry(number: str, expiry: str = "12/28") -> acq.CardEntry:
    return check_card_entry(number, expiry, "123", "IVAN IVANOV", TODAY)


def order_of(url: str) -> str:
    match = re.fullmatch(r"/sandbox/acquirer/pay/([0-9a-f]{32})", url)
    assert match, url
    return match[1]


def bind(
    db: Session,
    clock: FixedClock,
    borrower_id: int,
    number: str = acq.CARD_SUCCESS.number,
    code: str | None = None,
) -> tuple[SandboxAcquirer, str]:
    """Open a binding and play the browser's part on the hosted page."""
    acquirer = SandboxAcquirer(db, clock)
    order_id = order_of(cards.start_binding(db, clock, acquirer, borrower_id, RETURN_URL))
    acquirer.submit_card(order_id, entry(number))
    if code is not None:
        acquirer.submit_3ds(order_id, code)
    db.commit()
    return acquirer, order_id


def operations(db: Session) -> list[LedgerTransaction]:
    return book.transactions(db)


def all_text_values(engine: Engine) -> list[str]:
    """Every text value in every table of the database."""
    tables = MetaData()
    tables.reflect(engine)
    values: list[str] = []
    with engine.connect() as conn:
        for table in tables.sorted_tables:
            for column in table.columns:
                if isinstance(column.type, String | Text):
                    rows = conn.execute(sa_select(column))
                    values.extend(str(v) for (v,) in rows if v is not None)
    return values


# ----------------------------------------------------------------------------- happy path


def test_binding_records_card_and_both_operations(db: Session, clock: FixedClock) -> None:
    borrower_id = make_borrower(db, clock)
    acquirer, order_id = bind(db, clock, borrower_id)

    card = cards.finish_binding(db, clock, acquirer, borrower_id, order_id)

    assert card.masked == "411111******1111"
    assert (card.expiry_month, card.expiry_year) == (12, 2028)
    assert card.status == CardStatus.ACTIVE
    assert card.token.startswith("sbx_")
    assert cards.active_card(db, borrower_id) == card
    assert cards.card_label(card) == "Карта •••• 1111, до 12/28"

    binding = db.exec(select(CardBinding)).one()
    assert (binding.status, binding.card_id, binding.finished_at) == (
        BindingStatus.SUCCEEDED,
        card.id,
        clock.now(),
    )

    check, refund = operations(db)
    assert tariff.CARD_CHECK_MIN <= refund.amount_kop <= tariff.CARD_CHECK_MAX
    assert check.amount_kop == -refund.amount_kop
    assert (check.kind, refund.kind) == (Kind.CARD_CHECK, Kind.CARD_CHECK_REFUND)
    assert check.description == "Проверочное списание при привязке карты •••• 1111"
    assert refund.description == "Возврат проверочного списания"
    assert check.business_date == refund.business_date == clock.today()
    assert check.borrower_id == refund.borrower_id == borrower_id
    assert check.loan_id is None and check.external_id and refund.external_id
    assert acquirer.binding_result(order_id).check_amount_kop == refund.amount_kop


def test_no_card_number_anywhere_in_the_database(
    db: Session, clock: FixedClock, engine: Engine
) -> None:
    borrower_id = make_borrower(db, clock)
    typed = [acq.CARD_SUCCESS, acq.CARD_3DS, acq.CARD_DECLINED, acq.CARD_INSUFFICIENT]
    for card in typed:
        acquirer, order_id = bind(db, clock, borrower_id, card.number, code=acq.THREE_DS_CODE)
        with suppress(Refusal):
            cards.finish_binding(db, clock, acquirer, borrower_id, order_id)
    assert db.exec(select(Card)).all()
    values = all_text_values(engine)
    assert any("411111******1111" in v for v in values)  # the scan does see the card tables
    for card in typed:
        pan = card.number.replace(" ", "")
        assert not [v for v in values if pan in re.sub(r"\D", "", v)], card.number
    assert "123" not in values  # nor the CVC


def test_card_entry_repr_hides_the_number() -> None:
    typed = entry(acq.CARD_SUCCESS.number)
    assert "4111111111111111" not in repr(typed)
    assert "411111******1111" in repr(typed)


# ----------------------------------------------------------------------------- failures


@pytest.mark.parametrize(
    ("card", "reason"),
    [
        (acq.CARD_DECLINED, "Банк отклонил операцию"),
        (acq.CARD_INSUFFICIENT, "Недостаточно средств на карте"),
    ],
)
def test_refused_card_gives_the_reason_and_no_card(
    db: Session, clock: FixedClock, card: acq.TestCard, reason: str
) -> None:
    borrower_id = make_borrower(db, clock)
    acquirer, order_id = bind(db, clock, borrower_id, card.number)

    with pytest.raises(Refusal) as e:
        cards.finish_binding(db, clock, acquirer, borrower_id, order_id)
    assert e.value.errors == {"": reason}

    binding = db.exec(select(CardBinding)).one()
    assert (binding.status, binding.failure) == (BindingStatus.FAILED, reason)
    assert db.exec(select(Card)).all() == []
    assert operations(db) == []
    assert cards.active_card(db, borrower_id) is None

    with pytest.raises(Refusal) as again:  # a second return says the same, asks nobody
        cards.finish_binding(db, clock, None, borrower_id, order_id)  # type: ignore[arg-type]
    assert again.value.errors == {"": reason}


def test_three_ds_right_and_wrong_code(db: Session, clock: FixedClock) -> None:
    borrower_id = make_borrower(db, clock)
    acquirer, order_id = bind(db, clock, borrower_id, acq.CARD_3DS.number, code="123456")
    card = cards.finish_binding(db, clock, acquirer, borrower_id, order_id)
    assert card.masked == "400000******3220"

    acquirer, order_id = bind(db, clock, borrower_id, acq.CARD_3DS.number, code="654321")
    with pytest.raises(Refusal) as e:
        cards.finish_binding(db, clock, acquirer, borrower_id, order_id)
    assert e.value.errors == {"": "Неверный код подтверждения 3-D Secure"}
    assert cards.active_card(db, borrower_id) == card


def test_pending_binding_is_not_finished(db: Session, clock: FixedClock) -> None:
    borrower_id = make_borrower(db, clock)
    acquirer = SandboxAcquirer(db, clock)
    order_id = order_of(cards.start_binding(db, clock, acquirer, borrower_id, RETURN_URL))
    assert acquirer.binding_result(order_id) == BindingResult(status="pending")

    with pytest.raises(Refusal) as e:
        cards.finish_binding(db, clock, acquirer, borrower_id, order_id)
    assert "ещё не подтвердил" in e.value.errors[""]
    assert db.exec(select(CardBinding)).one().status == BindingStatus.PENDING


def test_another_borrowers_or_unknown_order_is_refused(db: Session, clock: FixedClock) -> None:
    owner = make_borrower(db, clock)
    stranger = make_borrower(db, clock, phone="9007654321")
    acquirer, order_id = bind(db, clock, owner)

    for who, order in [(stranger, order_id), (owner, "0" * 32), (owner, "")]:
        with pytest.raises(Refusal) as e:
            cards.finish_binding(db, clock, acquirer, who, order)
        assert e.value.errors == {"": "Привязка карты не найдена. Начните привязку заново"}
    assert db.exec(select(Card)).all() == []
    assert db.exec(select(CardBinding)).one().status == BindingStatus.PENDING


def test_finish_is_idempotent(db: Session, clock: FixedClock) -> None:
    borrower_id = make_borrower(db, clock)
    acquirer, order_id = bind(db, clock, borrower_id)
    first = cards.finish_binding(db, clock, acquirer, borrower_id, order_id)
    before = [(o.id, o.amount_kop) for o in operations(db)]

    second = cards.finish_binding(db, clock, acquirer, borrower_id, order_id)

    assert second.id == first.id
    assert [(o.id, o.amount_kop) for o in operations(db)] == before
    assert len(db.exec(select(Card)).all()) == 1


def test_new_card_replaces_the_old_one(db: Session, clock: FixedClock) -> None:
    borrower_id = make_borrower(db, clock)
    acquirer, order_id = bind(db, clock, borrower_id)
    old = cards.finish_binding(db, clock, acquirer, borrower_id, order_id)
    acquirer, order_id = bind(db, clock, borrower_id, "5555 5555 5555 4444")
    new = cards.finish_binding(db, clock, acquirer, borrower_id, order_id)

    db.refresh(old)
    assert old.status == CardStatus.REMOVED
    assert cards.active_card(db, borrower_id) == new
    assert new.masked == "555555******4444"
    assert len(operations(db)) == 4


# ----------------------------------------------------------------------------- payouts


def test_payout_is_idempotent(db: Session, clock: FixedClock) -> None:
    borrower_id = make_borrower(db, clock)
    acquirer, order_id = bind(db, clock, borrower_id)
    card = cards.finish_binding(db, clock, acquirer, borrower_id, order_id)

    first = acquirer.payout("payout-C7-2026-000001", card.token, 5_000_00)
    again = acquirer.payout("payout-C7-2026-000001", card.token, 5_000_00)
    other = acquirer.payout("payout-C7-2026-000002", card.token, 3_000_00)

    assert first.status == again.status == other.status == "succeeded"
    assert first.failure is None
    payouts = db.exec(
        select(SandboxAcquirerOrder).where(SandboxAcquirerOrder.kind == acq.KIND_PAYOUT)
    ).all()
    assert sorted(p.amount_kop for p in payouts) == [3_000_00, 5_000_00]


@pytest.mark.parametrize(
    ("behaviour", "reason"),
    [
        (acq.Behaviour.DECLINED, "Банк отклонил операцию"),
        (acq.Behaviour.INSUFFICIENT, "Недостаточно средств на карте"),
    ],
)
def test_payout_to_a_refusing_card_fails_once(
    db: Session, clock: FixedClock, behaviour: str, reason: str
) -> None:
    db.add(
        SandboxAcquirerCard(
            token="sbx_refusing",
            masked="400000******0002",
            expiry_month=1,
            expiry_year=2030,
            behaviour=behaviour,
        )
    )
    acquirer = SandboxAcquirer(db, clock)
    first = acquirer.payout("payout-refused-1", "sbx_refusing", 1_000_00)
    assert (first.status, first.failure) == ("failed", reason)
    stored = db.get(SandboxAcquirerCard, "sbx_refusing")
    assert stored is not None
    stored.behaviour = acq.Behaviour.SUCCESS  # the first answer stands all the same
    assert acquirer.payout("payout-refused-1", "sbx_refusing", 1_000_00) == first


def test_payout_to_an_unknown_card_fails(db: Session, clock: FixedClock) -> None:
    result = SandboxAcquirer(db, clock).payout("payout-nobody-1", "sbx_nothing", 1_000_00)
    assert result.status == "failed"
    assert result.failure == "Карта не найдена у эквайера"


# ----------------------------------------------------------------------------- the card checks


def test_test_cards_are_luhn_valid() -> None:
    for card in acq.TEST_CARDS:
        assert acq.luhn_ok(card.number.replace(" ", "")), card.number
    assert not acq.luhn_ok("4111111111111112")


@pytest.mark.parametrize(
    ("pan", "expiry", "cvc", "field", "message"),
    [
        ("4111 1111 1111 1112", "12/28", "123", "pan", "Проверьте номер карты"),
        ("4111", "12/28", "123", "pan", "Проверьте номер карты"),
        ("4111 1111 1111 1111", "10/26", "123", "expiry", "Срок действия карты истёк"),
        ("4111 1111 1111 1111", "13/28", "123", "expiry", "Месяц — от 01 до 12"),
        ("4111 1111 1111 1111", "00/28", "123", "expiry", "Месяц — от 01 до 12"),
        ("4111 1111 1111 1111", "12 28 1", "123", "expiry", "Укажите срок действия в виде ММ/ГГ"),
        ("4111 1111 1111 1111", "1328", "123", "expiry", "Месяц — от 01 до 12"),
        ("4111 1111 1111 1111", "12/28", "12", "cvc", "CVC — три цифры на обороте карты"),
        ("4111 1111 1111 1111", "12/28", "１２３", "cvc", "CVC — три цифры на обороте карты"),
    ],
)
def test_card_entry_is_checked(pan: str, expiry: str, cvc: str, field: str, message: str) -> None:
    with pytest.raises(CardEntryError) as e:
        check_card_entry(pan, expiry, cvc, "", TODAY)
    assert e.value.errors == {field: message}
    assert "4111" not in str(e.value)


def test_card_entry_accepts_this_month_and_four_digit_years() -> None:
    assert check_card_entry("4111-1111-1111-1111", "11/26", "000", "", TODAY).expiry_year == 2026
    assert check_card_entry("4111111111111111", "1/2030", "000", "", TODAY).expiry_month == 1


def test_card_entry_accepts_a_pasted_expiry_without_the_slash() -> None:
    typed = check_card_entry("4111111111111111", "1229", "000", "", TODAY)
    assert (typed.expiry_month, typed.expiry_year) == (12, 2029)


def test_hostile_return_urls_are_refused(db: Session, clock: FixedClock) -> None:
    acquirer = SandboxAcquirer(db, clock)
    hostile = ["javascript:alert(1)", "//evil.example/x", "", "/\\evil", "ftp://x/", "/a b"]
    for i, url in enumerate(hostile):
        with pytest.raises(ValueError):
            acquirer.start_binding(f"order-hostile-{i}", url)
    assert acquirer.start_binding("order-okay-1", "http://localhost:3000/cards/return")
