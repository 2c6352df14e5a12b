"""Getting a borrower to each step of a loan, for the lending state tests.

The `give_*` helpers go through the domain services directly (fast set-up of someone else's
data); the tests drive their own borrower through the states and the HTTP routes.
"""

from __future__ import annotations

import io
import json
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import reflex as rx
from PIL import Image, ImageDraw
from reflex_base.event import Event
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from credit7_web.identity import kyc
from credit7_web.identity.models import Borrower
from credit7_web.identity.sessions import SESSION_COOKIE
from credit7_web.lending import applications, cards, signing
from credit7_web.lending.models import Card, CardBinding, Loan, LoanApplication
from credit7_web.sandbox.acquirer import CARD_SUCCESS, SandboxAcquirer, check_card_entry
from credit7_web.sandbox.bureaus import sandbox_bureaus
from credit7_web.sandbox.business_date import clock_for
from credit7_web.wiring import settings
from state.apply import ApplyState
from tests.jobs import NoJobs, instant_sms
from tests.state.harness import CLOCK, Browser, sms_code
from web.routes import http_app

with warnings.catch_warnings():
    # Starlette 1.x wants the `httpx2` package for its test client and warns about `httpx`.
    warnings.filterwarnings("ignore", "Using `httpx` with `starlette.testclient`")
    from starlette.testclient import TestClient

APPLY = "/apply"
APPLY_TO_SIGN_IN = "/login?next=%2Fapply"
CABINET_TO_SIGN_IN = "/login?next=%2Fcabinet"
PAN = CARD_SUCCESS.number.replace(" ", "")  # 4111111111111111
MASKED = "411111******1111"
OTHER_PAN = "5555555555554444"  # Luhn-valid, not a test card: binds like the success card
NOT_FOUND = "Не найдено"


@contextmanager
def http_client() -> Iterator[TestClient]:
    """The app's plain HTTP routes (files, /cards/return, the acquirer's page), no redirects."""
    with TestClient(http_app(), follow_redirects=False) as c:
        yield c


def cookie(token: str | None) -> dict[str, str]:
    return {"cookie": f"{SESSION_COOKIE}={token}"} if token else {}


# ----------------------------------------------------------------------------- files


def jpeg(width: int = 1200, height: int = 900) -> bytes:
    """A plausible passport selfie: a real JPEG, big enough to read."""
    image = Image.new("RGB", (width, height), (200, 190, 170))
    draw = ImageDraw.Draw(image)
    draw.rectangle((400, 300, 800, 700), fill=(120, 30, 40))
    draw.ellipse((500, 80, 700, 280), fill=(230, 200, 180))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def upload(data: bytes, name: str = "selfie.jpg") -> rx.UploadFile:
    """A file as Reflex's upload endpoint hands it to the handler."""
    return rx.UploadFile(file=io.BytesIO(data), path=Path(name), size=len(data))


# ----------------------------------------------------------------------------- domain set-up


def give_photo(engine: Engine, borrower_id: int) -> int:
    with Session(engine) as s:
        photo = kyc.save_passport_photo(s, clock_for(s), settings(), borrower_id, jpeg(), "a.jpg")
        assert photo.id is not None
        return photo.id


def type_card(engine: Engine, order: str, pan: str = PAN) -> None:
    """The borrower types the card on the acquirer's hosted page (the acquirer's side)."""
    with Session(engine) as s:
        clock = clock_for(s)
        entry = check_card_entry(pan, "12/30", "123", "IVAN IVANOV", clock.today())
        assert SandboxAcquirer(s, clock).submit_card(order, entry) is not None
        s.commit()


def start_binding(engine: Engine, borrower_id: int) -> str:
    with Session(engine) as s:
        clock = clock_for(s)
        url = cards.start_binding(s, clock, SandboxAcquirer(s, clock), borrower_id, "/cards/return")
    return url.rsplit("/", 1)[1]


def give_card(engine: Engine, borrower_id: int, pan: str = PAN) -> str:
    """A card bound all the way; the binding's order id."""
    order = start_binding(engine, borrower_id)
    type_card(engine, order, pan)
    with Session(engine) as s:
        clock = clock_for(s)
        cards.finish_binding(s, clock, SandboxAcquirer(s, clock), borrower_id, order)
    return order


def give_application(
    engine: Engine,
    borrower_id: int,
    amount_kop: int = 10_000_00,
    term: int = 20,
    services: tuple[str, ...] = (),
) -> int:
    with Session(engine) as s:
        application = applications.apply(
            s, clock_for(s), NoJobs(), borrower_id, amount_kop, term, list(services)
        )
        assert application.id is not None
        return application.id


def decide(engine: Engine, application_id: int) -> LoanApplication:
    with Session(engine) as s:
        decided = applications.decide(
            s, clock_for(s), settings(), sandbox_bureaus(), instant_sms(s, CLOCK), application_id
        )
        s.refresh(decided)
        return decided


def give_offer(
    engine: Engine,
    borrower_id: int,
    amount_kop: int = 10_000_00,
    pan: str = PAN,
    services: tuple[str, ...] = (),
) -> Loan:
    """Photo, card, application (with these extra services) and approval: a contract waiting
    for the signature."""
    give_photo(engine, borrower_id)
    give_card(engine, borrower_id, pan)
    application = give_application(engine, borrower_id, amount_kop, services=services)
    decided = decide(engine, application)
    assert decided.status == "approved", decided.refusal_text
    loan = open_loan(engine, borrower_id)
    assert loan is not None and loan.status == "awaiting_signature"
    return loan


def request_sign_code(engine: Engine, borrower_id: int, loan_id: int) -> str:
    with Session(engine) as s:
        borrower = s.get(Borrower, borrower_id)
        assert borrower is not None
        phone = borrower.phone
        signing.send_sign_code(
            s, clock_for(s), settings(), instant_sms(s, CLOCK), borrower_id, loan_id
        )
    return sms_code(engine, phone)


def give_loan(
    engine: Engine,
    borrower_id: int,
    amount_kop: int = 10_000_00,
    pan: str = PAN,
    services: tuple[str, ...] = (),
) -> Loan:
    """A signed contract with the money on the card."""
    loan = give_offer(engine, borrower_id, amount_kop, pan, services)
    assert loan.id is not None
    code = request_sign_code(engine, borrower_id, loan.id)
    with Session(engine) as s:
        clock = clock_for(s)
        signed = signing.sign(
            s, clock, settings(), SandboxAcquirer(s, clock), borrower_id, loan.id, code
        )
        s.refresh(signed)
        return signed


# ----------------------------------------------------------------------------- reading


def open_loan(engine: Engine, borrower_id: int) -> Loan | None:
    with Session(engine) as s:
        return applications.open_loan(s, borrower_id)


def loans(engine: Engine, borrower_id: int) -> list[Loan]:
    with Session(engine) as s:
        return list(s.exec(select(Loan).where(Loan.borrower_id == borrower_id)))


def cards_of(engine: Engine, borrower_id: int) -> list[Card]:
    with Session(engine) as s:
        return list(s.exec(select(Card).where(Card.borrower_id == borrower_id)))


def binding(engine: Engine, order: str) -> CardBinding:
    with Session(engine) as s:
        row = s.exec(select(CardBinding).where(col(CardBinding.order_id) == order)).one()
        return row


# ----------------------------------------------------------------------------- driving the app


def script_target(events: list[Event], call: str) -> str:
    """The URL of the one `window.location.<call>(...)` script a handler returned."""
    assert [e.name for e in events] == ["_call_script"], events
    script = events[0].payload["javascript_code"]
    match = re.fullmatch(rf"window\.location\.{call}\((.*)\)", script)
    assert match, script
    return json.loads(match[1])


async def bind_card_through_the_app(
    browser: Browser, client: TestClient, engine: Engine, token: str, pan: str = PAN
) -> str:
    """«Привязать карту», the card typed on the hosted page, back through /cards/return."""
    hosted = script_target(await browser.send(ApplyState, "bind_card"), "assign")
    assert hosted.startswith("/sandbox/acquirer/pay/"), hosted
    order = hosted.rsplit("/", 1)[1]
    type_card(engine, order, pan)
    response = client.get(f"/cards/return?order={order}", headers=cookie(token))
    assert response.status_code == 303
    assert response.headers["location"] == f"/apply?card={order}"
    browser.at(APPLY, f"card={order}")
    return order


def personal_markers(engine: Engine, borrower_id: int) -> list[str]:
    """Strings that would give away this borrower's data if another caller saw them."""
    found: list[str] = []
    with Session(engine) as s:
        borrower = s.get(Borrower, borrower_id)
        assert borrower is not None
        found.append(borrower.phone)
        for loan in s.exec(select(Loan).where(Loan.borrower_id == borrower_id)):
            found.append(loan.number)
        for card in s.exec(select(Card).where(Card.borrower_id == borrower_id)):
            found.append(card.masked)
            found.append(card.token)
    return found
