"""Login CSRF (issue 7, finding 1): nobody can sign a victim's browser into their own account.

The attack: sign in as yourself, keep the unclaimed ticket, and lead the victim to
`/login?next=/auth/claim?ticket=<yours>&next=/cabinet`: after the victim's own sign-in, the
second claim would put the attacker's session in the victim's browser. Three walls: `next` names
a page of the app only; a claim must say it comes from this site; and a ticket is bound to the
browser key of the browser that signed in, so it cannot be claimed anywhere else.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from credit7_web.identity import sessions
from credit7_web.wiring import settings
from state.login import LoginState
from tests.state.harness import (
    CLOCK,
    OTHER_PHONE,
    PASSWORD,
    PHONE,
    Browser,
    claim_link,
    form,
    make_borrower,
    session_rows,
    snapshot,
)
from tests.state.test_state_routes import (
    BROWSER_KEY,
    TestClient,
    claim,
    refused,
    session_cookie,
    ticket_for,
)
from web.routes import http_app

HOSTILE_NEXT = [
    "/auth/claim?ticket=attackers-ticket&next=/cabinet",
    "/auth/logout",
    "/files/kyc/1",
    "/files/documents/1",
    "/cards/return?order=x",
    "/sandbox/sms",
    "/gosuslugi/start",
    "/operator",
    "/cabinet/../auth/claim",
]


@pytest.fixture
def client(app_db: Engine) -> Iterator[TestClient]:
    with TestClient(http_app(), follow_redirects=False) as c:
        yield c


@pytest.mark.parametrize("next_path", HOSTILE_NEXT)
async def test_sign_in_never_leads_on_to_a_route(
    browser: Browser, app_db: Engine, next_path: str
) -> None:
    make_borrower(app_db, active=True)
    browser.at("/login", "next=" + quote(next_path, safe=""))
    events = await browser.send(LoginState, "submit", form=form(phone=PHONE, password=PASSWORD))
    assert claim_link(events)[1] == "/cabinet"


@pytest.mark.parametrize("next_path", HOSTILE_NEXT)
def test_a_claim_never_leads_on_to_a_route(
    client: TestClient, app_db: Engine, next_path: str
) -> None:
    response = claim(client, ticket_for(app_db, make_borrower(app_db, active=True)), next_path)
    assert response.headers["location"] == "/cabinet"


@pytest.mark.parametrize("site", [None, "cross-site", "same-site", "none"])
def test_a_claim_that_does_not_say_it_comes_from_this_site_is_refused(
    client: TestClient, app_db: Engine, site: str | None
) -> None:
    ticket = ticket_for(app_db, make_borrower(app_db, active=True))
    before = snapshot(app_db)
    refused(claim(client, ticket, site=site))
    assert snapshot(app_db) == before


@pytest.mark.parametrize("browser_key", [None, "", "short"])
def test_a_claim_from_a_browser_without_its_key_is_refused(
    client: TestClient, app_db: Engine, browser_key: str | None
) -> None:
    ticket = ticket_for(app_db, make_borrower(app_db, active=True), browser="")
    before = snapshot(app_db)
    refused(claim(client, ticket, browser=browser_key))
    assert snapshot(app_db) == before


async def test_the_attackers_ticket_does_not_work_in_the_victims_browser(
    new_browser, client: TestClient, app_db: Engine
) -> None:
    """The attacker signs in in their own browser and keeps the ticket; the victim's browser,
    led to claim it (same origin, as after the victim's own sign-in), gets no session."""
    make_borrower(app_db, OTHER_PHONE, active=True)
    attacker = new_browser().at("/login")
    events = await attacker.send(
        LoginState, "submit", form=form(phone=OTHER_PHONE, password=PASSWORD)
    )
    ticket, _ = claim_link(events)
    victim = new_browser()
    before = snapshot(app_db)
    refused(claim(client, ticket, "/cabinet", browser=victim.key))
    assert snapshot(app_db) == before
    # In the attacker's own browser the same ticket still works: it is bound, not broken.
    response = claim(client, ticket, "/cabinet", browser=attacker.key)
    token = session_cookie(response)[sessions.SESSION_COOKIE].value
    with Session(app_db) as s:
        borrower = sessions.resolve(s, CLOCK, settings(), token)
    assert borrower is not None and borrower.phone == OTHER_PHONE


def test_a_ticket_is_stored_bound_to_its_browser(app_db: Engine) -> None:
    ticket = ticket_for(app_db, make_borrower(app_db, active=True))
    with Session(app_db) as s:
        assert sessions.claim(s, CLOCK, settings(), ticket, "another-browser-key-000000") is None
        assert sessions.claim(s, CLOCK, settings(), ticket) is None
        assert sessions.claim(s, CLOCK, settings(), ticket, BROWSER_KEY) is not None
    assert session_rows(app_db)[0].claimed_at is not None
