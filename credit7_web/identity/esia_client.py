"""The Gosuslugi client: Authlib's OAuth 2.0 client (authorization code, state, PKCE S256) over
HTTP to the provider at `settings.esia_url`, the sandbox's or the real one alike.

The provider's paths follow ESIA: the sign-in page `/aas/oauth2/ac`, the token endpoint
`/aas/oauth2/te`, and the person `/rs/prns/{oid}` with `/docs`, `/addrs` and `/ctts`. The token
answer names the person (`sbj_id`, the claim ESIA puts in its token).
"""

from __future__ import annotations

import warnings
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
from authlib.common.security import generate_token
from authlib.deprecate import AuthlibDeprecationWarning
from authlib.oauth2.rfc6749.errors import MismatchingStateException

from credit7_web.gateways.esia import (
    VERIFIED,
    EsiaAuthorization,
    EsiaError,
    EsiaFailure,
    EsiaPassport,
    EsiaPerson,
)
from credit7_web.settings import Settings

with warnings.catch_warnings():
    # Authlib prefers the `httpx2` package and warns once that it falls back to `httpx`, which
    # Reflex already brings; the client works the same on both.
    warnings.simplefilter("ignore", AuthlibDeprecationWarning)
    from authlib.integrations.httpx_client import OAuth2Client, OAuthError

AUTHORIZE = "/aas/oauth2/ac"
TOKEN = "/aas/oauth2/te"  # noqa: S105  (a path, not a secret)
PERSON = "/rs/prns/{oid}"
SCOPE = "openid fullname birthdate gender snils citizenship id_doc addresses mobile email"
EMBED = {"embed": "(elements)"}
TIMEOUT_S = 10


class EsiaClient:
    def __init__(self, settings: Settings) -> None:
        self.base = settings.esia_url.rstrip("/")
        self.client_id = settings.esia_client_id
        self.client_secret = settings.esia_client_secret

    def _oauth(self, redirect_uri: str, **kwargs: Any) -> OAuth2Client:
        return OAuth2Client(
            client_id=self.client_id,
            client_secret=self.client_secret,
            scope=SCOPE,
            redirect_uri=redirect_uri,
            code_challenge_method="S256",
            timeout=TIMEOUT_S,
            **kwargs,
        )

    def authorization(self, redirect_uri: str) -> EsiaAuthorization:
        verifier = generate_token(64)
        with self._oauth(redirect_uri) as client:
            url, state = client.create_authorization_url(
                self.base + AUTHORIZE, code_verifier=verifier
            )
        return EsiaAuthorization(url=url, state=state, code_verifier=verifier)

    def person(
        self, callback_url: str, redirect_uri: str, state: str, code_verifier: str
    ) -> EsiaPerson:
        returned = dict(parse_qsl(urlsplit(callback_url).query))
        if "error" in returned:  # no code to trade: Authlib would not look at the state
            if returned.get("state") != state:
                raise EsiaError(EsiaFailure.STATE)
            raise EsiaError(EsiaFailure.DENIED, returned["error"])
        with self._oauth(redirect_uri, state=state) as client:
            try:
                token = client.fetch_token(
                    self.base + TOKEN,
                    authorization_response=callback_url,
                    code_verifier=code_verifier,
                )
            except MismatchingStateException:
                raise EsiaError(EsiaFailure.STATE) from None
            except OAuthError as error:
                failure = (
                    EsiaFailure.GRANT if error.error == "invalid_grant" else EsiaFailure.DENIED
                )
                raise EsiaError(failure, str(error.description or error.error)) from None
            except (httpx.HTTPError, ValueError) as error:
                raise EsiaError(EsiaFailure.UNAVAILABLE, str(error)) from None
            oid = str(token.get("sbj_id") or "")
            if not oid.isdigit():
                raise EsiaError(EsiaFailure.UNAVAILABLE, "the token names no person")
            path = self.base + PERSON.format(oid=oid)
            person = _get(client, path)
            documents = _elements(_get(client, path + "/docs", EMBED))
            addresses = _elements(_get(client, path + "/addrs", EMBED))
            contacts = _elements(_get(client, path + "/ctts", EMBED))
        return person_from(oid, person, documents, addresses, contacts)


def _get(client: OAuth2Client, url: str, params: dict[str, str] | None = None) -> dict:
    try:
        response = client.get(url, params=params)
        data = response.json() if response.status_code == 200 else None
    except (httpx.HTTPError, ValueError) as error:
        raise EsiaError(EsiaFailure.UNAVAILABLE, str(error)) from None
    if not isinstance(data, dict):
        raise EsiaError(EsiaFailure.UNAVAILABLE, f"{url}: {response.status_code}")
    return data


def _elements(data: dict) -> list[dict]:
    elements = data.get("elements")
    return [e for e in elements if isinstance(e, dict)] if isinstance(elements, list) else []


def _text(data: dict | None, key: str) -> str | None:
    value = data.get(key) if data else None
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    return value.strip() or None if isinstance(value, str) else None


def _of_type(elements: list[dict], kind: str) -> dict | None:
    return next((e for e in elements if e.get("type") == kind), None)


def _passport(documents: list[dict]) -> EsiaPassport | None:
    doc = _of_type(documents, "RF_PASSPORT")
    if doc is None:
        return None
    return EsiaPassport(
        series=_text(doc, "series") or "",
        number=_text(doc, "number") or "",
        issue_date=_text(doc, "issueDate") or "",
        issue_id=_text(doc, "issueId") or "",
        issued_by=_text(doc, "issuedBy") or "",
        verified=doc.get("vrfStu") == VERIFIED,
    )


def person_from(
    oid: str, person: dict, documents: list[dict], addresses: list[dict], contacts: list[dict]
) -> EsiaPerson:
    """The person from Gosuslugi's JSON: the person, and the elements of docs, addrs and ctts."""
    return EsiaPerson(
        oid=oid,
        trusted=person.get("trusted") is True,
        last_name=_text(person, "lastName") or "",
        first_name=_text(person, "firstName") or "",
        middle_name=_text(person, "middleName"),
        birth_date=_text(person, "birthDate") or "",
        gender=_text(person, "gender"),
        snils=_text(person, "snils"),
        citizenship=_text(person, "citizenship"),
        passport=_passport(documents),
        reg_address=_text(_of_type(addresses, "PRG"), "addressStr"),
        res_address=_text(_of_type(addresses, "PLV"), "addressStr"),
        mobile=_text(_of_type(contacts, "MBT"), "value"),
        email=_text(_of_type(contacts, "EML"), "value"),
    )
