"""The sandbox Gosuslugi provider: its test persons, and its codes and tokens (OAuth 2.0 with PKCE).

The persons are kept in Gosuslugi's own JSON shapes (PRODUCT.md): the person, the RF_PASSPORT
document, the PRG and PLV addresses, the MBT and EML contacts. The provider checks what a real
one checks: the client and its redirect address, a code used once and within minutes, the PKCE
verifier against the challenge, and a bearer token that reads only its own person.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit

from sqlmodel import Session, col, select, update

from credit7_web import urls
from credit7_web.clock import Clock
from credit7_web.sandbox.bureaus import SELF_BAN_PERSON
from credit7_web.sandbox.models import SandboxEsiaGrant

CODE_TTL = timedelta(minutes=5)
TOKEN_TTL = timedelta(hours=1)
VERIFIED = "VERIFIED"
NOT_VERIFIED = "NOT_VERIFIED"


@dataclass(frozen=True)
class Persona:
    """A person the sandbox provider can sign in as, with what the sign-up should make of them."""

    oid: str
    outcome: str  # for the sign-in page and the README
    person: dict[str, Any]
    documents: tuple[dict[str, Any], ...] = ()
    addresses: tuple[dict[str, Any], ...] = ()
    contacts: tuple[dict[str, Any], ...] = field(default_factory=tuple)

    @property
    def name(self) -> str:
        p = self.person
        return " ".join(x for x in (p["lastName"], p["firstName"], p.get("middleName")) if x)

    @property
    def mobile(self) -> str:
        return next(c["value"] for c in self.contacts if c["type"] == "MBT")


def _passport(series: str, number: str, issued: str, division: str, by: str, vrf: str) -> dict:
    return {
        "type": "RF_PASSPORT",
        "series": series,
        "number": number,
        "issueDate": issued,
        "issueId": division,
        "issuedBy": by,
        "vrfStu": vrf,
    }


def _address(kind: str, text: str) -> dict:
    return {"type": kind, "addressStr": text, "countryId": "RUS"}


def _contacts(mobile: str, email: str | None = None) -> tuple[dict[str, Any], ...]:
    found = [{"type": "MBT", "value": mobile, "vrfStu": VERIFIED}]
    if email:
        found.append({"type": "EML", "value": email, "vrfStu": VERIFIED})
    return tuple(found)


def _person(last: str, first: str, middle: str, birth: str, gender: str, snils: str, trusted: bool):
    return {
        "lastName": last,
        "firstName": first,
        "middleName": middle,
        "birthDate": birth,
        "gender": gender,
        "snils": snils,
        "citizenship": "RUS",
        "trusted": trusted,
    }


MOSCOW_UFMS = "Отделением УФМС России по г. Москве"
CONFIRMED = Persona(
    "1000000001",
    "Подтверждённая учётная запись, паспорт проверен: анкета заполнится сама",
    _person("Смирнова", "Анна", "Викторовна", "12.04.1988", "F", "145-236-987 76", True),
    (_passport("4512", "345678", "25.04.2008", "770002", f"{MOSCOW_UFMS} (Арбат)", VERIFIED),),
    (
        _address("PRG", "г. Москва, ул. Арбат, д. 10, кв. 5"),
        _address("PLV", "г. Москва, ул. Новый Арбат, д. 21, кв. 14"),
    ),
    _contacts("+7(916)5550101", "anna.smirnova@example.ru"),
)
SIMPLIFIED = Persona(
    "1000000002",
    "Упрощённая учётная запись (не подтверждена): отказ с причиной",
    _person("Кузнецов", "Дмитрий", "Олегович", "02.02.1990", "M", "156-347-298 88", False),
    (_passport("4514", "556677", "15.02.2010", "770003", MOSCOW_UFMS, NOT_VERIFIED),),
    (_address("PRG", "г. Москва, ул. Лесная, д. 3, кв. 8"),),
    _contacts("+7(916)5550102"),
)
UNDER_18 = Persona(
    "1000000003",
    "Подтверждённая, но младше 18 лет: отказ с причиной",
    _person("Васильева", "Полина", "Андреевна", "15.06.2010", "F", "167-458-309 03", True),
    (_passport("4524", "112233", "01.07.2024", "770004", MOSCOW_UFMS, VERIFIED),),
    (_address("PRG", "г. Москва, ул. Садовая, д. 5, кв. 1"),),
    _contacts("+7(916)5550103"),
)
SELF_BAN = Persona(
    "1000000004",
    "Подтверждённая; в бюро кредитных историй действует самозапрет: отказ при рассмотрении заявки",
    _person("Морозов", "Игорь", "Николаевич", "03.09.1985", "M", "178-569-410 29", True),
    (
        _passport(
            SELF_BAN_PERSON.passport_series,
            SELF_BAN_PERSON.passport_number,
            "20.09.2005",
            "770005",
            MOSCOW_UFMS,
            VERIFIED,
        ),
    ),
    (_address("PRG", "г. Москва, ул. Тверская, д. 7, кв. 30"),),
    _contacts("+7(916)5550104", "igor.morozov@example.ru"),
)
# The number of the README's walk-through: register it by phone first to see this case.
REGISTERED_PHONE = Persona(
    "1000000005",
    "Подтверждённая; телефон +7 (900) 123-45-67 уже зарегистрирован у нас: предложат войти",
    _person("Соколова", "Елена", "Ивановна", "21.11.1992", "F", "189-670-521 25", True),
    (_passport("4513", "246802", "05.12.2012", "770006", MOSCOW_UFMS, VERIFIED),),
    (_address("PRG", "г. Москва, ул. Пятницкая, д. 2, кв. 4"),),
    _contacts("+7(900)1234567"),
)
PASSPORT_UNVERIFIED = Persona(
    "1000000006",
    "Подтверждённая, но паспорт ещё не проверен МВД: отказ с причиной",
    _person("Новиков", "Павел", "Сергеевич", "30.01.1979", "M", "190-781-632 92", True),
    (_passport("4523", "135790", "10.02.2024", "770007", MOSCOW_UFMS, NOT_VERIFIED),),
    (_address("PRG", "г. Москва, ул. Мясницкая, д. 9, кв. 2"),),
    _contacts("+7(916)5550106"),
)
PERSONAS = (CONFIRMED, SIMPLIFIED, UNDER_18, SELF_BAN, REGISTERED_PHONE, PASSPORT_UNVERIFIED)
BY_OID = {p.oid: p for p in PERSONAS}


class GrantError(Exception):
    """An OAuth error answer: `error` and its description, as the token endpoint returns them."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(f"{error}: {description}")
        self.error = error
        self.description = description


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def s256(verifier: str) -> str:
    """The PKCE S256 challenge of a verifier (RFC 7636)."""
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


@dataclass(frozen=True)
class Client:
    """The one client registered with the sandbox provider: this app."""

    client_id: str
    secret: str

    def authenticates(self, client_id: str, secret: str) -> bool:
        return client_id == self.client_id and hmac.compare_digest(
            secret.encode(), self.secret.encode()
        )


def authorization_problem(client: Client, params: dict[str, str]) -> str | None:
    """What is wrong with a sign-in request, in Russian; None when it may go on."""
    redirect = urlsplit(params.get("redirect_uri", ""))
    if params.get("client_id") != client.client_id:
        return "Неизвестная система: client_id не зарегистрирован"
    if redirect.scheme not in ("http", "https") or redirect.path != urls.GOSUSLUGI_CALLBACK:
        return "Адрес возврата (redirect_uri) не зарегистрирован для этой системы"
    if params.get("response_type") != "code" or not params.get("state"):
        return "Нужны response_type=code и state"
    challenge = params.get("code_challenge", "")
    if params.get("code_challenge_method") != "S256" or not 43 <= len(challenge) <= 128:
        return "Нужен PKCE: code_challenge с методом S256"
    return None


def back_to_client(params: dict[str, str], **answer: str) -> str:
    """The client's redirect address with the answer and the state it sent."""
    query = urlencode({**answer, "state": params["state"]})
    return f"{params['redirect_uri']}?{query}"


class SandboxEsia:
    """The provider's side of the flow, on the app database (shared by every worker)."""

    def __init__(self, db: Session, clock: Clock, client: Client) -> None:
        self.db = db
        self.clock = clock
        self.client = client

    def grant(self, params: dict[str, str], oid: str) -> str:
        """The person signed in and agreed: a code for the client; returns where to send them."""
        code = secrets.token_urlsafe(32)
        now = self.clock.now()
        self.db.add(
            SandboxEsiaGrant(
                code_hash=_hash(code),
                oid=oid,
                client_id=params["client_id"],
                redirect_uri=params["redirect_uri"],
                code_challenge=params["code_challenge"],
                scope=params.get("scope", "")[:300],
                created_at=now,
                expires_at=now + CODE_TTL,
            )
        )
        self.db.commit()
        return back_to_client(params, code=code)

    def exchange(self, client_id: str, secret: str, form: dict[str, str]) -> dict[str, Any]:
        """The token answer for a code, or GrantError. A code is spent by its first exchange,
        whatever comes of it, so a guessed verifier gets one try."""
        if not self.client.authenticates(client_id, secret):
            raise GrantError("invalid_client", "Система не опознана")
        if form.get("grant_type") != "authorization_code":
            raise GrantError("unsupported_grant_type", "Поддерживается только authorization_code")
        code = form.get("code", "")
        grant = self.db.exec(
            select(SandboxEsiaGrant).where(SandboxEsiaGrant.code_hash == _hash(code))
        ).first()
        if grant is None:
            raise GrantError("invalid_grant", "Код авторизации не найден")
        now = self.clock.now()
        spent = self.db.exec(
            update(SandboxEsiaGrant)
            .where(col(SandboxEsiaGrant.id) == grant.id, col(SandboxEsiaGrant.used_at).is_(None))
            .values(used_at=now)
        )
        if spent.rowcount != 1:
            # RFC 6749 4.1.2: a code used twice revokes what it gave.
            grant.token_expires_at = now
            self.db.add(grant)
            self.db.commit()
            raise GrantError("invalid_grant", "Код авторизации уже использован")
        self.db.commit()
        self.db.refresh(grant)
        if now >= grant.expires_at:
            raise GrantError("invalid_grant", "Срок действия кода авторизации истёк")
        if grant.client_id != client_id or grant.redirect_uri != form.get("redirect_uri"):
            raise GrantError("invalid_grant", "Код выдан другой системе или для другого адреса")
        if not hmac.compare_digest(s256(form.get("code_verifier", "")), grant.code_challenge):
            raise GrantError("invalid_grant", "Проверка PKCE не пройдена")
        token = secrets.token_urlsafe(32)
        grant.token_hash = _hash(token)
        grant.token_expires_at = now + TOKEN_TTL
        self.db.add(grant)
        self.db.commit()
        return {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": int(TOKEN_TTL.total_seconds()),
            "scope": grant.scope,
            "sbj_id": grant.oid,
        }

    def person_for(self, token: str, oid: str) -> Persona | None:
        """The person a live bearer token may read; None for any other token or person."""
        if not token:
            return None
        grant = self.db.exec(
            select(SandboxEsiaGrant).where(SandboxEsiaGrant.token_hash == _hash(token))
        ).first()
        if grant is None or grant.oid != oid or grant.token_expires_at is None:
            return None
        if self.clock.now() >= grant.token_expires_at:
            return None
        return BY_OID.get(oid)
