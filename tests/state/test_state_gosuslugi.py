"""Sign-up through Gosuslugi, through the app's HTTP routes and the page's handlers, against the
sandbox provider served over real HTTP (the routes reach it as the running app would)."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select
from starlette.applications import Starlette

from credit7_web import urls, wiring
from credit7_web.identity import gosuslugi, questionnaire
from credit7_web.identity.models import Borrower, BorrowerStatus, GosuslugiSignup, Profile
from credit7_web.sandbox import esia as sandbox
from credit7_web.sandbox.esia import Persona
from credit7_web.sandbox.esia_pages import AUTHORIZE_PATH
from state.gosuslugi import LOST, GosuslugiState
from tests.http_server import serve
from tests.state.harness import (
    PHONE,
    Browser,
    all_rows,
    claim_link,
    form,
    make_borrower,
    redirect_to,
    sign_in,
    sms_code,
    snapshot_all,
)
from tests.state.lending_setup import http_client

S = GosuslugiState
ANSWERS = {
    "birth_place": "г. Москва",
    "employer": "ООО «Ромашка»",
    "position": "Инженер",
    "family_status": "married",
    "dependants": "0",
    "monthly_income": "90000",
    "password": "Secret123",
    "password2": "Secret123",
    "consent": "on",
}


@pytest.fixture
def provider(app_db: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The sandbox provider on a local port; the app's settings point at it."""
    with serve(Starlette(routes=wiring.sandbox_routes())) as base:
        monkeypatch.setenv("CREDIT7_ESIA_URL", base + urls.SANDBOX_ESIA)
        wiring.settings.cache_clear()
        yield base + urls.SANDBOX_ESIA


def sign_in_at_gosuslugi(location: str, oid: str, action: str = "allow") -> str:
    """The person on the provider's page: the callback path and query it sends them to."""
    params = dict(parse_qsl(urlsplit(location).query))
    assert httpx.get(location).status_code == 200
    answer = httpx.post(location.split("?")[0], data=params | {"oid": oid, "action": action})
    assert answer.status_code == 303
    callback = urlsplit(answer.headers["location"])
    assert callback.path == urls.GOSUSLUGI_CALLBACK
    return f"{callback.path}?{callback.query}"


def come_back(
    browser: Browser, person: Persona, tamper: dict[str, str] | None = None, action: str = "allow"
) -> str:
    """Start at the app, sign in at Gosuslugi, come back (maybe with a tampered query); the
    browser gets the sign-up cookie. Returns where the app sent it then."""
    with http_client() as client:
        started = client.get(urls.GOSUSLUGI_START)
        assert started.status_code == 303
        location = started.headers["location"]
        assert location.startswith(wiring.settings().esia_url + "/aas/oauth2/ac?")
        cookie = started.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie
        callback = sign_in_at_gosuslugi(location, person.oid, action)
        if tamper:
            path, _, query = callback.partition("?")
            callback = f"{path}?{urlencode(dict(parse_qsl(query)) | tamper)}"
        back = client.get(callback)
        assert back.status_code == 303
        token = client.cookies[gosuslugi.SIGNUP_COOKIE]
    browser.cookie = f"{gosuslugi.SIGNUP_COOKIE}={token}"
    browser.at(urls.GOSUSLUGI)
    return back.headers["location"]


async def test_a_confirmed_person_gets_the_questionnaire_locked_then_an_account(
    browser: Browser, app_db: Engine, provider: str
) -> None:
    assert come_back(browser, sandbox.CONFIRMED) == urls.GOSUSLUGI
    await browser.send(S, "load")
    state = browser.state(S)
    assert state.stage == "form"
    assert state.locked["last_name"] == "Смирнова"
    assert state.locked["passport_number"] == "345678"
    assert state.locked["snils"] == "145-236-987 76"
    assert state.to_fill == [
        "birth_place",
        "employer",
        "position",
        "family_status",
        "dependants",
        "monthly_income",
    ]

    sent = form(**state.locked, **ANSWERS, answered="0")
    await browser.send(S, "submit", form=sent)
    state = browser.state(S)
    assert (state.stage, state.answered, state.errors) == ("code", 1, {})
    await browser.send(S, "submit", form=sent)  # a double click's copy: ignored
    assert browser.state(S).answered == 1
    assert state.phone_display == "+7 (916) 555-01-01"
    events = await browser.send(S, "submit_code", form=form(code=sms_code(app_db, "9165550101")))
    _, next_path = claim_link(events)
    assert next_path == urls.APPLY

    with Session(app_db) as s:
        borrower = s.exec(select(Borrower).where(Borrower.phone == "9165550101")).one()
        assert borrower.status == BorrowerStatus.ACTIVE
        profile = s.get(Profile, borrower.id)
        assert profile is not None and profile.passport_number == "345678"
        assert "passport_number" in questionnaire.verified(profile)
        assert s.exec(select(GosuslugiSignup)).one().person is None
    assert "Secret123" not in browser.sent_text()


async def test_the_server_refuses_a_changed_locked_field(
    browser: Browser, app_db: Engine, provider: str
) -> None:
    come_back(browser, sandbox.CONFIRMED)
    await browser.send(S, "load")
    locked = browser.state(S).locked
    before = snapshot_all(app_db)
    await browser.send(
        S, "submit", form=form(**(locked | {"passport_number": "999999"}), **ANSWERS)
    )
    state = browser.state(S)
    assert state.stage == "form"
    assert state.errors == {"passport_number": questionnaire.LOCKED}
    assert snapshot_all(app_db) == before


@pytest.mark.parametrize(
    ("person", "words"),
    [
        (sandbox.SIMPLIFIED, "не подтверждена"),
        (sandbox.UNDER_18, "только с 18 лет"),
        (sandbox.PASSPORT_UNVERIFIED, "Паспорт на Госуслугах ещё не проверен"),
    ],
)
async def test_a_refusal_names_its_reason(
    browser: Browser, app_db: Engine, provider: str, person: Persona, words: str
) -> None:
    come_back(browser, person)
    await browser.send(S, "load")
    state = browser.state(S)
    assert state.stage == "refused" and words in state.refusal and not state.registered
    assert state.locked == {}
    await browser.send(S, "submit", form=form(**ANSWERS))  # nothing to submit to
    assert all_rows(app_db, Borrower) == []


async def test_a_registered_phone_is_offered_the_sign_in(
    browser: Browser, app_db: Engine, provider: str
) -> None:
    make_borrower(app_db, PHONE)
    come_back(browser, sandbox.REGISTERED_PHONE)
    await browser.send(S, "load")
    state = browser.state(S)
    assert state.stage == "refused" and state.registered
    assert "уже зарегистрирован" in state.refusal


async def test_a_refused_consent_is_named(browser: Browser, app_db: Engine, provider: str) -> None:
    come_back(browser, sandbox.CONFIRMED, action="deny")
    await browser.send(S, "load")
    assert "отменили вход" in browser.state(S).refusal


@pytest.mark.parametrize(
    ("tamper", "words"),
    [({"state": "forged"}, "параметр state"), ({"code": "forged"}, "код авторизации")],
)
async def test_a_tampered_state_or_code_is_refused(
    browser: Browser, app_db: Engine, provider: str, tamper: dict[str, str], words: str
) -> None:
    come_back(browser, sandbox.CONFIRMED, tamper=tamper)
    await browser.send(S, "load")
    state = browser.state(S)
    assert state.stage == "refused" and words in state.refusal
    with Session(app_db) as s:
        assert s.exec(select(GosuslugiSignup)).one().person is None


async def test_a_callback_without_the_cookie_starts_nothing(
    browser: Browser, app_db: Engine, provider: str
) -> None:
    with http_client() as client:
        location = client.get(urls.GOSUSLUGI_START).headers["location"]
        callback = sign_in_at_gosuslugi(location, sandbox.CONFIRMED.oid)
    with http_client() as stranger:  # another browser: no cookie
        back = stranger.get(callback)
    assert back.headers["location"] == "/gosuslugi?lost=1"
    await browser.at(urls.GOSUSLUGI, "lost=1").send(S, "load")
    assert (browser.state(S).stage, browser.state(S).notice) == ("intro", LOST)
    with Session(app_db) as s:
        assert s.exec(select(GosuslugiSignup)).one().returned_at is None


async def test_a_signed_in_borrower_goes_home(
    browser: Browser, app_db: Engine, provider: str
) -> None:
    borrower_id = make_borrower(app_db, active=True)
    events = (
        await browser.with_cookie(sign_in(app_db, borrower_id)).at("/gosuslugi").send(S, "load")
    )
    assert redirect_to(events) == urls.CABINET


async def test_the_sign_in_page_is_reached_through_the_start_route(
    app_db: Engine, provider: str
) -> None:
    with http_client() as client:
        location = client.get(urls.GOSUSLUGI_START).headers["location"]
    assert urlsplit(location).path == AUTHORIZE_PATH
    page = httpx.get(location)
    assert page.status_code == 200 and '<html lang="ru">' in page.text
    for person in sandbox.PERSONAS:
        assert f"Войти как {person.name}" in page.text
