"""What a tab still holds, and would send on its next reload, after its borrower signs out.

A Reflex tab keeps its client token across page loads, and the first event of every load
(`hydrate`) sends the tab the whole state tree. Whatever a signed-in borrower's pages put in
frontend vars must therefore be gone once the session is, or the next person at the browser
gets it.
"""

from __future__ import annotations

from reflex.state import State
from sqlalchemy import Engine
from sqlmodel import Session

from credit7_web.identity import sessions
from state.cabinet import CabinetState
from state.questionnaire import QuestionnaireState
from tests.state.harness import (
    CLOCK,
    SECTIONS,
    Browser,
    make_borrower,
    redirect_to,
    section_form,
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


async def test_the_cabinet_forgets_its_borrower_on_sign_out(
    browser: Browser, app_db: Engine
) -> None:
    token = sign_in(app_db, make_borrower(app_db, active=True, first_name="Иван"))
    browser.at("/cabinet").with_cookie(token)
    await browser.send(CabinetState, "load")
    await browser.send(CabinetState, "logout")
    browser.with_cookie(None)
    sent = await reload_page(browser, "/login")
    assert "Иван" not in sent
    assert "123-45-67" not in sent


async def test_the_questionnaire_is_forgotten_after_sign_out(
    browser: Browser, app_db: Engine
) -> None:
    await fill_questionnaire(browser, app_db)
    browser.at("/cabinet")
    await browser.send(CabinetState, "load")
    await browser.send(CabinetState, "logout")
    browser.with_cookie(None)
    sent = await reload_page(browser, "/login")
    assert [value for value in PII if value in sent] == []


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
