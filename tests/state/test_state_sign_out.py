"""What a tab still holds, and would send on its next reload, after its borrower signs out.

A Reflex tab keeps its client token across page loads, and the first event of every load
(`hydrate`) sends the tab the whole state tree. Whatever a signed-in borrower's pages put in
frontend vars must therefore be gone once the session is, or the next person at the browser
gets it.
"""

from __future__ import annotations

import pytest
from reflex.state import State
from sqlalchemy import Engine
from sqlmodel import Session

from credit7_web.identity import sessions
from state.cabinet import CabinetState
from state.questionnaire import QuestionnaireState
from tests.state.harness import (
    CLOCK,
    OTHER_PHONE,
    SECTIONS,
    Browser,
    make_borrower,
    redirect_to,
    section_form,
    set_session_times,
    sign_in,
)

PII = ("Иванов", "45 10", "123456", "112-233-445 95", "Ленина", "50000")


async def reload_page(browser: Browser, path: str) -> str:
    """What the tab receives when the page at `path` is loaded again: the hydrate delta."""
    browser.at(path)
    browser.deltas.clear()
    await browser.send(State, "hydrate")
    return "\n".join(browser.deltas)


async def fill_questionnaire(browser: Browser, engine: Engine) -> str:
    token = sign_in(engine, make_borrower(engine))
    browser.at("/register/questionnaire").with_cookie(token)
    await browser.send(QuestionnaireState, "load")
    for step, section in enumerate(SECTIONS):
        sent = section_form(step, **section)
        events = await browser.send(QuestionnaireState, "submit", form=sent)
    assert redirect_to(events) == "/cabinet"
    return token


async def test_the_cabinet_forgets_its_borrower_once_the_cookie_is_gone(
    browser: Browser, app_db: Engine
) -> None:
    token = sign_in(app_db, make_borrower(app_db, active=True, first_name="Иван"))
    browser.at("/cabinet").with_cookie(token)
    await browser.send(CabinetState, "load")
    assert "Иван" in browser.sent_text()
    browser.with_cookie(None)  # /auth/logout dropped it
    sent = await reload_page(browser, "/login")
    assert "Иван" not in sent
    assert "123-45-67" not in sent


@pytest.mark.parametrize("how", ["logout", "password reset elsewhere", "expired"])
async def test_the_next_person_in_the_tab_gets_nothing_of_the_last_borrower(
    browser: Browser, app_db: Engine, how: str
) -> None:
    """However the first session ended (the sign-out route, a password reset in another browser,
    expiry), the next borrower signing in in the same tab gets none of the questionnaire in the
    hydrate frame of their first page."""
    first = await fill_questionnaire(browser, app_db)
    with Session(app_db) as s:
        if how == "logout":
            sessions.revoke(s, CLOCK, first)
        elif how == "password reset elsewhere":
            sessions.revoke_all(s, CLOCK, 1)
    if how == "expired":
        set_session_times(app_db, expires_at=CLOCK.now())
    second = sign_in(app_db, make_borrower(app_db, OTHER_PHONE, active=True))
    browser.with_cookie(second)
    sent = await reload_page(browser, "/cabinet")
    assert [value for value in PII if value in sent] == []
    assert browser.state(QuestionnaireState).values == {}


async def test_the_same_session_keeps_its_own_state(browser: Browser, app_db: Engine) -> None:
    """The guard clears only on a change of session: the borrower's own reload keeps the page."""
    browser.at("/register/questionnaire").with_cookie(sign_in(app_db, make_borrower(app_db)))
    await browser.send(QuestionnaireState, "submit", form=section_form(0, **SECTIONS[0]))
    sent = await reload_page(browser, "/register/questionnaire")
    assert "Иванов" in sent


async def test_a_stranger_loading_the_questionnaire_gets_nothing_of_the_last_borrower(
    browser: Browser, app_db: Engine
) -> None:
    token = sign_in(app_db, make_borrower(app_db))
    browser.at("/register/questionnaire").with_cookie(token)
    await browser.send(QuestionnaireState, "submit", form=section_form(0, **SECTIONS[0]))
    with Session(app_db) as s:
        sessions.revoke(s, CLOCK, token)
    events = await browser.send(QuestionnaireState, "load")
    assert redirect_to(events) == "/login?next=%2Fregister%2Fquestionnaire"
    assert browser.state(QuestionnaireState).values == {}
