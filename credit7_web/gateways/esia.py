"""Gosuslugi (ESIA): who a person is, as the state's identity provider confirms it.

An OAuth 2.0 authorization-code flow with state and PKCE: `authorization` gives the address the
browser is sent to and the state and code verifier to keep on the server; `person` trades the
code that comes back to the callback for a token and reads the person, their documents,
addresses and contacts with it. The provider's answers keep its own shapes (`birthDate` as
dd.MM.yyyy, СНИЛС as 123-456-789 01); judging them is the sign-up's business, not the gateway's.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

VERIFIED = "VERIFIED"  # vrfStu of a document or contact the state has checked


@dataclass(frozen=True)
class EsiaAuthorization:
    url: str  # where the browser goes to sign in at Gosuslugi
    state: str
    code_verifier: str


@dataclass(frozen=True)
class EsiaPassport:
    """The RF_PASSPORT document."""

    series: str
    number: str
    issue_date: str  # dd.MM.yyyy
    issue_id: str  # the division code
    issued_by: str
    verified: bool  # vrfStu == VERIFIED


@dataclass(frozen=True)
class EsiaPerson:
    oid: str
    trusted: bool  # a confirmed account
    last_name: str
    first_name: str
    middle_name: str | None
    birth_date: str  # dd.MM.yyyy
    gender: str | None
    snils: str | None  # 123-456-789 01
    citizenship: str | None  # RUS
    passport: EsiaPassport | None
    reg_address: str | None  # PRG
    res_address: str | None  # PLV
    mobile: str | None  # MBT, as Gosuslugi writes it: +7(900)1234567
    email: str | None  # EML


class EsiaFailure(StrEnum):
    STATE = "state"  # the state that came back is not the one sent
    DENIED = "denied"  # the person declined, or the provider refused the request
    GRANT = "grant"  # the code was refused: wrong, expired, used, or the verifier did not match
    UNAVAILABLE = "unavailable"  # no usable answer from the provider


class EsiaError(Exception):
    def __init__(self, failure: EsiaFailure, detail: str = "") -> None:
        super().__init__(f"{failure}: {detail}" if detail else str(failure))
        self.failure = failure
        self.detail = detail


class Esia(Protocol):
    def authorization(self, redirect_uri: str) -> EsiaAuthorization:
        """A new authorization: the provider's sign-in address with a fresh state and PKCE."""
        ...

    def person(
        self, callback_url: str, redirect_uri: str, state: str, code_verifier: str
    ) -> EsiaPerson:
        """The person behind the callback; EsiaError if the state, the code or the provider fail.

        The state is compared before anything is sent; a code is good for one exchange only.
        """
        ...
