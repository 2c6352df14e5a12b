"""Without a live session, the lending handlers do nothing and give nothing away.

Every ApplyState, CabinetState and BusinessDateState handler is sent by an anonymous tab and by
a tab whose session died (signed out, expired, idle) while it showed a contract. Meanwhile
borrower A has a contract waiting for the signature with a valid SMS code out, and borrower C
has an application waiting for its decision: a handler that skipped the session check would
sign, send a code, decide, upload or bind something for one of them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from credit7_web.identity import sessions
from credit7_web.lending.models import ApplicationStatus, LoanApplication, LoanStatus
from state.apply import ApplyState, OfferView
from state.cabinet import CabinetState
from state.sandbox_clock import BusinessDateState
from tests.state.harness import (
    CLOCK,
    PHONE,
    Browser,
    all_rows,
    form,
    make_borrower,
    set_session_times,
    sign_in,
    sms_code,
    snapshot_all,
)
from tests.state.lending_setup import (
    APPLY,
    APPLY_TO_SIGN_IN,
    CABINET_TO_SIGN_IN,
    OTHER_PAN,
    give_application,
    give_card,
    give_offer,
    give_photo,
    jpeg,
    loans,
    personal_markers,
    request_sign_code,
    upload,
)

C_PHONE = "9005550000"


@dataclass(frozen=True)
class Call:
    cls: type
    handler: str
    payload: Callable[[], dict[str, Any]]
    answer: Any  # the redirect path, a script, or None for no event at all
    moves: frozenset[str] = frozenset()  # tables it may change even for a stranger

    def __str__(self) -> str:
        return f"{self.cls.__name__}.{self.handler}"


def nothing() -> dict[str, Any]:
    return {}


CALLS = [
    Call(ApplyState, "load", nothing, APPLY_TO_SIGN_IN),
    Call(ApplyState, "set_amount", lambda: {"value": "15000"}, APPLY_TO_SIGN_IN),
    Call(ApplyState, "set_term", lambda: {"value": "25"}, APPLY_TO_SIGN_IN),
    Call(ApplyState, "toggle_service", lambda: {"code": "life", "on": True}, APPLY_TO_SIGN_IN),
    Call(ApplyState, "upload_photo", lambda: {"files": [upload(jpeg())]}, APPLY_TO_SIGN_IN),
    Call(ApplyState, "upload_progressed", lambda: {"progress": {"progress": 0.5}}, None),
    Call(ApplyState, "bind_card", nothing, APPLY_TO_SIGN_IN),
    Call(ApplyState, "submit", nothing, APPLY_TO_SIGN_IN),
    Call(ApplyState, "watch_decision", nothing, None),
    Call(ApplyState, "send_code", nothing, APPLY_TO_SIGN_IN),
    Call(ApplyState, "sign", lambda: {"form": form(code="000000")}, APPLY_TO_SIGN_IN),
    Call(CabinetState, "load", nothing, CABINET_TO_SIGN_IN),
    # The sandbox clock is a public sandbox page (like /sandbox/sms): it shows only the date,
    # and its buttons move the shared business date, the one row they may touch.
    Call(BusinessDateState, "load", nothing, None),
    Call(BusinessDateState, "move", lambda: {"days": 1}, None, frozenset({"sandboxsetting"})),
    Call(BusinessDateState, "reset_clock", nothing, None, frozenset({"sandboxsetting"})),
]


def answer_of(events: list[Any]) -> Any:
    if not events:
        return None
    assert len(events) == 1, events
    [event] = events
    if event.name == "_redirect":
        return event.payload["path"]
    assert event.name == "_call_script", event
    return event.payload["javascript_code"]


@dataclass
class World:
    a: int
    a_loan_id: int
    a_code: str
    c_application_id: int
    markers: list[str]


@pytest.fixture
def world(app_db: Engine) -> World:
    """A: a contract awaiting the signature, with a code out. C: an application in scoring."""
    a = make_borrower(app_db, PHONE, filled=True)
    loan = give_offer(app_db, a)
    assert loan.id is not None
    code = request_sign_code(app_db, a, loan.id)
    c = make_borrower(app_db, C_PHONE, filled=True, first_name="Сидор", middle_name="Петрович")
    give_photo(app_db, c)
    give_card(app_db, c, OTHER_PAN)
    application_id = give_application(app_db, c)
    markers = [
        *personal_markers(app_db, a),
        *personal_markers(app_db, c),
        "Иван",
        "Сидор",
        "/files/",
        "•••• ",
    ]
    return World(a, loan.id, code, application_id, markers)


def assert_untouched(engine: Engine, world: World, before: dict, call: Call) -> None:
    after = snapshot_all(engine)
    before, after = dict(before), dict(after)
    for table in call.moves:
        if table == "authsession":  # the same sessions; only `revoked_at` may be set
            before[table] = [row | {"revoked_at": None} for row in before[table]]
            after[table] = [row | {"revoked_at": None} for row in after[table]]
        else:
            before.pop(table), after.pop(table)
    assert after == before
    [loan] = loans(engine, world.a)
    assert loan.status == LoanStatus.AWAITING_SIGNATURE
    with Session(engine) as s:
        application = s.get(LoanApplication, world.c_application_id)
        assert application is not None and application.status == ApplicationStatus.SCORING


@pytest.mark.parametrize("call", CALLS, ids=str)
async def test_an_anonymous_tab_gets_nothing(
    browser: Browser, app_db: Engine, world: World, call: Call
) -> None:
    browser.at(APPLY if call.cls is not CabinetState else "/cabinet")
    if call.cls is ApplyState:  # even aimed at A's contract, it reaches nothing
        browser.state(ApplyState).offer = OfferView(loan_id=world.a_loan_id)
    payload = call.payload()
    if call.handler == "sign":
        payload = {"form": form(code=world.a_code)}
    before = snapshot_all(app_db)
    assert answer_of(await browser.send(call.cls, call.handler, **payload)) == call.answer
    assert_untouched(app_db, world, before, call)
    sent = browser.sent_text()
    for marker in world.markers:
        assert marker not in sent, marker


@pytest.mark.parametrize("how", ["signed out", "all sessions ended", "expired", "idle"])
async def test_a_tab_whose_session_died_gets_nothing(
    browser: Browser, app_db: Engine, world: World, how: str
) -> None:
    token = sign_in(app_db, world.a)
    browser.at(APPLY).with_cookie(token)
    assert await browser.send(ApplyState, "load") == []
    assert browser.state(ApplyState).offer.loan_id == world.a_loan_id  # A saw the contract
    browser.at("/cabinet")
    assert await browser.send(CabinetState, "load") == []
    assert browser.state(CabinetState).pending == "Заём одобрен: подпишите договор"

    now = CLOCK.now()
    with Session(app_db) as s:
        if how == "signed out":
            sessions.revoke(s, CLOCK, token)
        elif how == "all sessions ended":
            sessions.revoke_all(s, CLOCK, world.a)
    if how == "expired":
        set_session_times(app_db, expires_at=now - timedelta(seconds=1))
    elif how == "idle":
        set_session_times(app_db, last_seen_at=now - timedelta(hours=1))

    for call in CALLS:  # one after another in the same tab, as a stale page would send them
        browser.at(APPLY if call.cls is not CabinetState else "/cabinet")
        payload = call.payload()
        if call.handler == "sign":
            payload = {"form": form(code=world.a_code)}  # the right code, from A's phone
        before = snapshot_all(app_db)
        deltas, events = len(browser.deltas), len(browser.events)
        answer = answer_of(await browser.send(call.cls, call.handler, **payload))
        assert answer == call.answer, call
        assert_untouched(app_db, world, before, call)
        sent = "\n".join(
            [*browser.deltas[deltas:], *(json.dumps(e.payload) for e in browser.events[events:])]
        )
        for marker in world.markers:
            assert marker not in sent, (call, marker)
    assert browser.state(ApplyState).offer == OfferView()  # and what the tab showed is forgotten
    assert browser.state(CabinetState).pending == ""


async def test_after_the_session_died_the_code_still_signs_only_for_a_live_session(
    browser: Browser, app_db: Engine, world: World
) -> None:
    """The refusals above burnt nothing: A, signed in again, signs with the same code."""
    token = sign_in(app_db, world.a)
    browser.at(APPLY).with_cookie(token)
    await browser.send(ApplyState, "load")
    with Session(app_db) as s:
        sessions.revoke(s, CLOCK, token)
    await browser.send(ApplyState, "sign", form=form(code=world.a_code))
    assert [loan.status for loan in loans(app_db, world.a)] == [LoanStatus.AWAITING_SIGNATURE]
    browser.with_cookie(sign_in(app_db, world.a))
    await browser.send(ApplyState, "load")
    events = await browser.send(ApplyState, "sign", form=form(code=world.a_code))
    assert answer_of(events) == "/cabinet"
    assert [loan.status for loan in loans(app_db, world.a)] == [LoanStatus.ACTIVE]
    assert sms_code(app_db, PHONE) == world.a_code  # no other code was sent meanwhile
    assert len(all_rows(app_db, LoanApplication)) == 2
