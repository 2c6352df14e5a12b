"""The console as operators use it: sign-in with password and TOTP, the identification queue
(confirm, reject with a reason the borrower then sees, forged ids ignored), the borrower's file
with masked documents, the audit log for the accounts role, and the operator-only file routes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from http.cookies import SimpleCookie

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from credit7_web import urls, wiring
from credit7_web.backoffice import sessions as operator_sessions
from credit7_web.backoffice.models import AuditEntry, Operator, OperatorSession, Role
from credit7_web.documents.models import Document
from credit7_web.identity import sessions
from credit7_web.identity.models import PassportPhoto, PhotoReview
from state.apply import ApplyState
from state.operator_audit import AuditLogState
from state.operator_identification import IdentificationState
from state.operator_login import OperatorLoginState
from state.operator_search import BorrowerSearchState
from tests.operator_setup import OPERATOR_PASSWORD, add_operator, code_at
from tests.state.harness import CLOCK, PHONE, Browser, all_rows, form, make_borrower, sign_in
from tests.state.harness import snapshot_all as snapshot
from tests.state.lending_setup import cookie, give_offer, give_photo, http_client
from tests.state.operator_setup import as_operator, operator_token

REASON = "Паспорт не читается: переснимите при дневном свете"


def photo_rows(engine: Engine) -> list[PassportPhoto]:
    return all_rows(engine, PassportPhoto)


def audit_actions(engine: Engine) -> list[str]:
    return [e.action for e in all_rows(engine, AuditEntry)]


@pytest.fixture
def identifier(browser: Browser, app_db: Engine) -> Browser:
    return as_operator(
        browser.at(urls.OPERATOR_IDENTIFICATION), operator_token(app_db, Role.IDENTIFICATION)
    )


@pytest.fixture
def borrower_id(app_db: Engine) -> int:
    return make_borrower(app_db, PHONE, filled=True)


# ----------------------------------------------------------------------------- sign-in


def claim_ticket(events) -> str:
    assert [e.name for e in events] == ["_call_script"], events
    script = events[0].payload["javascript_code"]
    prefix = f"window.location.replace({json.dumps(urls.OPERATOR_CLAIM + '?ticket=')[:-1]}"
    assert script.startswith(prefix), script
    return script[len(prefix) : -2]


async def test_sign_in_with_password_and_code_then_the_claim_sets_the_operator_cookie(
    browser: Browser, app_db: Engine
) -> None:
    with Session(app_db) as s:
        operator_id, secret = add_operator(s, CLOCK, wiring.settings(), Role.SUPPORT)
    browser.at(urls.OPERATOR_LOGIN)
    await browser.send(OperatorLoginState, "load")
    events = await browser.send(
        OperatorLoginState,
        "submit",
        form=form(login="ivanova", password=OPERATOR_PASSWORD, code=code_at(secret, CLOCK.now())),
    )
    ticket = claim_ticket([e for e in events if e.name == "_call_script"])
    state = browser.state(OperatorLoginState)
    assert (state.errors, state.answered) == ({}, 1)
    assert OPERATOR_PASSWORD not in browser.sent_text()

    with http_client() as client:
        cross = client.get(
            urls.OPERATOR_CLAIM, params={"ticket": ticket}, headers={"sec-fetch-site": "cross-site"}
        )
        assert (cross.status_code, cross.headers["location"]) == (303, urls.OPERATOR_LOGIN)
        # From the console's own page, in the browser that signed in (its browser key).
        own = {
            "sec-fetch-site": "same-origin",
            "cookie": f"{sessions.BROWSER_COOKIE}={browser.key}",
        }
        elsewhere = own | {"cookie": f"{sessions.BROWSER_COOKIE}={'another-browser' * 3}"}
        stolen = client.get(urls.OPERATOR_CLAIM, params={"ticket": ticket}, headers=elsewhere)
        assert (stolen.status_code, stolen.headers["location"]) == (303, urls.OPERATOR_LOGIN)
        response = client.get(urls.OPERATOR_CLAIM, params={"ticket": ticket}, headers=own)
        again = client.get(urls.OPERATOR_CLAIM, params={"ticket": ticket}, headers=own)
    assert (response.status_code, response.headers["location"]) == (303, urls.OPERATOR)
    jar: SimpleCookie = SimpleCookie(response.headers["set-cookie"])
    morsel = jar[operator_sessions.OPERATOR_COOKIE]
    assert morsel["httponly"] is True and morsel["samesite"].lower() == "strict"
    assert morsel["path"] == "/"
    assert "set-cookie" not in again.headers
    with Session(app_db) as s:
        operator = operator_sessions.resolve(s, CLOCK, morsel.value)
    assert operator is not None and operator.id == operator_id


async def test_a_wrong_code_is_refused_beside_the_form(browser: Browser, app_db: Engine) -> None:
    with Session(app_db) as s:
        add_operator(s, CLOCK, wiring.settings(), Role.SUPPORT)
    browser.at(urls.OPERATOR_LOGIN)
    events = await browser.send(
        OperatorLoginState,
        "submit",
        form=form(login="ivanova", password=OPERATOR_PASSWORD, code=""),
    )
    assert events == []
    assert browser.state(OperatorLoginState).errors == {"code": "Введите шесть цифр из приложения"}
    await browser.send(
        OperatorLoginState,
        "submit",
        form=form(login="ivanova", password="Wrong-password-1", code="123456"),
    )
    state = browser.state(OperatorLoginState)
    assert (state.errors, state.answered) == ({"": "Неверный логин, пароль или код"}, 2)
    assert all_rows(app_db, OperatorSession) == []


async def test_a_double_clicks_copy_of_a_sign_in_is_ignored(
    browser: Browser, app_db: Engine
) -> None:
    """The sign-in is checked in a thread pool (async): its copy, naming the answer already
    given, counts no second failure towards the lock."""
    with Session(app_db) as s:
        add_operator(s, CLOCK, wiring.settings(), Role.SUPPORT)
    browser.at(urls.OPERATOR_LOGIN)
    wrong = form(login="ivanova", password="Wrong-password-1", code="123456", answered="0")
    for _ in range(2):
        await browser.send(OperatorLoginState, "submit", form=wrong)
    assert browser.state(OperatorLoginState).answered == 1
    [operator] = all_rows(app_db, Operator)
    assert operator.failures == 1


async def test_a_signed_in_operator_is_sent_on_from_the_sign_in_page(
    browser: Browser, app_db: Engine
) -> None:
    as_operator(browser.at(urls.OPERATOR_LOGIN), operator_token(app_db, Role.SUPPORT))
    events = await browser.send(OperatorLoginState, "load")
    assert [(e.name, e.payload["path"]) for e in events] == [("_redirect", urls.OPERATOR)]


# ----------------------------------------------------------------------------- the queue


async def test_the_queue_shows_the_waiting_photo_and_confirms_it(
    identifier: Browser, app_db: Engine, borrower_id: int
) -> None:
    photo_id = give_photo(app_db, borrower_id)
    await identifier.send(IdentificationState, "load")
    state = identifier.state(IdentificationState)
    assert state.waiting == 1
    assert (state.photo.id, state.photo.url) == (photo_id, f"/operator/files/kyc/{photo_id}")
    assert (state.photo.name, state.photo.phone) == ("Иванов Иван Иванович", "+7 (900) 123-45-67")
    assert [s.title for s in state.sections] == ["Идентификация", "Поиск клиента"]

    await identifier.send(IdentificationState, "confirm", photo_id=photo_id)
    [photo] = photo_rows(app_db)
    assert photo.review == PhotoReview.CONFIRMED and photo.reviewed_by is not None
    state = identifier.state(IdentificationState)
    assert (state.photo.id, state.waiting, state.notice) == (0, 0, "Фото подтверждено.")
    assert audit_actions(app_db)[-1] == "photo_confirmed"


async def test_a_rejection_needs_a_reason_and_the_borrower_sees_it(
    identifier: Browser, new_browser, app_db: Engine, borrower_id: int
) -> None:
    photo_id = give_photo(app_db, borrower_id)
    await identifier.send(IdentificationState, "load")
    await identifier.send(IdentificationState, "reject", photo_id=photo_id, form=form(reason=" "))
    assert "reason" in identifier.state(IdentificationState).errors
    assert photo_rows(app_db)[0].review == PhotoReview.PENDING
    assert identifier.state(IdentificationState).photo.id == photo_id  # still on screen

    await identifier.send(
        IdentificationState, "reject", photo_id=photo_id, form=form(reason=REASON)
    )
    [photo] = photo_rows(app_db)
    assert (photo.review, photo.rejection_reason) == (PhotoReview.REJECTED, REASON)

    borrower: Browser = new_browser().at("/apply").with_cookie(sign_in(app_db, borrower_id))
    await borrower.send(ApplyState, "load")
    apply = borrower.state(ApplyState)
    assert (apply.has_photo, apply.photo_rejection, apply.stage) == (False, REASON, "prepare")


@pytest.mark.parametrize("forged", ["1", True, -1, 0, None, [1], "other"])
async def test_a_forged_or_stale_photo_id_is_ignored(
    identifier: Browser, app_db: Engine, borrower_id: int, forged
) -> None:
    give_photo(app_db, borrower_id)
    other = make_borrower(app_db, "9005550000", filled=True)
    other_photo = give_photo(app_db, other)
    await identifier.send(IdentificationState, "load")
    if forged == "other":  # waiting too, but not the one on screen
        forged = other_photo
    before = snapshot(app_db)
    await identifier.send(IdentificationState, "confirm", photo_id=forged)
    await identifier.send(IdentificationState, "reject", photo_id=forged, form=form(reason=REASON))
    assert snapshot(app_db) == before


# ----------------------------------------------------------------------------- the file


async def test_support_finds_the_file_with_documents_masked(
    browser: Browser, app_db: Engine, borrower_id: int
) -> None:
    as_operator(browser.at(urls.OPERATOR_SEARCH), operator_token(app_db, Role.SUPPORT))
    await browser.send(BorrowerSearchState, "load")
    await browser.send(BorrowerSearchState, "search", form=form(phone="12"))
    assert "phone" in browser.state(BorrowerSearchState).errors
    await browser.send(BorrowerSearchState, "search", form=form(phone="+7 900 765 43 21"))
    state = browser.state(BorrowerSearchState)
    assert (state.found, state.errors) == (False, {"phone": "Клиент с таким номером не найден"})

    await browser.send(BorrowerSearchState, "search", form=form(phone="8 (900) 123-45-67"))
    state = browser.state(BorrowerSearchState)
    assert state.found
    assert (state.person.name, state.person.passport, state.person.snils) == (
        "Иванов Иван Иванович",
        "•••• ••3456",
        "•••-•••-•45 95",
    )
    assert state.person.photo == "Не загружено"
    sent = browser.sent_text()
    for full in ("123456", "11223344595", "112-233-445 95", "4510"):
        assert full not in sent
    assert audit_actions(app_db)[-1] == "borrower_viewed"


# ----------------------------------------------------------------------------- the audit log


async def test_the_accounts_role_reads_the_audit_log(
    identifier: Browser, new_browser, app_db: Engine, borrower_id: int
) -> None:
    photo_id = give_photo(app_db, borrower_id)
    await identifier.send(IdentificationState, "load")
    await identifier.send(
        IdentificationState, "reject", photo_id=photo_id, form=form(reason=REASON)
    )
    accounts: Browser = as_operator(
        new_browser().at(urls.OPERATOR_AUDIT), operator_token(app_db, Role.ACCOUNTS, "petrova")
    )
    await accounts.send(AuditLogState, "load")
    entries = accounts.state(AuditLogState).entries
    assert [e.action for e in entries] == [
        "Создан оператор",
        "Фото с паспортом отклонено",
        "Создан оператор",
    ]
    newest = entries[1]
    assert (newest.who, newest.action, newest.subject) == (
        "Оператор identification (identification)",
        "Фото с паспортом отклонено",
        f"passportphoto:{photo_id}",
    )
    assert json.loads(newest.after) == {"review": "rejected", "reason": REASON}
    assert entries[-1].who == "командная строка"


# ----------------------------------------------------------------------------- file routes


@pytest.fixture
def tokens(app_db: Engine) -> Iterator[dict[str, str]]:
    yield {
        "identification": operator_token(app_db, Role.IDENTIFICATION),
        "support": operator_token(app_db, Role.SUPPORT),
    }


def test_the_operator_photo_route_serves_the_identification_role_only(
    app_db: Engine, borrower_id: int, tokens: dict[str, str]
) -> None:
    photo_id = give_photo(app_db, borrower_id)
    borrower_token = sign_in(app_db, borrower_id)
    path = urls.operator_photo_file(photo_id)
    with http_client() as client:
        shown = client.get(path, headers={"cookie": f"c7_operator={tokens['identification']}"})
        assert shown.status_code == 200 and shown.content.startswith(b"\xff\xd8")
        assert shown.headers["cache-control"] == "no-store"
        for headers in (
            {"cookie": f"c7_operator={tokens['support']}"},
            cookie(borrower_token),  # the owner, but with the borrower's cookie
            {
                "cookie": f"c7_session={tokens['identification']}"
            },  # an operator token as a borrower's
            {},
        ):
            assert client.get(path, headers=headers).status_code == 404
        # The borrower's own route stays owner-only: an operator cookie opens nothing there.
        own = urls.photo_file(photo_id)
        assert client.get(own, headers=cookie(borrower_token)).status_code == 200
        assert (
            client.get(
                own, headers={"cookie": f"c7_operator={tokens['identification']}"}
            ).status_code
            == 404
        )


def test_logout_ends_the_operator_session(app_db: Engine, tokens: dict[str, str]) -> None:
    token = tokens["support"]
    with http_client() as client:
        elsewhere = client.post(urls.OPERATOR_LOGOUT, headers={"cookie": f"c7_operator={token}"})
        assert (elsewhere.status_code, "set-cookie" in elsewhere.headers) == (403, False)
        response = client.post(
            urls.OPERATOR_LOGOUT,
            headers={"cookie": f"c7_operator={token}", "sec-fetch-site": "same-origin"},
        )
    assert (response.status_code, response.headers["location"]) == (303, urls.OPERATOR_LOGIN)
    assert 'c7_operator=""' in response.headers["set-cookie"]
    with Session(app_db) as s:
        assert operator_sessions.resolve(s, CLOCK, token) is None
        assert (
            s.exec(select(AuditEntry.action).order_by(AuditEntry.id.desc())).first() == "signed_out"
        )  # type: ignore[union-attr]


def test_the_operator_document_route_serves_operators_only(
    app_db: Engine, borrower_id: int, tokens: dict[str, str]
) -> None:
    give_offer(app_db, borrower_id)
    [document] = all_rows(app_db, Document)
    path = urls.operator_document_file(document.id)
    support = {"cookie": f"c7_operator={tokens['support']}"}
    with http_client() as client:
        shown = client.get(path, headers=support)
        assert shown.status_code == 200 and shown.content.startswith(b"%PDF")
        assert client.get(path, headers=cookie(sign_in(app_db, borrower_id))).status_code == 404
        assert client.get(path).status_code == 404
        assert (
            client.get(
                urls.operator_document_file(document.id + 1),
                headers={"cookie": f"c7_operator={tokens['support']}"},
            ).status_code
            == 404
        )
