"""The accounts role's queues as the console uses them: a deletion carried out now (or refused
for a loan opened since), a restoration approved or rejected with a reason, forged or stale ids
ignored, and the restoration photos served to the accounts role only."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from credit7_web import urls, wiring
from credit7_web.backoffice.models import AuditEntry, Role
from credit7_web.identity import deletion, restoration
from credit7_web.identity.models import (
    AuthSession,
    Borrower,
    BorrowerStatus,
    DeletionRequest,
    DeletionStatus,
    RestorationRequest,
    RestorationStatus,
)
from state.login import LoginState
from state.operator_deletions import DONE, DeletionQueueState
from state.operator_restorations import APPROVED, REJECTED, RestorationQueueState
from tests.jobs import instant_sms
from tests.state.harness import (
    CLOCK,
    OTHER_PHONE,
    PASSWORD,
    PHONE,
    Browser,
    all_rows,
    form,
    make_borrower,
    sign_in,
)
from tests.state.harness import snapshot_all as snapshot
from tests.state.lending_setup import cookie, give_loan, give_offer, http_client, jpeg
from tests.state.operator_setup import as_operator, operator_token

REASON = "Лицо на селфи не совпадает с фото в паспорте"


def ask_deletion(engine: Engine, borrower_id: int) -> int:
    with Session(engine) as s:
        request = deletion.request_deletion(s, CLOCK, instant_sms(s, CLOCK), borrower_id)
        assert request.id is not None
        return request.id


def ask_restoration(engine: Engine, phone: str = PHONE) -> int:
    with Session(engine) as s:
        made = restoration.request_restoration(
            s, CLOCK, wiring.settings(), phone, jpeg(), jpeg(900, 1200)
        )
        assert made.id is not None
        return made.id


@dataclass
class Deleted:
    borrower_id: int
    loan_number: str


@pytest.fixture
def deleted(app_db: Engine) -> Deleted:
    """An account deleted with a contract offered (its PDF kept), asking to be restored."""
    borrower_id = make_borrower(app_db, PHONE, filled=True)
    loan = give_offer(app_db, borrower_id)
    request_id = ask_deletion(app_db, borrower_id)
    with Session(app_db) as s:
        sms = instant_sms(s, CLOCK)
        deletion.carry_out_deletion(s, CLOCK, wiring.settings(), sms, request_id, None)
    return Deleted(borrower_id, loan.number)


@pytest.fixture
def accounts_tab(browser: Browser, app_db: Engine) -> Browser:
    return as_operator(browser.at(urls.OPERATOR_DELETIONS), operator_token(app_db, Role.ACCOUNTS))


def audit_actions(engine: Engine) -> list[str]:
    return [e.action for e in all_rows(engine, AuditEntry) if e.action != "operator_created"]


# ----------------------------------------------------------------------------- deletions


async def test_an_operator_carries_out_a_deletion_and_the_login_stops_working(
    accounts_tab: Browser, new_browser, app_db: Engine
) -> None:
    borrower_id = make_borrower(app_db, PHONE, filled=True)
    request_id = ask_deletion(app_db, borrower_id)
    sign_in(app_db, borrower_id)
    await accounts_tab.send(DeletionQueueState, "load")
    state = accounts_tab.state(DeletionQueueState)
    assert [s.title for s in state.sections] == [
        "Удаление аккаунтов",
        "Восстановление аккаунтов",
        "Поиск клиента",
        "Журнал действий",
    ]
    assert state.waiting == 1
    assert (state.request.id, state.request.name, state.request.phone) == (
        request_id,
        "Иванов Иван Иванович",
        "+7 (900) 123-45-67",
    )
    assert state.request.blocker == ""

    await accounts_tab.send(
        DeletionQueueState, "carry_out", request_id=request_id, answered=state.answered
    )
    state = accounts_tab.state(DeletionQueueState)
    assert (state.notice, state.errors, state.request.id, state.waiting) == (DONE, {}, 0, 0)
    [borrower] = all_rows(app_db, Borrower)
    assert (borrower.status, borrower.phone) == (BorrowerStatus.DELETED, None)
    assert all_rows(app_db, AuthSession) == []  # the borrower's session went with the account
    assert audit_actions(app_db) == ["deletion_done"]

    person = new_browser().at(urls.LOGIN)
    await person.send(LoginState, "submit", form=form(phone=PHONE, password=PASSWORD))
    assert person.state(LoginState).errors == {"": "Неверный телефон или пароль"}


async def test_a_loan_opened_since_is_shown_and_refuses_the_deletion(
    accounts_tab: Browser, app_db: Engine
) -> None:
    borrower_id = make_borrower(app_db, PHONE, filled=True)
    request_id = ask_deletion(app_db, borrower_id)
    loan = give_loan(app_db, borrower_id)
    await accounts_tab.send(DeletionQueueState, "load")
    assert loan.number in accounts_tab.state(DeletionQueueState).request.blocker
    await accounts_tab.send(DeletionQueueState, "carry_out", request_id=request_id)
    state = accounts_tab.state(DeletionQueueState)
    assert loan.number in state.errors[""] and state.notice == ""
    assert state.request.id == 0  # refused, the request left the queue
    [request] = all_rows(app_db, DeletionRequest)
    assert request.status == DeletionStatus.REFUSED
    assert all_rows(app_db, Borrower)[0].phone == PHONE
    assert audit_actions(app_db) == ["deletion_refused"]


# ----------------------------------------------------------------------------- restorations


async def test_an_operator_sees_the_request_with_the_account_and_approves_it(
    accounts_tab: Browser, app_db: Engine, deleted: Deleted
) -> None:
    request_id = ask_restoration(app_db)
    accounts_tab.at(urls.OPERATOR_RESTORATIONS)
    await accounts_tab.send(RestorationQueueState, "load")
    shown = accounts_tab.state(RestorationQueueState).request
    assert (shown.id, shown.phone, shown.found) == (request_id, "+7 (900) 123-45-67", True)
    assert (shown.passport_url, shown.selfie_url) == (
        f"/operator/files/restoration/{request_id}/passport",
        f"/operator/files/restoration/{request_id}/selfie",
    )
    assert shown.loans == [f"№ {deleted.loan_number}, ждёт подписи"]
    assert shown.documents and shown.documents[0].url.startswith("/operator/files/documents/")

    answered = accounts_tab.state(RestorationQueueState).answered
    await accounts_tab.send(
        RestorationQueueState, "approve", request_id=request_id, answered=answered
    )
    state = accounts_tab.state(RestorationQueueState)
    assert (state.notice, state.errors, state.request.id) == (APPROVED, {}, 0)
    borrower = all_rows(app_db, Borrower)[0]
    assert (borrower.status, borrower.phone) == (BorrowerStatus.QUESTIONNAIRE, PHONE)
    assert audit_actions(app_db) == ["restoration_approved"]


async def test_a_rejection_needs_a_reason_and_a_request_of_no_account_says_so(
    accounts_tab: Browser, app_db: Engine
) -> None:
    request_id = ask_restoration(app_db, OTHER_PHONE)  # no deleted account had this phone
    accounts_tab.at(urls.OPERATOR_RESTORATIONS)
    await accounts_tab.send(RestorationQueueState, "load")
    shown = accounts_tab.state(RestorationQueueState).request
    assert (shown.id, shown.found, shown.loans, shown.documents) == (request_id, False, [], [])

    await accounts_tab.send(RestorationQueueState, "approve", request_id=request_id)
    state = accounts_tab.state(RestorationQueueState)
    assert state.errors == {"": restoration.NO_ACCOUNT} and state.notice == ""
    await accounts_tab.send(
        RestorationQueueState, "reject", request_id=request_id, form=form(reason="  ")
    )
    state = accounts_tab.state(RestorationQueueState)
    assert "reason" in state.errors and state.request.id == request_id  # still on screen
    await accounts_tab.send(
        RestorationQueueState, "reject", request_id=request_id, form=form(reason=REASON)
    )
    state = accounts_tab.state(RestorationQueueState)
    assert (state.notice, state.errors, state.request.id) == (REJECTED, {}, 0)
    [request] = all_rows(app_db, RestorationRequest)
    assert (request.status, request.reason) == (RestorationStatus.REJECTED, REASON)
    assert audit_actions(app_db) == ["restoration_rejected"]


FORGED = ["1", True, -1, 0, None, [1], 10**30, "other"]


@pytest.mark.parametrize("forged", FORGED)
async def test_a_forged_or_stale_request_id_is_ignored(
    accounts_tab: Browser, app_db: Engine, deleted: Deleted, forged
) -> None:
    ask_restoration(app_db)
    other_restoration = ask_restoration(app_db, OTHER_PHONE)
    ask_deletion(app_db, make_borrower(app_db, "9005550000", filled=True))
    other_deletion = ask_deletion(app_db, make_borrower(app_db, "9005550001", filled=True))
    await accounts_tab.send(DeletionQueueState, "load")
    await accounts_tab.send(RestorationQueueState, "load")
    before = snapshot(app_db)
    calls = [
        (DeletionQueueState, "carry_out", other_deletion, {}),
        (RestorationQueueState, "approve", other_restoration, {}),
        (RestorationQueueState, "reject", other_restoration, {"form": form(reason=REASON)}),
    ]
    for cls, handler, other, extra in calls:
        request_id = other if forged == "other" else forged  # waiting, but not on screen
        await accounts_tab.send(cls, handler, request_id=request_id, **extra)
    assert snapshot(app_db) == before


# ----------------------------------------------------------------------------- photo route


def test_restoration_photos_are_served_to_the_accounts_role_only(
    app_db: Engine, deleted: Deleted
) -> None:
    request_id = ask_restoration(app_db)
    accounts = {"cookie": f"c7_operator={operator_token(app_db, Role.ACCOUNTS)}"}
    others = [
        {"cookie": f"c7_operator={operator_token(app_db, Role.IDENTIFICATION)}"},
        {"cookie": f"c7_operator={operator_token(app_db, Role.SUPPORT)}"},
        cookie(sign_in(app_db, make_borrower(app_db, OTHER_PHONE))),
        {},
    ]
    with http_client() as client:
        for which in ("passport", "selfie"):
            path = urls.operator_restoration_file(request_id, which)
            shown = client.get(path, headers=accounts)
            assert shown.status_code == 200 and shown.content.startswith(b"\xff\xd8")
            assert shown.headers["content-type"] == "image/jpeg"
            assert shown.headers["content-disposition"].startswith("inline")
            assert shown.headers["cache-control"] == "no-store"
            for headers in others:
                assert client.get(path, headers=headers).status_code == 404
        for path in (
            f"/operator/files/restoration/{request_id}/other",
            f"/operator/files/restoration/{request_id + 1}/passport",
            "/operator/files/restoration/١/passport",  # Arabic-Indic one: a digit, not ASCII
            "/operator/files/restoration/²/passport",
            f"/operator/files/restoration/{10**30}/passport",
            "/operator/files/restoration/-1/passport",
        ):
            assert client.get(path, headers=accounts).status_code == 404, path
