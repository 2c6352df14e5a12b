"""CabinetState: only for a signed-in borrower with the questionnaire done; sign-out."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from credit7_web.identity import sessions
from credit7_web.lending.models import ApplicationStatus, LoanApplication
from credit7_web.russian import format_date
from credit7_web.wiring import settings
from state.cabinet import CabinetState
from tests.state.harness import (
    CLOCK,
    Browser,
    make_borrower,
    redirect_to,
    sign_in,
    snapshot,
)

TO_SIGN_IN = "/login?next=%2Fcabinet"


def assert_cleared(state: CabinetState) -> None:
    assert (state.name, state.phone, state.requested, state.loaded) == ("", "", "", False)


def live(engine: Engine, token: str) -> bool:
    with Session(engine) as s:
        return sessions.resolve(s, CLOCK, settings(), token) is not None


async def test_load_for_an_anonymous_visitor_asks_to_sign_in(
    browser: Browser, app_db: Engine
) -> None:
    make_borrower(app_db, active=True)
    browser.at("/cabinet")
    before = snapshot(app_db)
    assert redirect_to(await browser.send(CabinetState, "load")) == TO_SIGN_IN
    assert_cleared(browser.state(CabinetState))
    assert snapshot(app_db) == before


async def test_load_sends_an_unfinished_borrower_to_the_questionnaire(
    browser: Browser, app_db: Engine
) -> None:
    browser.at("/cabinet").with_cookie(sign_in(app_db, make_borrower(app_db)))
    assert redirect_to(await browser.send(CabinetState, "load")) == "/register/questionnaire"
    assert_cleared(browser.state(CabinetState))


async def test_load_greets_the_borrower(browser: Browser, app_db: Engine) -> None:
    borrower_id = make_borrower(
        app_db, active=True, first_name="Иван", middle_name="Иванович", requested=(500_000, 10)
    )
    browser.at("/cabinet").with_cookie(sign_in(app_db, borrower_id))
    assert await browser.send(CabinetState, "load") == []
    state = browser.state(CabinetState)
    assert (state.name, state.phone, state.loaded) == (
        "Иван Иванович",
        "+7 (900) 123-45-67",
        True,
    )
    assert state.requested == "5\u00a0000\u00a0₽ на 10 дн."


async def test_load_without_a_name_greets_by_phone(browser: Browser, app_db: Engine) -> None:
    browser.at("/cabinet").with_cookie(sign_in(app_db, make_borrower(app_db, active=True)))
    await browser.send(CabinetState, "load")
    state = browser.state(CabinetState)
    assert (state.name, state.phone, state.requested) == (
        "+7 (900) 123-45-67",
        "+7 (900) 123-45-67",
        "",
    )


async def test_a_dead_session_clears_what_the_page_showed(browser: Browser, app_db: Engine) -> None:
    token = sign_in(app_db, make_borrower(app_db, active=True, first_name="Иван"))
    browser.at("/cabinet").with_cookie(token)
    await browser.send(CabinetState, "load")
    assert browser.state(CabinetState).name == "Иван"
    with Session(app_db) as s:
        sessions.revoke(s, CLOCK, token)
    assert redirect_to(await browser.send(CabinetState, "load")) == TO_SIGN_IN
    assert_cleared(browser.state(CabinetState))
    assert '"name_rx_state_": ""' in browser.deltas[-1]


async def test_a_refused_application_shows_with_its_reason_and_reapply_date(
    browser: Browser, app_db: Engine
) -> None:
    borrower_id = make_borrower(app_db, active=True)
    today = CLOCK.today()
    refusal = "Мы оценили вашу анкету и сейчас не можем выдать заём."

    def refuse(reapply: date | None) -> None:
        with Session(app_db) as s:
            s.add(
                LoanApplication(
                    borrower_id=borrower_id,
                    amount_kop=10_000_00,
                    term_days=20,
                    first_loan=True,
                    status=ApplicationStatus.REFUSED,
                    created_at=CLOCK.now(),
                    application_date=today,
                    refusal_text=refusal,
                    reapply_after=reapply,
                )
            )
            s.commit()

    browser.at("/cabinet").with_cookie(sign_in(app_db, borrower_id))
    await browser.send(CabinetState, "load")
    assert (browser.state(CabinetState).refusal, browser.state(CabinetState).reapply) == ("", "")
    refuse(today + timedelta(days=30))
    await browser.send(CabinetState, "load")
    state = browser.state(CabinetState)
    assert (state.refusal, state.reapply) == (refusal, format_date(today + timedelta(days=30)))
    refuse(today)  # a newer refusal that allows a new application at once: no date to wait for
    await browser.send(CabinetState, "load")
    state = browser.state(CabinetState)
    assert (state.refusal, state.reapply) == (refusal, "")
