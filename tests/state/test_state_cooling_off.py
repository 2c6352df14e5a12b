"""The cabinet during the cooling-off: when the money comes, «Отказаться от займа»; no one else's
loan can be cancelled, whatever a handler is sent."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from credit7_web import tariff
from credit7_web.clock import to_moscow
from credit7_web.lending.models import Loan, LoanStatus
from state.cabinet import CabinetState
from tests.state.harness import OTHER_PHONE, PHONE, Browser, make_borrower, sign_in, snapshot_all
from tests.state.lending_setup import OTHER_PAN, give_loan


@pytest.fixture(autouse=True)
def cooling_from_12_000(monkeypatch: pytest.MonkeyPatch) -> None:
    """The rule's threshold lowered for these tests, so the usual set-up loan falls under it."""
    monkeypatch.setattr(tariff, "COOLING_OFF_FROM", 12_000_00)


def status_of(engine: Engine, loan_id: int | None) -> str:
    with Session(engine) as s:
        loan = s.get(Loan, loan_id)
        assert loan is not None
        return loan.status


async def test_the_cabinet_says_when_and_cancels(browser: Browser, app_db: Engine) -> None:
    borrower = make_borrower(app_db, PHONE, filled=True)
    loan = give_loan(app_db, borrower, 12_000_00)
    assert loan.status == LoanStatus.COOLING_OFF and loan.disburse_after is not None
    browser.at("/cabinet").with_cookie(sign_in(app_db, borrower))
    await browser.send(CabinetState, "load")
    state = browser.state(CabinetState)
    assert state.money_at == to_moscow(loan.disburse_after).strftime("%d.%m.%Y %H:%M")
    assert state.pending.startswith("Договор подписан") and state.loan.number == ""
    await browser.send(CabinetState, "cancel_loan")
    state = browser.state(CabinetState)
    assert state.errors == {} and state.money_at == ""
    assert state.pending == "Вы отказались от займа. Ничего платить не нужно."
    assert status_of(app_db, loan.id) == LoanStatus.CANCELLED
    assert state.operations == [] or all("Выдача" not in o.text for o in state.operations)
    await browser.send(CabinetState, "cancel_loan")  # nothing left to cancel
    assert "деньги уже отправлены" in browser.state(CabinetState).errors[""]


async def test_another_borrowers_loan_cannot_be_cancelled(
    new_browser: Callable[[], Browser], app_db: Engine
) -> None:
    a = make_borrower(app_db, PHONE, filled=True)
    a_loan = give_loan(app_db, a, 12_000_00)
    b = make_borrower(app_db, OTHER_PHONE, filled=True, first_name="Пётр")
    tab = new_browser().at("/cabinet").with_cookie(sign_in(app_db, b))
    await tab.send(CabinetState, "load")
    assert tab.state(CabinetState).money_at == ""
    before = snapshot_all(app_db)
    with pytest.raises(TypeError):  # no handler takes a loan
        await tab.send(CabinetState, "cancel_loan", loan_id=a_loan.id)
    for answered in (None, "0", ["x"], {"loan": a_loan.id}):
        await tab.send(CabinetState, "cancel_loan", answered=answered)
    assert snapshot_all(app_db) == before
    assert status_of(app_db, a_loan.id) == LoanStatus.COOLING_OFF
    # B's own loan in its cooling-off is the only one B's cancel reaches.
    b_loan = give_loan(app_db, b, 12_000_00, OTHER_PAN)
    await tab.send(CabinetState, "cancel_loan")
    assert status_of(app_db, b_loan.id) == LoanStatus.CANCELLED
    assert status_of(app_db, a_loan.id) == LoanStatus.COOLING_OFF
