"""The standing guard (issue 7): every public event handler of every state, found by
introspection (a handler added tomorrow is covered tomorrow), called by an anonymous tab and by
another borrower's tab with hostile arguments: wrong types, huge numbers, other people's ids,
hostile forms. Nothing may change in the database, nothing of the victim may reach the tab, and
no exception may escape (in the app: an error toast and a log line instead of an answer).

The victim A has a questionnaire, a photo, a card and an offer to sign; B is signed in as
themselves. The sandbox clock's buttons move the shared business date for anyone (a public
sandbox page, like /sandbox/sms): the one row they may touch.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from typing import Any

import pytest
import reflex as rx
from reflex.state import BaseState
from sqlalchemy import Engine

import state
from credit7_web.ids import MAX_ID
from tests.state.harness import OTHER_PHONE, Browser, form, make_borrower, sign_in, snapshot_all
from tests.state.lending_setup import give_card, give_offer, give_photo, personal_markers

# What a stranger's request changes by design: the shared sandbox date; a wrong password's count
# towards the phone's lockout.
MAY_MOVE = {"BusinessDateState": {"sandboxsetting"}, "LoginState": {"loginthrottle"}}


def app_states() -> list[type[BaseState]]:
    """Every state class the `state` package defines (mixins are not states of their own)."""
    for module in pkgutil.iter_modules(state.__path__):
        importlib.import_module(f"state.{module.name}")
    found: list[type[BaseState]] = []
    pending = list(rx.State.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith("state.") and not cls._mixin:
            found.append(cls)
    return sorted(set(found), key=lambda c: c.__name__)


def public_handlers() -> list[tuple[type[BaseState], str]]:
    # `setvar` is Reflex's own: it refuses every var these states hold (no setters).
    return [
        (cls, name)
        for cls in app_states()
        for name in sorted(cls.event_handlers)
        if name != "setvar"
    ]


def parameters(cls: type[BaseState], name: str) -> list[str]:
    fn = cls.event_handlers[name].fn
    return [p for p in list(inspect.signature(fn).parameters)[1:] if p not in ("args", "kwargs")]


def hostile(victim_ids: list[int]) -> list[Any]:
    """What a client may send in place of any argument."""
    huge = 10**400
    return [
        None,
        huge,
        -huge,
        MAX_ID + 1,
        *victim_ids,
        str(victim_ids[0]),
        "²",
        "x" * 10_000,
        1e308,
        True,
        [],
        [None],
        {"progress": huge},
        form(
            phone=PHONE_OF_VICTIM,
            code="000000",
            password="Wrong1234",
            section=str(huge),
            amount=str(huge),
            loan_id=str(victim_ids[0]),
            photo_id=victim_ids[0],
            reason="x" * 10_000,
        ),
    ]


PHONE_OF_VICTIM = "9001234567"


@pytest.fixture
def world(app_db: Engine) -> dict[str, Any]:
    a = make_borrower(app_db, PHONE_OF_VICTIM, active=True, filled=True, first_name="Иван")
    b = make_borrower(app_db, OTHER_PHONE, active=True, filled=True, first_name="Пётр")
    photo = give_photo(app_db, a)
    give_card(app_db, a)
    loan = give_offer(app_db, a)
    return {
        "a": a,
        "b_token": sign_in(app_db, b),
        "ids": [a, photo, loan.id, loan.application_id],
        "markers": [m for m in personal_markers(app_db, a) if m],
    }


def changed_tables(before: dict, after: dict) -> set[str]:
    return {name for name in before if before[name] != after[name]}


async def call_everything(
    app_db: Engine, tab: Browser, world: dict[str, Any], moves: Callable[[str], set[str]]
) -> None:
    for cls, name in public_handlers():
        params = parameters(cls, name)
        payloads = [{}] if not params else [dict.fromkeys(params, v) for v in hostile(world["ids"])]
        for payload in payloads:
            before = snapshot_all(app_db)
            deltas, events = len(tab.deltas), len(tab.events)
            try:
                await tab.send(cls, name, **payload)
            except Exception as error:
                pytest.fail(f"{cls.__name__}.{name}({payload!r:.200}) raised {error!r}")
            changed = changed_tables(before, snapshot_all(app_db))
            assert changed <= moves(cls.__name__), (cls.__name__, name, changed)
            sent = "\n".join([*tab.deltas[deltas:], *(str(e.payload) for e in tab.events[events:])])
            for marker in world["markers"]:
                assert marker not in sent, (cls.__name__, name, marker)


def test_every_handler_is_found(world: dict[str, Any]) -> None:
    """The discovery itself: the borrower's and the operator's states and their handlers."""
    names = {f"{cls.__name__}.{name}" for cls, name in public_handlers()}
    for expected in ("ApplyState.sign", "LoginState.submit", "CabinetState.load"):
        assert expected in names
    assert len(names) > 50


async def test_an_anonymous_tab_changes_nothing_and_learns_nothing(
    browser: Browser, app_db: Engine, world: dict[str, Any]
) -> None:
    await call_everything(app_db, browser, world, lambda name: MAY_MOVE.get(name, set()))


async def test_another_borrower_changes_nothing_of_the_victim_and_learns_nothing(
    browser: Browser, app_db: Engine, world: dict[str, Any]
) -> None:
    """B's own handlers may do B's own things (bind a card, ask for a code): only rows of B and
    the tables such steps write may move; A's rows never."""
    browser.with_cookie(world["b_token"])
    victim_before = victims_rows(app_db, world["a"])
    every_table = set(snapshot_all(app_db))
    await call_everything(app_db, browser, world, lambda name: every_table)
    assert victims_rows(app_db, world["a"]) == victim_before


def victims_rows(engine: Engine, borrower_id: int) -> dict[str, list[dict]]:
    """Every row that belongs to the victim (by its borrower id), table by table."""
    return {
        name: [
            r
            for r in rows
            if r.get("borrower_id") == borrower_id
            or (name == "borrower" and r.get("id") == borrower_id)
        ]
        for name, rows in snapshot_all(engine).items()
    }
