"""The cabinet's reload reuses the dashboard it read before (`current_dashboard`) only while
nothing it shows has changed: never stale money after a payment, never another borrower's data."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine
from sqlmodel import Session

from credit7_web.identity.models import Profile
from credit7_web.lending.models import Loan
from credit7_web.money import rub
from credit7_web.sandbox import business_date
from credit7_web.servicing.booking import book_payment
from state.cabinet import CabinetState
from tests.state.harness import Browser, make_borrower, sign_in
from tests.state.lending_setup import give_loan

OTHER_PHONE = "9007654321"


async def cabinet_of(browser: Browser, engine: Engine, borrower_id: int) -> CabinetState:
    browser.at("/cabinet").with_cookie(sign_in(engine, borrower_id))
    return await reload(browser)


async def reload(browser: Browser) -> CabinetState:
    await browser.send(CabinetState, "load")
    return browser.state(CabinetState)


def pay(engine: Engine, loan: Loan, amount_kop: int) -> None:
    with Session(engine) as s:
        clock = business_date.clock_for(s)
        fresh = s.get(Loan, loan.id)
        assert fresh is not None
        book_payment(s, clock, fresh, amount_kop, key=f"test-{amount_kop}", description="Платёж")
        s.commit()


async def test_a_reload_after_a_payment_shows_the_new_debt(
    browser: Browser, app_db: Engine
) -> None:
    borrower_id = make_borrower(app_db, active=True, filled=True)
    loan = give_loan(app_db, borrower_id)
    cabinet = await cabinet_of(browser, app_db, borrower_id)
    assert cabinet.loan.total == rub(10_000_00)
    cabinet = await reload(browser)  # an unchanged reload: the same figures
    assert cabinet.loan.total == rub(10_000_00)

    pay(app_db, loan, 2_500_00)
    cabinet = await reload(browser)
    assert cabinet.loan.total == rub(7_500_00)
    assert [row.total for row in cabinet.schedule] == [rub(7_500_00)]
    assert cabinet.operations[0].amount == "−" + rub(2_500_00)

    pay(app_db, loan, 7_500_00)  # paid off: no running loan any more
    cabinet = await reload(browser)
    assert (cabinet.loan.number, cabinet.schedule) == ("", [])


async def test_each_borrower_sees_only_their_own_cabinet(
    new_browser: Callable[[], Browser], app_db: Engine
) -> None:
    first = make_borrower(app_db, active=True, filled=True)
    give_loan(app_db, first, amount_kop=10_000_00)
    second = make_borrower(app_db, OTHER_PHONE, active=True, filled=True, passport_number="654321")
    give_loan(app_db, second, amount_kop=5_000_00)
    for _ in range(2):  # the second time round, both are reloads
        one = await cabinet_of(new_browser(), app_db, first)
        other = await cabinet_of(new_browser(), app_db, second)
        assert (one.loan.total, one.phone) == (rub(10_000_00), "+7 (900) 123-45-67")
        assert (other.loan.total, other.phone) == (rub(5_000_00), "+7 (900) 765-43-21")
        assert one.loan.number != other.loan.number


async def test_a_reload_shows_a_new_name_and_a_moved_business_date(
    browser: Browser, app_db: Engine
) -> None:
    borrower_id = make_borrower(app_db, active=True, filled=True)
    give_loan(app_db, borrower_id)
    cabinet = await cabinet_of(browser, app_db, borrower_id)
    days_before = cabinet.loan.days
    with Session(app_db) as s:
        profile = s.get(Profile, borrower_id)
        assert profile is not None
        profile.first_name, profile.middle_name = "Пётр", "Ильич"
        s.add(profile)
        business_date.move(s, 3)
        s.commit()
    cabinet = await reload(browser)
    assert cabinet.name == "Пётр Ильич"
    assert cabinet.loan.days != days_before
