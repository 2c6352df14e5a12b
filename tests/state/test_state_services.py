"""«Отказаться от услуги» in the cabinet: each bought service with its window, the refusal and
where its refund is; another borrower's service cannot be refused through any handler."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from credit7_web.sandbox.acquirer import SandboxAcquirer
from credit7_web.sandbox.business_date import clock_for
from credit7_web.servicing import services
from credit7_web.servicing.models import ServiceRefusal
from credit7_web.wiring import settings
from state.cabinet import CabinetState
from tests.state.harness import (
    OTHER_PHONE,
    PHONE,
    Browser,
    all_rows,
    make_borrower,
    sign_in,
    snapshot_all,
)
from tests.state.lending_setup import OTHER_PAN, give_loan


def refund_job(engine: Engine) -> int:
    with Session(engine) as s:
        clock = clock_for(s)
        return services.refund_due(s, clock, settings(), SandboxAcquirer(s, clock))


async def test_refuse_a_service_and_see_its_refund(browser: Browser, app_db: Engine) -> None:
    borrower = make_borrower(app_db, PHONE, filled=True)
    give_loan(app_db, borrower, 12_000_00, services=("life", "report"))
    browser.at("/cabinet").with_cookie(sign_in(app_db, borrower))
    await browser.send(CabinetState, "load")
    state = browser.state(CabinetState)
    assert [(s.title, s.price, s.can_refuse) for s in state.services_bought] == [
        ("Страхование жизни", "290\u00a0₽", True),
        ("Отчёт о кредитной истории", "99\u00a0₽", True),
    ]
    assert state.services_bought[0].note.startswith("Отказаться можно до ")
    total = state.loan.total
    await browser.send(CabinetState, "refuse_service", code="life")
    state = browser.state(CabinetState)
    life = state.services_bought[0]
    assert not life.can_refuse and life.note.startswith("Отказ принят: вернём 290\u00a0₽ до ")
    assert state.services_bought[1].can_refuse
    assert refund_job(app_db) == 1
    await browser.send(CabinetState, "load")
    state = browser.state(CabinetState)
    assert state.services_bought[0].note.startswith("Возвращено 290\u00a0₽ ")
    assert state.loan.total != total and state.loan.services_due == "99\u00a0₽"
    assert state.operations[0].text == (
        f"Возврат за услугу «Страхование жизни» по договору № {state.loan.number}"
    )
    assert state.operations[0].amount == "+290\u00a0₽"


async def test_another_borrowers_service_cannot_be_refused(
    new_browser: Callable[[], Browser], app_db: Engine
) -> None:
    a = make_borrower(app_db, PHONE, filled=True)
    give_loan(app_db, a, 12_000_00, services=("life",))
    b = make_borrower(app_db, OTHER_PHONE, filled=True, first_name="Пётр")
    tab = new_browser().at("/cabinet").with_cookie(sign_in(app_db, b))
    await tab.send(CabinetState, "load")
    before = snapshot_all(app_db)
    with pytest.raises(TypeError):  # no handler takes a loan
        await tab.send(CabinetState, "refuse_service", code="life", loan_id=1)
    for code in ("life", None, ["life"], {"code": "life"}, "x" * 10_000, 1):
        await tab.send(CabinetState, "refuse_service", code=code)
        assert tab.state(CabinetState).errors == {"": "Услуга не найдена"}
    assert snapshot_all(app_db) == before
    # B's own loan without that service: still nothing of A's.
    give_loan(app_db, b, 5_000_00, OTHER_PAN, services=("report",))
    await tab.send(CabinetState, "refuse_service", code="life")
    assert tab.state(CabinetState).errors == {"": "Услуга не найдена"}
    await tab.send(CabinetState, "refuse_service", code="report")
    assert [(r.borrower_id, r.service) for r in all_rows(app_db, ServiceRefusal)] == [(b, "report")]
