"""Every handler of the console refuses whoever is not an operator of the right role.

The console's states are found by walking Reflex's state tree (a new state or handler is
enumerated without being listed here). Each handler is sent anonymously, with a borrower's live
session, and (where a role is demanded) by an operator of another role, in a tab that already
shows borrower V's waiting photo: nothing in the database changes, the tab is sent to sign in
(or to the console's start page), and nothing of V's reaches it. Borrower handlers, in turn,
ignore an operator's cookie.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import reflex as rx
from reflex.state import BaseState
from sqlalchemy import Engine
from sqlmodel import Session

import state
from credit7_web import urls, wiring
from credit7_web.backoffice.models import Role
from credit7_web.identity import deletion, kyc, restoration
from state.apply import ApplyState
from state.cabinet import CabinetState
from state.operator_deletions import DeletionQueueState, DeletionView
from state.operator_identification import IdentificationState, PhotoView
from state.operator_login import OperatorLoginState
from state.operator_restorations import RestorationQueueState, RestorationView
from state.questionnaire import QuestionnaireState
from tests.jobs import instant_sms
from tests.state.harness import (
    CLOCK,
    PHONE,
    Browser,
    form,
    make_borrower,
    sign_in,
    snapshot_all,
)
from tests.state.lending_setup import give_offer, jpeg, personal_markers, upload
from tests.state.operator_setup import as_operator, operator_token

PUBLIC = {OperatorLoginState}  # the sign-in page itself
for module in pkgutil.iter_modules(state.__path__):  # every console state, listed or not
    if module.name.startswith("operator"):
        importlib.import_module(f"state.{module.name}")


def walk(cls: type[BaseState]) -> Iterator[type[BaseState]]:
    yield cls
    for sub in sorted(cls.get_substates(), key=lambda c: c.get_full_name()):
        yield from walk(sub)


CONSOLE_STATES = [
    cls
    for cls in walk(rx.State)
    if cls.__module__.startswith("state.operator") and cls not in PUBLIC
]
HANDLERS = [
    (cls, name) for cls in CONSOLE_STATES for name in sorted(cls.event_handlers) if name != "setvar"
]
# A role other than the one each state demands (None: every operator may use it).
WRONG_ROLE = {
    "IdentificationState": Role.SUPPORT,
    "AuditLogState": Role.IDENTIFICATION,
    "DeletionQueueState": Role.SUPPORT,
    "RestorationQueueState": Role.IDENTIFICATION,
}


@dataclass
class World:
    photo_id: int
    deletion_id: int
    restoration_id: int
    markers: list[str]

    def on_screen(self, browser: Browser) -> None:
        """The tab shows V's items in every queue, as if the session had just died."""
        browser.state(IdentificationState).photo = PhotoView(id=self.photo_id)
        browser.state(DeletionQueueState).request = DeletionView(id=self.deletion_id)
        browser.state(RestorationQueueState).request = RestorationView(id=self.restoration_id)


@pytest.fixture
def world(app_db: Engine) -> World:
    victim = make_borrower(app_db, PHONE, filled=True)
    give_offer(app_db, victim)
    with Session(app_db) as s:
        photo = kyc.latest_photo(s, victim)
    assert photo is not None and photo.id is not None
    with Session(app_db) as s:
        deletion_id = deletion.request_deletion(s, CLOCK, instant_sms(s, CLOCK), victim).id
        restoration_id = restoration.request_restoration(
            s, CLOCK, wiring.settings(), PHONE, jpeg(), jpeg()
        ).id
    return World(
        photo_id=photo.id,
        deletion_id=deletion_id or 0,
        restoration_id=restoration_id or 0,
        markers=[
            *personal_markers(app_db, victim),
            "+7 (900) 123-45-67",
            "Иванов",
            "•••• ••3456",
            "/operator/files/",
        ],
    )


def payload(cls: type[BaseState], handler: str, world: World) -> dict[str, Any]:
    """Arguments that would act on V, were the handler to run."""
    item = {
        IdentificationState: {"photo_id": world.photo_id},
        DeletionQueueState: {"request_id": world.deletion_id},
        RestorationQueueState: {"request_id": world.restoration_id},
    }.get(cls, {})
    return {
        "load": {},
        "confirm": item,
        "carry_out": item,
        "approve": item,
        "reject": item | {"form": form(reason="Паспорт не читается")},
        "search": {"form": form(phone=PHONE)},
    }[handler]


def test_every_console_handler_is_enumerated() -> None:
    names = {(cls.__name__, name) for cls, name in HANDLERS}
    assert {cls.__name__ for cls in CONSOLE_STATES} == {
        "ConsoleHomeState",
        "IdentificationState",
        "BorrowerSearchState",
        "AuditLogState",
        "DeletionQueueState",
        "RestorationQueueState",
    }
    assert ("IdentificationState", "confirm") in names and ("AuditLogState", "load") in names
    assert {("DeletionQueueState", "carry_out"), ("RestorationQueueState", "reject")} <= names
    assert ("RestorationQueueState", "approve") in names


async def refused(
    browser: Browser, engine: Engine, world: World, cls: type[BaseState], handler: str
) -> str:
    """Send the handler; check nothing moved and nothing leaked; return where it sent the tab."""
    browser.at(urls.OPERATOR)
    world.on_screen(browser)
    before = snapshot_all(engine)
    events = await browser.send(cls, handler, **payload(cls, handler, world))
    assert snapshot_all(engine) == before
    sent = browser.sent_text()
    for marker in world.markers:
        assert marker not in sent, marker
    assert [e.name for e in events] == ["_redirect"], events
    return events[0].payload["path"]


@pytest.mark.parametrize(("cls", "handler"), HANDLERS, ids=lambda x: getattr(x, "__name__", x))
async def test_an_anonymous_tab_is_sent_to_the_console_sign_in(
    browser: Browser, app_db: Engine, world: World, cls: type[BaseState], handler: str
) -> None:
    assert await refused(browser, app_db, world, cls, handler) == urls.OPERATOR_LOGIN


@pytest.mark.parametrize(("cls", "handler"), HANDLERS, ids=lambda x: getattr(x, "__name__", x))
async def test_a_borrowers_session_opens_nothing_in_the_console(
    browser: Browser, app_db: Engine, world: World, cls: type[BaseState], handler: str
) -> None:
    other = make_borrower(app_db, "9005550000", active=True)
    browser.with_cookie(sign_in(app_db, other))
    assert await refused(browser, app_db, world, cls, handler) == urls.OPERATOR_LOGIN


@pytest.mark.parametrize(
    ("cls", "handler"),
    [(cls, name) for cls, name in HANDLERS if cls.__name__ in WRONG_ROLE],
    ids=lambda x: getattr(x, "__name__", x),
)
async def test_an_operator_of_another_role_is_sent_to_the_start_page(
    browser: Browser, app_db: Engine, world: World, cls: type[BaseState], handler: str
) -> None:
    as_operator(browser, operator_token(app_db, WRONG_ROLE[cls.__name__]))
    assert await refused(browser, app_db, world, cls, handler) == urls.OPERATOR


@pytest.mark.parametrize(
    ("cls", "handler", "args", "to"),
    [
        (CabinetState, "load", {}, "/login?next=%2Fcabinet"),
        (ApplyState, "load", {}, "/login?next=%2Fapply"),
        (ApplyState, "submit", {}, "/login?next=%2Fapply"),
        (QuestionnaireState, "load", {}, "/login?next=%2Fregister%2Fquestionnaire"),
    ],
    ids=lambda x: getattr(x, "__name__", x) if isinstance(x, type) else str(x),
)
async def test_an_operators_session_cannot_act_as_a_borrower(
    browser: Browser,
    app_db: Engine,
    world: World,
    cls: type[BaseState],
    handler: str,
    args: dict,
    to: str,
) -> None:
    as_operator(browser, operator_token(app_db, Role.IDENTIFICATION))
    browser.at({CabinetState: "/cabinet", ApplyState: "/apply"}.get(cls, "/register/questionnaire"))
    before = snapshot_all(app_db)
    events = await browser.send(cls, handler, **args)
    assert [(e.name, e.payload.get("path")) for e in events] == [("_redirect", to)]
    assert snapshot_all(app_db) == before


async def test_an_operator_cannot_upload_a_photo_as_a_borrower(
    browser: Browser, app_db: Engine, world: World
) -> None:
    as_operator(browser, operator_token(app_db, Role.IDENTIFICATION))
    browser.at("/apply")
    before = snapshot_all(app_db)
    await browser.send(ApplyState, "upload_photo", files=[upload(jpeg())])
    assert snapshot_all(app_db) == before
