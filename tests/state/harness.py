"""Helpers for the state tests: a browser tab driving the states, and database readers."""

from __future__ import annotations

import itertools
import json
import re
from datetime import datetime
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlsplit

from reflex.state import BaseState, State
from reflex_base.event import Event
from reflex_base.event.context import EventContext
from reflex_base.event.processor.base_state_processor import process_event
from reflex_base.utils.form import FORM_DATA_ENTRIES_KEY
from reflex_base.utils.format import json_dumps
from sqlalchemy import Engine
from sqlmodel import Session, SQLModel, col, select

from credit7_web import wiring
from credit7_web.clock import SystemClock
from credit7_web.identity import accounts, hashing, questionnaire, sessions
from credit7_web.identity.models import (
    AuthSession,
    Borrower,
    BorrowerStatus,
    LoginThrottle,
    OneTimeCode,
    Profile,
)
from credit7_web.identity.sessions import BROWSER_COOKIE, SESSION_COOKIE
from credit7_web.sandbox.models import SmsMessage
from credit7_web.sandbox.sms import outbox
from web import jobs  # noqa: F401  (the states' jobs go to the task queue, as in the app)
from web.queue import huey

S = TypeVar("S", bound=BaseState)
_ADDRESSES = itertools.count(1)
# The states run on real time (the sandbox moves only the business date): set-up uses it too.
CLOCK = SystemClock()

PHONE = "9001234567"
TYPED_PHONE = "+7 (900) 123-45-67"
OTHER_PHONE = "9007654321"
PASSWORD = "Secret123"
SECRET_KEY = "state-test-secret"

# A questionnaire that passes every check, section by section.
SECTIONS: list[dict[str, Any]] = [
    {
        "last_name": "Иванов",
        "first_name": "Иван",
        "middle_name": "Иванович",
        "birth_date": "15.03.1990",
        "birth_place": "г. Москва",
        "citizenship": "RUS",
    },
    {
        "passport_series": "45 10",
        "passport_number": "123456",
        "passport_issue_date": "20.03.2010",
        "passport_issuer": "ОВД Тверского района г. Москвы",
        "passport_division_code": "770001",
    },
    {"reg_address": "г. Москва, ул. Ленина, д. 1, кв. 2", "res_same_as_reg": "on"},
    {"snils": "112-233-445 95", "email": "Ivan@Mail.RU"},
    {
        "employer": "ООО «Ромашка»",
        "position": "Инженер",
        "family_status": "married",
        "dependants": "1",
        "monthly_income": "50000",
    },
]


TABLES: tuple[type[SQLModel], ...] = (
    Borrower,
    Profile,
    AuthSession,
    OneTimeCode,
    LoginThrottle,
    SmsMessage,
)


# ----------------------------------------------------------------------------- the browser


def form(**fields: Any) -> dict[str, Any]:
    """A form submission as Reflex's frontend puts it on the wire: ordered [name, value] pairs."""
    return {FORM_DATA_ENTRIES_KEY: [[name, value] for name, value in fields.items()]}


def section_form(step: int, **fields: Any) -> dict[str, Any]:
    """A questionnaire form as the page sends it: it names the section it was filled for."""
    return form(section=str(step), **fields)


class Browser:
    """One browser tab talking to the backend over its websocket."""

    def __init__(self) -> None:
        self.root = State(_reflex_internal_init=True)
        self.cookie = ""
        # The key `web.guard` gives every browser on its first page load.
        self.key = hashing.new_token()
        self.address = f"198.51.100.{next(_ADDRESSES)}"  # each tab its own client address
        self.path = "/"
        self.query = ""
        self.deltas: list[str] = []
        self.events: list[Event] = []

    def state(self, cls: type[S]) -> S:
        substate = self.root.get_substate(cls.get_full_name().split("."))
        assert isinstance(substate, cls)
        return substate

    def at(self, path: str, query: str = "") -> Browser:
        self.path, self.query = path, query
        return self

    def with_cookie(self, token: str | None) -> Browser:
        self.cookie = f"{SESSION_COOKIE}={token}" if token else ""
        return self

    def _router_data(self) -> dict[str, Any]:
        headers = {
            "origin": "http://localhost:3000",
            "host": "localhost:8000",
            "cookie": "; ".join(filter(None, (f"{BROWSER_COOKIE}={self.key}", self.cookie))),
        }
        as_path = self.path + (f"?{self.query}" if self.query else "")
        return {
            "pathname": self.path,
            "asPath": as_path,
            "query": {k: v[0] for k, v in parse_qs(self.query).items()},
            "headers": headers,
            "token": "test-client-token",
            "ip": self.address,
            "sid": "test-sid",
        }

    async def send(self, cls: type[BaseState], handler: str, **payload: Any) -> list[Event]:
        """Run one event as the app would and return the events it sent back."""
        root = self.root
        previous = root.router_data
        merged = root._update_router_vars(self._router_data(), previous)
        if merged != previous:
            root.router_data = merged
        substate = self.state(cls)
        sent: list[Event] = []

        async def emit_delta(_token: str, delta: Any) -> None:
            self.deltas.append(json_dumps(delta))

        async def emit_event(_token: str, *events: Event) -> None:
            sent.extend(events)

        async def enqueue(_token: str, *events: Event) -> None:
            sent.extend(events)

        ctx = EventContext(
            token="test-client-token",
            state_manager=None,  # type: ignore[arg-type]  # in memory: nothing to fetch
            enqueue_impl=enqueue,
            emit_delta_impl=emit_delta,
            emit_event_impl=emit_event,
        )
        with ctx:
            await process_event(
                handler=cls.event_handlers[handler],
                payload=payload,
                state=substate,
                root_state=root,
            )
        self._persist(substate)
        self.events.extend(sent)
        run_jobs(DELIVER_SMS)
        return sent

    def _persist(self, substate: BaseState) -> None:
        """Pickle and unpickle the substate, as the disk and Redis managers do between events."""
        parent = substate.parent_state
        if parent is None:  # the root: its substates are pickled on their own
            return
        restored = type(substate)._deserialize(substate._serialize())
        object.__setattr__(restored, "parent_state", parent)
        object.__setattr__(restored, "substates", substate.substates)
        parent.substates[substate.get_name()] = restored

    def sent_text(self) -> str:
        """Everything the backend has sent this tab: deltas and events, as JSON text."""
        events = [json_dumps({"name": e.name, "payload": e.payload}) for e in self.events]
        return "\n".join([*self.deltas, *events])


# ----------------------------------------------------------------------------- the worker

DELIVER_SMS = "deliver_sms"


def run_jobs(only: str | None = None) -> None:
    """Run the queued jobs here and now, as the worker would, and those they queue in turn.

    `Browser.send` runs the SMS deliveries after each event (the worker sends them at once);
    a decision waits in the queue until a test calls `run_jobs()`, so a test sees the
    application under consideration first, as a borrower does.
    """
    held = []
    while (task := huey.dequeue()) is not None:
        if only and task.name != only:
            held.append(task)
        else:
            huey.execute(task)
    for task in held:
        huey.enqueue(task)


# ----------------------------------------------------------------------------- what came back


def redirect_to(events: list[Event]) -> str:
    """The one `rx.redirect` a handler returned: its target path."""
    assert [e.name for e in events] == ["_redirect"], events
    return events[0].payload["path"]


def claim_link(events: list[Event]) -> tuple[str, str]:
    """The ticket and `next` of the one /auth/claim page load a handler returned."""
    assert [e.name for e in events] == ["_call_script"], events
    script = events[0].payload["javascript_code"]
    match = re.fullmatch(r"window\.location\.replace\((.*)\)", script)
    assert match, script
    url = urlsplit(json.loads(match[1]))
    assert url.path == "/auth/claim", script
    query = parse_qs(url.query)
    assert set(query) == {"ticket", "next"}, script
    return query["ticket"][0], query["next"][0]


# ----------------------------------------------------------------------------- the database


def snapshot(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, to compare before and after a refused event."""
    return {
        model.__name__: [row.model_dump() for row in all_rows(engine, model)] for model in TABLES
    }


def snapshot_all(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table the app has (lending and sandbox ones too)."""
    with engine.connect() as conn:
        return {
            table.name: [
                dict(row._mapping)
                for row in conn.execute(table.select().order_by(*table.primary_key.columns))
            ]
            for table in SQLModel.metadata.sorted_tables
        }


def all_rows(engine: Engine, model: type[Any]) -> list[Any]:
    with Session(engine) as s:
        return list(s.exec(select(model).order_by(*model.__table__.primary_key.columns)))


def last_sms(engine: Engine, phone: str = PHONE) -> str:
    """The newest SMS delivered to the phone."""
    with Session(engine) as s:
        messages = outbox(s, limit=1, phone=phone)
    assert messages, f"no SMS to {phone}"
    return messages[0].text


def sms_code(engine: Engine, phone: str = PHONE) -> str:
    """The code as the borrower reads it: from the newest SMS to the phone."""
    text = last_sms(engine, phone)
    match = re.search(r"\b\d{6}\b", text)
    assert match, text
    return match[0]


def sms_count(engine: Engine) -> int:
    return len(all_rows(engine, SmsMessage))


def make_borrower(
    engine: Engine,
    phone: str = PHONE,
    password: str = PASSWORD,
    *,
    active: bool = False,
    first_name: str | None = None,
    middle_name: str | None = None,
    requested: tuple[int, int] | None = None,
    filled: bool = False,
    passport_number: str = "123456",
) -> int:
    """A borrower made by the sign-up service; `active` marks the questionnaire done.

    `filled` goes through the questionnaire service with `SECTIONS` (passport 45 10 and
    `passport_number`: 000001–000003 are the sandbox bureaus' test persons), so the profile is
    complete enough to be scored; the names from `SECTIONS` stay unless given.
    """
    with Session(engine) as s:
        amount, term = requested or (None, None)
        borrower = accounts.create_borrower(
            s,
            CLOCK,
            wiring.settings(),
            phone,
            password,
            password,
            CLOCK.now(),
            requested_amount_kop=amount,
            requested_term_days=term,
        )
        assert borrower.id is not None
        borrower_id = borrower.id
        if active:
            borrower.status = BorrowerStatus.ACTIVE
            s.add(borrower)
        if filled:
            s.commit()
            for step, values in enumerate(SECTIONS):
                if "passport_number" in values:
                    values = values | {"passport_number": passport_number}
                questionnaire.submit_section(s, CLOCK, borrower_id, step, values)
        profile = s.get(Profile, borrower_id)
        assert profile is not None
        if not filled or first_name is not None:
            profile.first_name, profile.middle_name = first_name, middle_name
        s.add(profile)
        s.commit()
    return borrower_id


def sign_in(engine: Engine, borrower_id: int) -> str:
    """A live session token for the borrower, as /auth/claim would set it in the cookie."""
    with Session(engine) as s:
        ticket = sessions.open_session(s, CLOCK, wiring.settings(), borrower_id)
        token = sessions.claim(s, CLOCK, wiring.settings(), ticket)
    assert token is not None
    return token


def session_rows(engine: Engine) -> list[AuthSession]:
    return all_rows(engine, AuthSession)


def set_session_times(engine: Engine, **times: datetime) -> None:
    """Move timestamps of every session row (created_at, last_seen_at, expires_at...)."""
    with Session(engine) as s:
        for row in s.exec(select(AuthSession).order_by(col(AuthSession.id))):
            for name, value in times.items():
                setattr(row, name, value)
            s.add(row)
        s.commit()
