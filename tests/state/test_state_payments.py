"""«Погасить» in the cabinet and quick pay `/pay`, through their handlers and the return route."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from credit7_web import rate_limits
from credit7_web.ledger import book
from credit7_web.ledger.models import Kind, LedgerTransaction
from credit7_web.lending.models import Loan
from credit7_web.money import rub
from credit7_web.sandbox.acquirer import SandboxAcquirer
from credit7_web.sandbox.business_date import clock_for
from credit7_web.servicing import quick_pay
from credit7_web.servicing.models import PaymentAttempt
from state.cabinet import CabinetState
from state.quick_pay import QuickPayState
from state.repay import RepayState
from tests.state.harness import PHONE, Browser, all_rows, form, make_borrower, sign_in, sms_code
from tests.state.harness import snapshot as db_snapshot
from tests.state.lending_setup import give_loan, http_client, script_target, type_card

OTHER_PHONE = "9007654321"


@pytest.fixture(autouse=True)
def _fresh_limits() -> Iterator[None]:
    rate_limits.reset()
    yield
    rate_limits.reset()


def borrower_with_loan(engine: Engine, phone: str = PHONE) -> tuple[int, Loan]:
    borrower_id = make_borrower(engine, phone, active=True, filled=True)
    return borrower_id, give_loan(engine, borrower_id)


def order_of(hosted_url: str) -> str:
    return hosted_url.rsplit("/", 1)[1]


def back_from_acquirer(order: str) -> str:
    """The browser comes back to the return route; where it is sent on."""
    with http_client() as client:
        response = client.get(f"/payments/return?order={order}")
    assert response.status_code == 303
    return response.headers["location"]


def confirm_bound_card(engine: Engine, order: str) -> None:
    with Session(engine) as s:
        assert SandboxAcquirer(s, clock_for(s)).confirm_bound(order) is not None
        s.commit()


async def test_a_partial_payment_in_the_cabinet(browser: Browser, app_db: Engine) -> None:
    borrower_id, loan = borrower_with_loan(app_db)
    browser.at("/cabinet/pay").with_cookie(sign_in(app_db, borrower_id))
    assert await browser.send(RepayState, "load") == []
    state = browser.state(RepayState)
    assert (state.step, state.total, state.minimum) == ("form", rub(10_000_00), rub(100_00))
    assert state.card == "Карта •••• 1111, до 12/30"

    await browser.send(
        RepayState, "submit", form=form(choice="other", amount="1 500", card="bound")
    )
    assert (state.step, state.amount, state.errors) == ("code", rub(1_500_00), {})
    code = sms_code(app_db)
    hosted = script_target(
        await browser.send(RepayState, "confirm", form=form(code=code)), "assign"
    )
    # A double click's copy (no answer number) gets the same attempt, no second order.
    again = script_target(await browser.send(RepayState, "confirm", form=form(code=code)), "assign")
    assert again == hosted and len(all_rows(app_db, PaymentAttempt)) == 1

    confirm_bound_card(app_db, order_of(hosted))
    assert back_from_acquirer(order_of(hosted)) == f"/cabinet?payment={order_of(hosted)}"

    browser.at("/cabinet", f"payment={order_of(hosted)}")
    await browser.send(CabinetState, "load")
    cabinet = browser.state(CabinetState)
    assert cabinet.payment_note == f"Платёж {rub(1_500_00)} принят. Квитанция отправлена в SMS."
    assert cabinet.loan.total == rub(8_500_00)
    assert [row.total for row in cabinet.schedule] == [rub(8_500_00)]  # first loan: 0 % promo
    assert cabinet.operations[0].amount == "−" + rub(1_500_00)
    with Session(app_db) as s:
        assert book.balances(s, loan.id).principal_kop == 8_500_00  # type: ignore[arg-type]


async def test_amount_refusals_send_no_code(browser: Browser, app_db: Engine) -> None:
    borrower_id, _ = borrower_with_loan(app_db)
    browser.at("/cabinet/pay").with_cookie(sign_in(app_db, borrower_id))
    await browser.send(RepayState, "load")
    before = db_snapshot(app_db)
    for typed, message in (
        ("50", f"Не меньше {rub(100_00)}"),
        ("10000,01", f"Не больше долга на сегодня: {rub(10_000_00)}"),
        ("сто", "Укажите сумму платежа в рублях, например 1500 или 1500,50"),
    ):
        await browser.send(RepayState, "submit", form=form(choice="other", amount=typed))
        assert browser.state(RepayState).errors == {"amount": message}
    assert browser.state(RepayState).step == "form"
    assert db_snapshot(app_db) == before


async def test_another_borrowers_loan_cannot_be_paid(
    browser: Browser, new_browser, app_db: Engine
) -> None:
    owner_id, loan = borrower_with_loan(app_db)
    stranger = make_borrower(app_db, OTHER_PHONE, active=True, filled=True)
    # The owner's payment, charged: its order id is what a stranger might get hold of.
    owner = new_browser().at("/cabinet/pay").with_cookie(sign_in(app_db, owner_id))
    await owner.send(RepayState, "load")
    await owner.send(RepayState, "submit", form=form(choice="full", card="new"))
    code = sms_code(app_db)
    hosted = script_target(await owner.send(RepayState, "confirm", form=form(code=code)), "assign")

    browser.with_cookie(sign_in(app_db, stranger)).at("/cabinet/pay")
    assert (await browser.send(RepayState, "load"))[0].payload["path"] == "/cabinet"
    before = db_snapshot(app_db)
    await browser.send(RepayState, "submit", form=form(choice="full", loan_id=loan.id))
    assert browser.state(RepayState).errors == {"": "Этот заём уже погашен или не найден"}
    await browser.send(RepayState, "confirm", form=form(code=code))
    assert db_snapshot(app_db) == before
    # The stranger's cabinet shows nothing of the owner's payment.
    type_card(app_db, order_of(hosted))
    browser.at("/cabinet", f"payment={order_of(hosted)}")
    await browser.send(CabinetState, "load")
    assert browser.state(CabinetState).payment_note == ""
    assert browser.state(CabinetState).operations == []


async def test_quick_pay_finds_only_a_full_match_and_pays(browser: Browser, app_db: Engine) -> None:
    _, loan = borrower_with_loan(app_db)
    browser.at("/pay")
    await browser.send(QuickPayState, "load")
    for phone, surname in (
        ("+7 (900) 123-45-67", "Петров"),  # a wrong surname
        ("+7 (900) 765-43-21", "Иванов"),  # an unknown phone
    ):
        await browser.send(QuickPayState, "find", form=form(phone=phone, surname=surname))
        assert browser.state(QuickPayState).errors == {"": quick_pay.NOT_FOUND}
        assert (
            browser.state(QuickPayState).found,
            browser.state(QuickPayState).name,
            browser.state(QuickPayState).total,
            browser.state(QuickPayState).due,
        ) == (False, "", "", "")

    await browser.send(QuickPayState, "find", form=form(phone="89001234567", surname=" иванов "))
    assert (
        browser.state(QuickPayState).found,
        browser.state(QuickPayState).name,
        browser.state(QuickPayState).total,
    ) == (True, "Иван И.", rub(10_000_00))
    hosted = script_target(
        await browser.send(QuickPayState, "pay", form=form(amount="700")), "assign"
    )
    type_card(app_db, order_of(hosted))
    assert back_from_acquirer(order_of(hosted)) == f"/pay?payment={order_of(hosted)}"
    browser.at("/pay", f"payment={order_of(hosted)}")
    await browser.send(QuickPayState, "load")
    assert (
        browser.state(QuickPayState).note
        == f"Платёж {rub(700_00)} принят. Квитанция отправлена в SMS."
    )
    assert not browser.state(QuickPayState).found
    with Session(app_db) as s:
        paid = [t.amount_kop for t in book.transactions(s, [Kind.PAYMENT])]
    assert paid == [-700_00]
    assert all_rows(app_db, PaymentAttempt)[0].loan_id == loan.id


async def test_a_closed_loan_gets_the_same_reply(browser: Browser, app_db: Engine) -> None:
    make_borrower(app_db, active=True, filled=True)  # no loan at all
    browser.at("/pay")
    await browser.send(QuickPayState, "find", form=form(phone=PHONE, surname="Иванов"))
    assert browser.state(QuickPayState).errors == {"": quick_pay.NOT_FOUND}


async def test_quick_pay_stops_at_the_limit_per_phone(browser: Browser, app_db: Engine) -> None:
    borrower_with_loan(app_db)
    browser.at("/pay")
    for _ in range(rate_limits.QUICK_PAY_PER_PHONE.amount):
        await browser.send(QuickPayState, "find", form=form(phone=PHONE, surname="Петров"))
        assert browser.state(QuickPayState).errors == {"": quick_pay.NOT_FOUND}
    # Even the right surname is told nothing now.
    await browser.send(QuickPayState, "find", form=form(phone=PHONE, surname="Иванов"))
    assert (
        browser.state(QuickPayState).errors,
        browser.state(QuickPayState).found,
        browser.state(QuickPayState).name,
    ) == ({"": quick_pay.TOO_MANY}, False, "")
    assert all_rows(app_db, LedgerTransaction)  # nothing was paid, only the loan's own history
    assert all_rows(app_db, PaymentAttempt) == []
