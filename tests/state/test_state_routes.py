"""The plain HTTP routes: /auth/claim sets the HttpOnly cookie, /auth/logout clears it.

A claim counts only from a page of this site (Sec-Fetch-Site: same-origin) in the browser that
signed in (its browser key cookie): `claim` here sends both, as Chromium does.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from datetime import timedelta
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urljoin, urlsplit

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from credit7_web.identity import hashing, sessions
from credit7_web.identity.sessions import BROWSER_COOKIE, SESSION_COOKIE
from credit7_web.wiring import settings
from state.cabinet import CabinetState
from state.login import LoginState
from state.register import RegisterState
from tests.state.harness import (
    CLOCK,
    PASSWORD,
    PHONE,
    Browser,
    claim_link,
    form,
    make_borrower,
    session_rows,
    set_session_times,
    sign_in,
    sms_code,
    snapshot,
)
from web.routes import http_app

with warnings.catch_warnings():
    # Starlette 1.x wants the `httpx2` package for its test client and warns about `httpx`.
    warnings.filterwarnings("ignore", "Using `httpx` with `starlette.testclient`")
    from starlette.testclient import TestClient


BROWSER_KEY = "the-browser-that-signed-in-0123456789"
SAME_SITE = {"sec-fetch-site": "same-origin"}


@pytest.fixture
def client(app_db: Engine) -> Iterator[TestClient]:
    with TestClient(http_app(), follow_redirects=False) as c:
        yield c


def ticket_for(engine: Engine, borrower_id: int, browser: str = BROWSER_KEY) -> str:
    with Session(engine) as s:
        return sessions.open_session(s, CLOCK, settings(), borrower_id, browser)


def claim(
    client: TestClient,
    ticket: str,
    next_path: str | None = None,
    browser: str | None = BROWSER_KEY,
    site: str | None = "same-origin",
) -> httpx.Response:
    query = {"ticket": ticket} | ({} if next_path is None else {"next": next_path})
    headers = {} if site is None else {"sec-fetch-site": site}
    if browser is not None:
        headers["cookie"] = f"{BROWSER_COOKIE}={browser}"
    return client.get("/auth/claim?" + urlencode(query), headers=headers)


def session_cookie(response: httpx.Response) -> SimpleCookie:
    [header] = response.headers.get_list("set-cookie")
    jar = SimpleCookie()
    jar.load(header)
    assert list(jar) == [SESSION_COOKIE]
    return jar


def where_a_browser_goes(response: httpx.Response, base: str = "http://testserver/") -> str:
    """The redirect target as a browser resolves it (it drops tabs and newlines first)."""
    location = response.headers["location"]
    location = location.replace("\t", "").replace("\n", "").replace("\r", "")
    return urljoin(base, location)


def refused(response: httpx.Response) -> None:
    assert response.status_code == 303
    assert response.headers["location"] == "/login"
    assert "set-cookie" not in response.headers


# ----------------------------------------------------------------------------- claim


def test_a_fresh_ticket_sets_an_httponly_strict_cookie(client: TestClient, app_db: Engine) -> None:
    borrower_id = make_borrower(app_db, active=True)
    ticket = ticket_for(app_db, borrower_id)
    response = claim(client, ticket, "/cabinet")
    assert response.status_code == 303
    assert response.headers["location"] == "/cabinet"
    morsel = session_cookie(response)[SESSION_COOKIE]
    assert morsel["httponly"] is True
    assert morsel["samesite"].lower() == "strict"
    assert morsel["path"] == "/"
    assert morsel["max-age"] == str(settings().session_hours * 3600)
    assert not morsel["secure"]  # plain http in this test: a Secure cookie would be dropped
    token = morsel.value
    assert token != ticket
    [row] = session_rows(app_db)
    assert row.token_hash == hashing.token_hash(token)
    assert (row.ticket_hash, row.revoked_at) == (None, None)
    assert row.claimed_at is not None
    with Session(app_db) as s:
        borrower = sessions.resolve(s, CLOCK, settings(), token)
    assert borrower is not None and borrower.id == borrower_id


def test_over_https_the_cookie_is_secure(app_db: Engine) -> None:
    ticket = ticket_for(app_db, make_borrower(app_db, active=True))
    with TestClient(http_app(), base_url="https://testserver", follow_redirects=False) as c:
        response = claim(c, ticket)
    assert session_cookie(response)[SESSION_COOKIE]["secure"] is True


@pytest.mark.parametrize(
    ("next_path", "location"),
    [
        (None, "/cabinet"),
        ("/register/questionnaire", "/register/questionnaire"),
        ("/cabinet?tab=loans", "/cabinet?tab=loans"),
        ("https://evil.example", "/cabinet"),
        ("https://evil.example/cabinet", "/cabinet"),
        ("//evil.example", "/cabinet"),
        ("//evil.example/cabinet", "/cabinet"),
        ("///evil.example", "/cabinet"),
        ("/\\evil.example", "/cabinet"),
        ("\\/evil.example", "/cabinet"),
        ("javascript:alert(document.cookie)", "/cabinet"),
        ("data:text/html,hi", "/cabinet"),
        ("evil.example", "/cabinet"),
        ("", "/cabinet"),
        ("/" + "x" * 300, "/cabinet"),
    ],
)
def test_claim_goes_on_to_a_local_next_only(
    client: TestClient, app_db: Engine, next_path: str | None, location: str
) -> None:
    response = claim(client, ticket_for(app_db, make_borrower(app_db, active=True)), next_path)
    assert response.status_code == 303
    assert response.headers["location"] == location
    session_cookie(response)


@pytest.mark.parametrize(
    "next_path",
    ["/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example", "/%2F/evil.example"],
)
def test_a_disguised_next_still_stays_on_this_site(
    client: TestClient, app_db: Engine, next_path: str
) -> None:
    response = claim(client, ticket_for(app_db, make_borrower(app_db, active=True)), next_path)
    assert urlsplit(where_a_browser_goes(response)).netloc == "testserver"


def test_a_ticket_works_once(client: TestClient, app_db: Engine) -> None:
    ticket = ticket_for(app_db, make_borrower(app_db, active=True))
    session_cookie(claim(client, ticket))
    before = snapshot(app_db)
    refused(claim(client, ticket))
    assert snapshot(app_db) == before


@pytest.mark.parametrize(
    "ticket", ["", "unknown", "x" * 10_000, "%00", "' OR 1=1 --"], ids=lambda t: t[:10]
)
def test_an_unknown_ticket_sets_no_cookie(client: TestClient, app_db: Engine, ticket: str) -> None:
    ticket_for(app_db, make_borrower(app_db, active=True))
    before = snapshot(app_db)
    refused(claim(client, ticket))
    assert snapshot(app_db) == before


def test_no_ticket_at_all_sets_no_cookie(client: TestClient, app_db: Engine) -> None:
    refused(client.get("/auth/claim"))
    refused(client.get("/auth/claim?next=/cabinet"))


def test_a_ticket_older_than_a_minute_sets_no_cookie(client: TestClient, app_db: Engine) -> None:
    ticket = ticket_for(app_db, make_borrower(app_db, active=True))
    set_session_times(app_db, created_at=CLOCK.now() - timedelta(seconds=61))
    refused(claim(client, ticket))
    assert session_rows(app_db)[0].token_hash is None


def test_a_ticket_of_a_revoked_session_sets_no_cookie(client: TestClient, app_db: Engine) -> None:
    borrower_id = make_borrower(app_db, active=True)
    ticket = ticket_for(app_db, borrower_id)
    with Session(app_db) as s:
        sessions.revoke_all(s, CLOCK, borrower_id)  # e.g. a password reset meanwhile
    refused(claim(client, ticket))


def test_a_session_token_is_no_ticket(client: TestClient, app_db: Engine) -> None:
    token = sign_in(app_db, make_borrower(app_db, active=True))
    refused(claim(client, token))


def test_claim_takes_only_get(client: TestClient, app_db: Engine) -> None:
    ticket = ticket_for(app_db, make_borrower(app_db, active=True))
    response = client.post("/auth/claim?" + urlencode({"ticket": ticket}))
    assert response.status_code == 405
    assert "set-cookie" not in response.headers
    assert session_rows(app_db)[0].claimed_at is None


# ----------------------------------------------------------------------------- logout


def logout(client: TestClient, cookie: str | None, site: str | None = "same-origin"):
    headers = {} if site is None else {"sec-fetch-site": site}
    if cookie is not None:
        headers["cookie"] = f"{SESSION_COOKIE}={cookie}"
    return client.post("/auth/logout", headers=headers)


def test_logout_revokes_the_session_and_deletes_the_cookie(
    client: TestClient, app_db: Engine
) -> None:
    token = sign_in(app_db, make_borrower(app_db, active=True))
    response = logout(client, token)
    assert response.status_code == 303
    assert response.headers["location"] == "/login"
    morsel = session_cookie(response)[SESSION_COOKIE]
    assert morsel.value == ""
    assert morsel["max-age"] == "0"
    assert morsel["httponly"] is True
    assert morsel["samesite"].lower() == "strict"
    assert morsel["path"] == "/"
    [row] = session_rows(app_db)
    assert row.revoked_at is not None
    with Session(app_db) as s:
        assert sessions.resolve(s, CLOCK, settings(), token) is None


@pytest.mark.parametrize("cookie", [None, "", "unknown-token", "x" * 10_000])
def test_logout_without_a_live_session_changes_no_row(
    client: TestClient, app_db: Engine, cookie: str | None
) -> None:
    token = sign_in(app_db, make_borrower(app_db, active=True))
    before = snapshot(app_db)
    response = logout(client, cookie)
    assert response.status_code == 303
    assert session_cookie(response)[SESSION_COOKIE]["max-age"] == "0"
    assert snapshot(app_db) == before
    with Session(app_db) as s:
        assert sessions.resolve(s, CLOCK, settings(), token) is not None


@pytest.mark.parametrize("site", [None, "cross-site", "same-site", "none"])
def test_a_logout_not_from_this_site_changes_nothing(
    client: TestClient, app_db: Engine, site: str | None
) -> None:
    """A link or a form on another site: neither the session nor the cookie is touched."""
    token = sign_in(app_db, make_borrower(app_db, active=True))
    before = snapshot(app_db)
    response = logout(client, token, site)
    assert response.status_code == 403
    assert "set-cookie" not in response.headers
    assert snapshot(app_db) == before


def test_a_logout_link_does_nothing(client: TestClient, app_db: Engine) -> None:
    token = sign_in(app_db, make_borrower(app_db, active=True))
    response = client.get(
        "/auth/logout", headers=SAME_SITE | {"cookie": f"{SESSION_COOKIE}={token}"}
    )
    assert response.status_code == 405
    assert "set-cookie" not in response.headers
    assert session_rows(app_db)[0].revoked_at is None


# ----------------------------------------------------------------------------- end to end


async def test_sign_up_claim_and_cabinet_sign_out_end_to_end(
    browser: Browser, client: TestClient, app_db: Engine
) -> None:
    """Register in a tab, trade the ticket for the cookie, then sign out from the cabinet."""
    browser.at("/register")
    await browser.send(RegisterState, "submit_phone", form=form(phone=PHONE, consent="on"))
    await browser.send(RegisterState, "submit_code", form=form(code=sms_code(app_db)))
    events = await browser.send(
        RegisterState, "submit_password", form=form(password=PASSWORD, password2=PASSWORD)
    )
    ticket, next_path = claim_link(events)
    response = claim(client, ticket, next_path, browser=browser.key)
    assert response.headers["location"] == "/register/questionnaire"
    token = session_cookie(response)[SESSION_COOKIE].value
    assert token not in browser.sent_text()

    browser.at("/cabinet").with_cookie(token)
    events = await browser.send(CabinetState, "load")
    assert [e.payload["path"] for e in events] == ["/register/questionnaire"]
    response = logout(client, token)
    assert session_cookie(response)[SESSION_COOKIE]["max-age"] == "0"
    assert session_rows(app_db)[0].revoked_at is not None

    browser.at("/login", "next=%2Fcabinet")
    events = await browser.send(LoginState, "submit", form=form(phone=PHONE, password=PASSWORD))
    ticket, next_path = claim_link(events)
    assert next_path == "/register/questionnaire"
    assert len(session_rows(app_db)) == 2
