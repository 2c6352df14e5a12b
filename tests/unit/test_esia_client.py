"""The Gosuslugi OAuth client (Authlib) against the sandbox provider, over real HTTP.

The provider runs on a local port in this process (Granian), on the test database and clock;
a small "browser" follows the sign-in page as a person would.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select
from starlette.applications import Starlette

from credit7_web import urls
from credit7_web.clock import FixedClock
from credit7_web.gateways.esia import EsiaAuthorization, EsiaError, EsiaFailure
from credit7_web.identity.esia_client import EsiaClient
from credit7_web.sandbox import esia as provider
from credit7_web.sandbox.esia_pages import AUTHORIZE_PATH, esia_routes
from credit7_web.sandbox.models import SandboxEsiaGrant
from credit7_web.settings import Settings, esia_url
from tests.http_server import serve

CLIENT = provider.Client("credit7", "client-secret")
CALLBACK = "https://app.example" + urls.GOSUSLUGI_CALLBACK


@pytest.fixture
def base(engine: Engine, clock: FixedClock) -> Iterator[str]:
    app = Starlette(routes=esia_routes(lambda: Session(engine), CLIENT, clock))
    with serve(app) as url:
        yield url


@pytest.fixture
def client(base: str, settings: Settings) -> EsiaClient:
    return EsiaClient(
        replace(
            settings,
            esia_url=base + urls.SANDBOX_ESIA,
            esia_client_id=CLIENT.client_id,
            esia_client_secret=CLIENT.secret,
        )
    )


def browse(base: str, auth: EsiaAuthorization, oid: str, action: str = "allow") -> str:
    """A person on the provider's sign-in page picks `oid` (or refuses): the callback URL."""
    page = httpx.get(auth.url)
    assert page.status_code == 200
    assert "Войти как Смирнова Анна Викторовна" in page.text
    params = dict(parse_qsl(urlsplit(auth.url).query))
    answer = httpx.post(base + AUTHORIZE_PATH, data=params | {"oid": oid, "action": action})
    assert answer.status_code == 303
    location = answer.headers["location"]
    assert location.startswith(CALLBACK + "?")
    return location


def query(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query))


def with_query(url: str, **changes: str) -> str:
    return url.split("?")[0] + "?" + urlencode(query(url) | changes)


def grants(engine: Engine) -> list[SandboxEsiaGrant]:
    with Session(engine) as s:
        return list(s.exec(select(SandboxEsiaGrant)))


def test_a_confirmed_person_comes_back_in_gosuslugis_shapes(base: str, client: EsiaClient) -> None:
    auth = client.authorization(CALLBACK)
    sent = query(auth.url)
    assert sent["code_challenge_method"] == "S256"
    assert sent["state"] == auth.state and sent["redirect_uri"] == CALLBACK
    assert provider.s256(auth.code_verifier) == sent["code_challenge"]

    person = client.person(
        browse(base, auth, provider.CONFIRMED.oid), CALLBACK, auth.state, auth.code_verifier
    )
    assert person.oid == provider.CONFIRMED.oid
    assert person.trusted is True
    assert (person.last_name, person.first_name, person.middle_name) == (
        "Смирнова",
        "Анна",
        "Викторовна",
    )
    assert person.birth_date == "12.04.1988"
    assert person.snils == "145-236-987 76"
    assert person.citizenship == "RUS"
    assert person.passport is not None
    assert (person.passport.series, person.passport.number) == ("4512", "345678")
    assert person.passport.issue_id == "770002" and person.passport.verified
    assert person.reg_address == "г. Москва, ул. Арбат, д. 10, кв. 5"
    assert person.res_address == "г. Москва, ул. Новый Арбат, д. 21, кв. 14"
    assert person.mobile == "+7(916)5550101"
    assert person.email == "anna.smirnova@example.ru"


def test_a_simplified_account_is_read_as_not_trusted(base: str, client: EsiaClient) -> None:
    auth = client.authorization(CALLBACK)
    callback = browse(base, auth, provider.SIMPLIFIED.oid)
    person = client.person(callback, CALLBACK, auth.state, auth.code_verifier)
    assert person.trusted is False
    assert person.passport is not None and not person.passport.verified


def test_a_state_that_does_not_match_is_refused_before_any_token_request(
    base: str, client: EsiaClient, engine: Engine
) -> None:
    auth = client.authorization(CALLBACK)
    callback = browse(base, auth, provider.CONFIRMED.oid)
    forged = with_query(callback, state="forged-state")
    with pytest.raises(EsiaError) as refused:
        client.person(forged, CALLBACK, auth.state, auth.code_verifier)
    assert refused.value.failure == EsiaFailure.STATE
    [grant] = grants(engine)
    assert grant.used_at is None  # the code never reached the provider
    # The genuine callback still works: nothing was spent.
    assert client.person(callback, CALLBACK, auth.state, auth.code_verifier).trusted


def test_a_wrong_pkce_verifier_is_refused_and_spends_the_code(
    base: str, client: EsiaClient, engine: Engine
) -> None:
    auth = client.authorization(CALLBACK)
    callback = browse(base, auth, provider.CONFIRMED.oid)
    other = client.authorization(CALLBACK).code_verifier
    with pytest.raises(EsiaError) as refused:
        client.person(callback, CALLBACK, auth.state, other)
    assert refused.value.failure == EsiaFailure.GRANT
    assert "PKCE" in refused.value.detail
    with pytest.raises(EsiaError) as again:
        client.person(callback, CALLBACK, auth.state, auth.code_verifier)
    assert again.value.failure == EsiaFailure.GRANT
    assert [g.token_hash for g in grants(engine)] == [None]


def test_an_expired_code_is_refused(base: str, client: EsiaClient, clock: FixedClock) -> None:
    auth = client.authorization(CALLBACK)
    callback = browse(base, auth, provider.CONFIRMED.oid)
    clock.advance(provider.CODE_TTL + timedelta(seconds=1))
    with pytest.raises(EsiaError) as refused:
        client.person(callback, CALLBACK, auth.state, auth.code_verifier)
    assert refused.value.failure == EsiaFailure.GRANT
    assert "истёк" in refused.value.detail


def test_a_code_still_fresh_at_the_last_second_is_taken(
    base: str, client: EsiaClient, clock: FixedClock
) -> None:
    auth = client.authorization(CALLBACK)
    callback = browse(base, auth, provider.CONFIRMED.oid)
    clock.advance(provider.CODE_TTL - timedelta(seconds=1))
    assert client.person(callback, CALLBACK, auth.state, auth.code_verifier).trusted


def test_a_replayed_code_is_refused_and_revokes_its_token(
    base: str, client: EsiaClient, engine: Engine, clock: FixedClock
) -> None:
    auth = client.authorization(CALLBACK)
    callback = browse(base, auth, provider.CONFIRMED.oid)
    client.person(callback, CALLBACK, auth.state, auth.code_verifier)
    [grant] = grants(engine)
    assert grant.token_hash is not None
    with pytest.raises(EsiaError) as refused:
        client.person(callback, CALLBACK, auth.state, auth.code_verifier)
    assert refused.value.failure == EsiaFailure.GRANT
    assert "уже использован" in refused.value.detail
    [grant] = grants(engine)
    assert grant.token_expires_at == clock.now()  # the token it gave is dead from now on


def test_a_token_reads_only_its_own_person(base: str, client: EsiaClient) -> None:
    auth = client.authorization(CALLBACK)
    code = query(browse(base, auth, provider.CONFIRMED.oid))["code"]
    token = httpx.post(
        base + urls.SANDBOX_ESIA + "/aas/oauth2/te",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": CALLBACK,
            "code_verifier": auth.code_verifier,
        },
        auth=(CLIENT.client_id, CLIENT.secret),
    ).json()["access_token"]
    bearer = {"Authorization": f"Bearer {token}"}
    own = httpx.get(f"{base}{urls.SANDBOX_ESIA}/rs/prns/{provider.CONFIRMED.oid}", headers=bearer)
    assert own.status_code == 200 and own.json()["lastName"] == "Смирнова"
    other = httpx.get(f"{base}{urls.SANDBOX_ESIA}/rs/prns/{provider.SELF_BAN.oid}", headers=bearer)
    assert other.status_code == 401
    none = httpx.get(f"{base}{urls.SANDBOX_ESIA}/rs/prns/{provider.CONFIRMED.oid}/docs")
    assert none.status_code == 401


def test_a_refused_consent_comes_back_as_denied(base: str, client: EsiaClient) -> None:
    auth = client.authorization(CALLBACK)
    callback = browse(base, auth, provider.CONFIRMED.oid, action="deny")
    assert query(callback)["error"] == "access_denied"
    with pytest.raises(EsiaError) as refused:
        client.person(callback, CALLBACK, auth.state, auth.code_verifier)
    assert refused.value.failure == EsiaFailure.DENIED
    with pytest.raises(EsiaError) as forged:
        client.person(with_query(callback, state="x"), CALLBACK, auth.state, auth.code_verifier)
    assert forged.value.failure == EsiaFailure.STATE


def test_a_wrong_client_secret_is_refused(base: str, client: EsiaClient) -> None:
    auth = client.authorization(CALLBACK)
    callback = browse(base, auth, provider.CONFIRMED.oid)
    client.client_secret = "wrong"
    with pytest.raises(EsiaError) as refused:
        client.person(callback, CALLBACK, auth.state, auth.code_verifier)
    assert refused.value.failure == EsiaFailure.DENIED


def test_an_unreachable_provider_is_unavailable(settings: Settings) -> None:
    gone = EsiaClient(replace(settings, esia_url="http://127.0.0.1:9/sandbox/esia"))
    auth = gone.authorization(CALLBACK)
    callback = f"{CALLBACK}?code=abc&state={auth.state}"
    with pytest.raises(EsiaError) as refused:
        gone.person(callback, CALLBACK, auth.state, auth.code_verifier)
    assert refused.value.failure == EsiaFailure.UNAVAILABLE


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"redirect_uri": "https://evil.example/steal"}, "redirect_uri"),
        ({"client_id": "someone"}, "client_id"),
        ({"code_challenge_method": "plain"}, "PKCE"),
        ({"code_challenge": ""}, "PKCE"),
        ({"state": ""}, "state"),
    ],
)
def test_the_sign_in_page_refuses_a_malformed_request(
    base: str, client: EsiaClient, change: dict[str, str], problem: str
) -> None:
    auth = client.authorization(CALLBACK)
    page = httpx.get(with_query(auth.url, **change))
    assert page.status_code == 400
    assert problem in page.text


@pytest.mark.parametrize(
    ("env", "sandbox", "expected"),
    [
        ({}, True, "http://127.0.0.1:3000/sandbox/esia"),
        ({"REFLEX_BACKEND_PORT": "8123"}, True, "http://127.0.0.1:8123/sandbox/esia"),
        ({"CREDIT7_ESIA_URL": "https://esia.gosuslugi.ru/"}, False, "https://esia.gosuslugi.ru"),
        ({"CREDIT7_ESIA_URL": "http://localhost:9000/esia"}, True, "http://localhost:9000/esia"),
    ],
)
def test_the_provider_address(env: dict[str, str], sandbox: bool, expected: str) -> None:
    assert esia_url(env, sandbox) == expected


@pytest.mark.parametrize(
    ("url", "sandbox"),
    [
        ("http://esia.gosuslugi.ru", False),
        ("http://esia.example", True),  # plain http only to this machine
        ("http://127.0.0.1:3000/sandbox/esia", False),  # not outside the sandbox at all
        ("ftp://esia.gosuslugi.ru", False),
    ],
)
def test_a_provider_not_on_https_is_refused(url: str, sandbox: bool) -> None:
    with pytest.raises(RuntimeError, match="https"):
        esia_url({"CREDIT7_ESIA_URL": url}, sandbox)
