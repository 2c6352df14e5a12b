"""The ledger's own rules: balanced or refused, one transaction per key, append-only, reversals."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, update
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from credit7_web.clock import FixedClock
from credit7_web.ledger import book
from credit7_web.ledger.models import Account, Kind, LedgerPosting, LedgerTransaction
from credit7_web.servicing import debt
from credit7_web.settings import Settings
from tests.factories import add_borrower
from tests.unit.payment_setup import pay, running_loan


def post(db: Session, clock: FixedClock, borrower_id: int, key: str, *lines: book.Line):
    return book.post(
        db,
        clock,
        Kind.CARD_CHECK,
        key=key,
        borrower_id=borrower_id,
        lines=lines,
        description="Проверочное списание",
        amount_kop=-300,
    )


def test_an_unbalanced_transaction_is_never_written(db: Session, clock: FixedClock) -> None:
    borrower = add_borrower(db, clock, "9001112233").id
    with pytest.raises(book.Unbalanced):
        post(db, clock, borrower, "k1", book.Line(Account.ACQUIRER, 300))
    with pytest.raises(book.Unbalanced):
        post(db, clock, borrower, "k1")  # nothing at all
    assert book.transactions(db) == []


def test_the_same_key_is_one_transaction(db: Session, clock: FixedClock) -> None:
    borrower = add_borrower(db, clock, "9001112233").id
    lines = (book.Line(Account.ACQUIRER, 300), book.Line(Account.CARD_CHECKS, -300))
    first = post(db, clock, borrower, "check:1", *lines)
    again = post(db, clock, borrower, "check:1", *lines, book.Line(Account.ACQUIRER, 0))
    db.commit()
    assert again.id == first.id
    assert len(book.lines_of(db, first.id)) == 2  # type: ignore[arg-type]


def test_postings_cannot_be_changed_or_removed(db: Session, clock: FixedClock) -> None:
    borrower = add_borrower(db, clock, "9001112233").id
    txn = post(
        db,
        clock,
        borrower,
        "check:2",
        book.Line(Account.ACQUIRER, 300),
        book.Line(Account.CARD_CHECKS, -300),
    )
    db.commit()
    for statement in (
        update(LedgerPosting).values(amount_kop=0),
        delete(LedgerPosting),
        update(LedgerTransaction).values(amount_kop=0),
        delete(LedgerTransaction),
    ):
        with pytest.raises(DBAPIError, match="append-only"):
            db.execute(statement)
        db.rollback()
    assert [x.amount_kop for x in book.lines_of(db, txn.id)] == [300, -300]  # type: ignore[arg-type]


def test_a_reversal_negates_a_payment_and_the_debt_forgets_it(
    db: Session, clock: FixedClock, settings: Settings
) -> None:

    from credit7_web.settings import Settings

    settings = Settings(secret_key=b"k", bcrypt_rounds=4)
    loan = running_loan(db, clock, settings, "9161112277")
    paid = pay(db, clock, settings, loan, 2_000_00).attempt
    txn = db.get(LedgerTransaction, paid.transaction_id)
    assert txn is not None
    reversal = book.reverse(db, clock, txn, "Возврат платежа банком (chargeback)")
    assert book.reverse(db, clock, txn, "ещё раз").id == reversal.id  # once per transaction
    db.commit()
    assert reversal.amount_kop == 2_000_00 and reversal.reverses_id == txn.id
    assert book.balances(db, loan.id).principal_kop == 10_000_00  # type: ignore[arg-type]
    assert debt.payments_of(db, loan.id) == []  # type: ignore[arg-type]
