"""ProlongState: the offer itemised, SMS code, the acquirer's page, extended only once paid; no
handler reaches another borrower's loan, whatever it is sent."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from credit7_web.documents.models import Document, DocumentKind
from credit7_web.lending.models import Loan
from credit7_web.russian import format_date
from credit7_web.sandbox import business_date
from credit7_web.sandbox.acquirer import SandboxAcquirer
from credit7_web.sandbox.business_date import clock_for
from credit7_web.servicing.models import PaymentAttempt, PaymentStatus, Prolongation
from state.cabinet import CabinetState
from state.prolong import ProlongState
from tests.state.harness import (
    OTHER_PHONE,
    PHONE,
    Browser,
    all_rows,
    form,
    make_borrower,
    redirect_to,
    sign_in,
    sms_code,
    snapshot_all,
)
from tests.state.lending_setup import OTHER_PAN, give_loan

PAGE = "/cabinet/prolong"


def move(engine: Engine, days: int) -> None:
    with Session(engine) as s:
        business_date.move(s, days)


def loan_of(engine: Engine, loan_id: int) -> Loan:
    with Session(engine) as s:
        loan = s.get(Loan, loan_id)
        assert loan is not None
        return loan


def pay_on_the_acquirer_page(engine: Engine, script: str) -> str:
    """The payer confirms the bound card on the hosted page; the order id it came with."""
    order = script.split("/")[-1].split('"')[0]
    with Session(engine) as s:
        assert SandboxAcquirer(s, clock_for(s)).confirm_bound(order) is not None
        s.commit()
    return order


@pytest.fixture
def a(app_db: Engine) -> tuple[int, Loan]:
    borrower = make_borrower(app_db, PHONE, filled=True)
    return borrower, give_loan(app_db, borrower, 12_000_00)


async def test_anonymous_is_sent_to_sign_in(browser: Browser, app_db: Engine) -> None:
    browser.at(PAGE)
    assert (
        redirect_to(await browser.send(ProlongState, "load")) == "/login?next=%2Fcabinet%2Fprolong"
    )
    assert not browser.state(ProlongState).loaded


async def test_not_offered_early_and_no_button_in_the_cabinet(
    browser: Browser, app_db: Engine, a: tuple[int, Loan]
) -> None:
    borrower, loan = a
    browser.at("/cabinet").with_cookie(sign_in(app_db, borrower))
    await browser.send(CabinetState, "load")
    assert not browser.state(CabinetState).loan.can_prolong
    browser.at(PAGE)
    await browser.send(ProlongState, "load")
    state = browser.state(ProlongState)
    opens = format_date(loan.due_date - timedelta(days=3))  # type: ignore[operator]
    assert state.unavailable == f"Продлить заём можно с {opens}"
    assert state.offer.number == 0
    before = snapshot_all(app_db)
    await browser.send(ProlongState, "send_code")
    assert browser.state(ProlongState).errors == {"": f"Продлить заём можно с {opens}"}
    assert snapshot_all(app_db) == before


async def test_an_overdue_loan_is_prolonged_once_paid(
    browser: Browser, app_db: Engine, a: tuple[int, Loan]
) -> None:
    borrower, loan = a
    move(app_db, 25)  # five days overdue (a first loan: its promo ended on the first of them)
    browser.at("/cabinet").with_cookie(sign_in(app_db, borrower))
    await browser.send(CabinetState, "load")
    assert browser.state(CabinetState).loan.can_prolong
    browser.at(PAGE)
    await browser.send(ProlongState, "load")
    offer = browser.state(ProlongState).offer
    assert offer.number == 1 and offer.left == "ещё 4 раза" and not offer.promo_ends
    # Interest of days 21–25 (5 × 96 ₽); the penalty of days 21–24: 12 000 ₽ × 20 %/365 × 4.
    assert offer.pay_now == "506,30\u00a0₽"
    assert offer.interest == "480\u00a0₽" and offer.penalty == "26,30\u00a0₽"
    assert offer.psk == "292,000\u00a0%" and offer.principal == "12\u00a0000\u00a0₽"
    await browser.send(ProlongState, "send_code")
    assert browser.state(ProlongState).signing
    code = sms_code(app_db, PHONE)
    events = await browser.send(ProlongState, "confirm", form=form(code=code))
    script = events[0].payload["javascript_code"]
    assert script.startswith("window.location.assign(") and "/sandbox/acquirer/pay/" in script
    assert all_rows(app_db, Prolongation) == []  # signed, not paid: nothing extended yet
    order = pay_on_the_acquirer_page(app_db, script)

    browser.at(PAGE, f"order={order}")
    await browser.send(ProlongState, "load")
    state = browser.state(ProlongState)
    [row] = all_rows(app_db, Prolongation)
    assert state.done.startswith(f"Заём продлён до {format_date(row.new_due)}")
    assert loan_of(app_db, loan.id).due_date == row.new_due  # type: ignore[arg-type]
    browser.at("/cabinet")
    await browser.send(CabinetState, "load")
    cabinet = browser.state(CabinetState)
    assert cabinet.loan.due == format_date(row.new_due) and cabinet.loan.status == "Активен"
    assert cabinet.schedule[0].date == format_date(row.new_due)
    assert cabinet.schedule[0].total == "14\u00a0880\u00a0₽"  # 12 000 ₽ + 30 × 96 ₽
    assert any(d.title.startswith("Дополнительное соглашение № 1") for d in cabinet.documents)
    assert any(o.amount == "−506,30\u00a0₽" for o in cabinet.operations)


async def test_a_wrong_code_extends_nothing(
    browser: Browser, app_db: Engine, a: tuple[int, Loan]
) -> None:
    borrower, _ = a
    move(app_db, 19)
    browser.at(PAGE).with_cookie(sign_in(app_db, borrower))
    await browser.send(ProlongState, "load")
    await browser.send(ProlongState, "send_code")
    code = sms_code(app_db, PHONE)
    wrong = "000000" if code != "000000" else "111111"
    for sent in (form(code=wrong), form(code="12"), None, "junk", form(code=["1"])):
        await browser.send(ProlongState, "confirm", form=sent)
        assert "code" in browser.state(ProlongState).errors
    assert all_rows(app_db, Prolongation) == [] and all_rows(app_db, PaymentAttempt) == []


async def test_no_handler_reaches_another_borrowers_loan(
    new_browser: Callable[[], Browser], app_db: Engine, a: tuple[int, Loan]
) -> None:
    owner, loan = a
    move(app_db, 25)
    # A signs and is sent to pay: an order of A's is open.
    tab_a = new_browser().at(PAGE).with_cookie(sign_in(app_db, owner))
    await tab_a.send(ProlongState, "load")
    await tab_a.send(ProlongState, "send_code")
    events = await tab_a.send(ProlongState, "confirm", form=form(code=sms_code(app_db, PHONE)))
    order = pay_on_the_acquirer_page(app_db, events[0].payload["javascript_code"])

    b = make_borrower(app_db, OTHER_PHONE, filled=True, first_name="Пётр")
    tab_b = new_browser().with_cookie(sign_in(app_db, b))
    before = snapshot_all(app_db)
    # B comes "back" with A's order: it is not B's, nothing is finished or extended.
    await tab_b.at(PAGE, f"order={order}").send(ProlongState, "load")
    assert tab_b.state(ProlongState).unavailable == "Нет займа, который можно продлить"
    assert tab_b.state(ProlongState).loan_number == ""
    # No handler takes a loan: hostile arguments are refused, private vars cannot be set.
    for handler, payload in (
        ("send_code", {"loan_id": loan.id}),
        ("confirm", {"form": form(code="123456"), "loan_id": loan.id}),
    ):
        with pytest.raises(TypeError):
            await tab_b.send(ProlongState, handler, **payload)
    with pytest.raises(AttributeError):
        await tab_b.send(ProlongState, "setvar", var_name="_loan_id", value=loan.id)
    await tab_b.send(ProlongState, "send_code")
    await tab_b.send(ProlongState, "confirm", form=form(code="123456"))
    assert tab_b.state(ProlongState).errors == {"": "Заём не найден"}
    assert snapshot_all(app_db)["prolongation"] == before["prolongation"] == []
    with Session(app_db) as s:
        attempt = s.exec(select(PaymentAttempt).where(PaymentAttempt.order_id == order)).one()
        assert attempt.status == PaymentStatus.PENDING  # only A's return finishes it
    # B's own loan is B's business: still nothing of A's moves.
    give_loan(app_db, b, 5_000_00, OTHER_PAN)
    await tab_b.at(PAGE).send(ProlongState, "load")
    assert tab_b.state(ProlongState).loan_number != loan.number
    await tab_a.at(PAGE, f"order={order}").send(ProlongState, "load")
    assert [p.loan_id for p in all_rows(app_db, Prolongation)] == [loan.id]
    assert [
        d.loan_id for d in all_rows(app_db, Document) if d.kind == DocumentKind.PROLONGATION
    ] == [loan.id]
