"""ApplyState end to end: photo, card, application, decision, signature — and the rules between.

The borrower is driven through the handlers and the HTTP routes as a browser would: the photo is
a Pillow-made JPEG handed over as Reflex's upload endpoint hands it, the card is typed on the
sandbox acquirer's side and the browser comes back through /cards/return, the decision is the
real `watch_decision` (sandbox bureaus), and the SMS code is read from the outbox.
"""

from __future__ import annotations

import asyncio
import io
import logging
import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
from pypdf import PdfReader
from sqlalchemy import Engine, MetaData
from sqlmodel import Session

from credit7_web.documents.models import Document
from credit7_web.identity.models import PassportPhoto
from credit7_web.ledger.models import Kind, LedgerTransaction
from credit7_web.lending.models import (
    ApplicationStatus,
    BindingStatus,
    CardStatus,
    Loan,
    LoanApplication,
    LoanStatus,
)
from credit7_web.money import rub
from credit7_web.russian import format_date
from credit7_web.sandbox.acquirer_pages import form_token
from credit7_web.sandbox.business_date import clock_for
from credit7_web.sandbox.models import SandboxAcquirerCard, SandboxAcquirerOrder
from credit7_web.wiring import settings
from state.apply import ApplyState, OfferView
from state.cabinet import CabinetState
from state.phone_code import ResendTimer
from tests.state.harness import (
    PHONE,
    Browser,
    all_rows,
    form,
    last_sms,
    make_borrower,
    redirect_to,
    run_jobs,
    sign_in,
    sms_code,
    sms_count,
    snapshot_all,
)
from tests.state.lending_setup import (
    APPLY,
    MASKED,
    PAN,
    bind_card_through_the_app,
    binding,
    cards_of,
    cookie,
    give_card,
    give_photo,
    http_client,
    jpeg,
    start_binding,
    upload,
)

BEFORE_BOTH = "Перед заявкой: загрузите фото с паспортом, привяжите карту."
BEFORE_CARD = "Перед заявкой: привяжите карту."
BEFORE_PHOTO = "Перед заявкой: загрузите фото с паспортом."
ALREADY_OPEN = "У вас уже есть заявка или заём: новый можно оформить после."
ALREADY_SIGNED = "Этот договор уже подписан"
CARD_BOUND = "Карта привязана. Проверочное списание возвращено на карту."


def business_today(engine: Engine) -> date:
    with Session(engine) as s:
        return clock_for(s).today()


def application_rows(engine: Engine) -> list[LoanApplication]:
    return all_rows(engine, LoanApplication)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def signed_in(browser: Browser, engine: Engine, passport_number: str = "123456") -> tuple[int, str]:
    """A borrower with the questionnaire done, signed in, in this tab at /apply."""
    borrower_id = make_borrower(engine, filled=True, passport_number=passport_number)
    token = sign_in(engine, borrower_id)
    browser.at(APPLY).with_cookie(token)
    return borrower_id, token


# ----------------------------------------------------------------------------- the happy path


async def test_a_first_loan_from_photo_to_money_through_the_handlers(
    browser: Browser, app_db: Engine
) -> None:
    borrower_id, token = signed_in(browser, app_db)
    today = business_today(app_db)
    assert await browser.send(ApplyState, "load") == []
    state = browser.state(ApplyState)
    assert (state.stage, state.has_photo, state.has_card) == ("prepare", False, False)

    # Nothing may be filed before the photo and the card.
    before = snapshot_all(app_db)
    assert await browser.send(ApplyState, "submit") == []
    assert browser.state(ApplyState).errors == {"": BEFORE_BOTH}
    assert browser.state(ApplyState).stage == "prepare"
    assert snapshot_all(app_db) == before

    # 1. The photo: a JPEG as the upload endpoint hands it over.
    assert await browser.send(ApplyState, "upload_photo", files=[upload(jpeg())]) == []
    [photo] = all_rows(app_db, PassportPhoto)
    state = browser.state(ApplyState)
    assert (photo.borrower_id, photo.width, photo.height) == (borrower_id, 1200, 900)
    assert (state.has_photo, state.photo_url, state.errors) == (True, f"/files/kyc/{photo.id}", {})
    assert state.stage == "prepare"
    assert await browser.send(ApplyState, "submit") == []
    assert browser.state(ApplyState).errors == {"": BEFORE_CARD}
    assert application_rows(app_db) == []

    with http_client() as client:
        response = client.get(f"/files/kyc/{photo.id}", headers=cookie(token))
        assert response.status_code == 200
        assert response.headers["content-type"] == "image/jpeg"
        assert response.content.startswith(b"\xff\xd8")

        # 2. The card: the acquirer's page, then back through /cards/return.
        order = await bind_card_through_the_app(browser, client, app_db, token)
        [card] = cards_of(app_db, borrower_id)
        assert (card.masked, card.status, card.expiry_month, card.expiry_year) == (
            MASKED,
            CardStatus.ACTIVE,
            12,
            2030,
        )
        bound = binding(app_db, order)
        assert (bound.borrower_id, bound.status, bound.card_id) == (
            borrower_id,
            BindingStatus.SUCCEEDED,
            card.id,
        )
        assert await browser.send(ApplyState, "load") == []
        state = browser.state(ApplyState)
        assert (state.stage, state.has_card, state.card_notice, state.card_failed) == (
            "form",
            True,
            CARD_BOUND,
            False,
        )
        assert state.card_label == "Карта •••• 1111, до 12/30"

        # 3. Amount and term, then the application.
        await browser.send(ApplyState, "set_amount", value="12000")
        await browser.send(ApplyState, "set_term", value="25")
        state = browser.state(ApplyState)
        assert (state.amount, state.term, state.errors) == (12_000, 25, {})
        assert state.figures.amount == rub(12_000_00)
        assert state.figures.term == "25 дней"
        events = await browser.send(ApplyState, "submit")
        assert [e.name for e in events] == [f"{ApplyState.get_full_name()}.watch_decision"]
        [application] = application_rows(app_db)
        assert (application.borrower_id, application.status) == (
            borrower_id,
            ApplicationStatus.SCORING,
        )
        assert (application.amount_kop, application.term_days, application.services) == (
            12_000_00,
            25,
            "[]",
        )
        assert browser.state(ApplyState).stage == "scoring"

        # While it is being decided, a second application is refused.
        before = snapshot_all(app_db)
        assert await browser.send(ApplyState, "submit") == []
        assert browser.state(ApplyState).errors == {"": ALREADY_OPEN}
        assert snapshot_all(app_db) == before

        # 4. The decision: the worker makes it, the tab watching shows it.
        run_jobs()
        assert await browser.send(ApplyState, "watch_decision") == []
        [application] = application_rows(app_db)
        assert application.status == ApplicationStatus.APPROVED
        assert application.approved_amount_kop == 12_000_00
        [loan] = all_rows(app_db, Loan)
        assert (loan.borrower_id, loan.status, loan.principal_kop, loan.card_id) == (
            borrower_id,
            LoanStatus.AWAITING_SIGNATURE,
            12_000_00,
            card.id,
        )
        [draft] = all_rows(app_db, Document)
        assert (draft.borrower_id, draft.loan_id, draft.kind) == (
            borrower_id,
            loan.id,
            "contract_draft",
        )
        state = browser.state(ApplyState)
        assert state.stage == "offer"
        assert state.offer.loan_id == loan.id
        assert state.offer.number == loan.number == f"C7-{today:%Y}-{loan.id:06d}"
        assert state.offer.amount == rub(12_000_00)
        assert state.offer.draft == f"/files/documents/{draft.id}"
        assert state.offer.due == format_date(today + timedelta(days=25))
        assert (state.offer.card, state.offer.psk_rub) == ("•••• 1111", rub(0))

        # An approved contract is open: still no second application.
        assert await browser.send(ApplyState, "submit") == []
        assert browser.state(ApplyState).errors == {"": ALREADY_OPEN}
        assert len(application_rows(app_db)) == 1

        # 5. The SMS code, a wrong try, then the signature.
        texts = sms_count(app_db)
        answered = browser.state(ApplyState).answered
        for _ in range(2):  # a double click: the second names an answer already given
            assert await browser.send(ApplyState, "send_code", answered=answered) == []
        state = browser.state(ApplyState)
        assert (state.signature_requested, state.notice, state.errors) == (True, "", {})
        assert state.resend_timer == ResendTimer(wait=60, sent=1)
        assert sms_count(app_db) == texts + 1
        # «Отправить код ещё раз» within the minute: nothing sent, said neutrally.
        assert await browser.send(ApplyState, "send_code") == []
        state = browser.state(ApplyState)
        assert state.notice.startswith("Новый код можно запросить через ")
        assert state.errors == {} and state.resend_timer.sent == 2
        assert sms_count(app_db) == texts + 1
        code = sms_code(app_db, PHONE)
        assert await browser.send(ApplyState, "sign", form=form(code=wrong(code))) == []
        assert browser.state(ApplyState).errors == {"code": "Неверный код. Осталось попыток: 4"}
        assert open_status(app_db) == LoanStatus.AWAITING_SIGNATURE
        assert redirect_to(await browser.send(ApplyState, "sign", form=form(code=code))) == (
            "/cabinet"
        )

        [loan] = all_rows(app_db, type(loan))
        assert loan.status == LoanStatus.ACTIVE
        assert (loan.start_date, loan.due_date) == (today, today + timedelta(days=25))
        assert (loan.signed_phone, loan.signed_at is not None) == (PHONE, True)
        assert loan.signature_code_hash and code not in loan.signature_code_hash
        rows = all_rows(app_db, LedgerTransaction)
        operations = [(o.kind, o.amount_kop, o.loan_id) for o in rows]
        check = operations[1][1]
        assert operations == [
            (Kind.CARD_CHECK, -check, None),
            (Kind.CARD_CHECK_REFUND, check, None),
            (Kind.DISBURSEMENT, 12_000_00, loan.id),
        ]
        payout = [o for o in all_rows(app_db, SandboxAcquirerOrder) if o.kind == "payout"]
        assert [(o.order_id, o.amount_kop, o.status) for o in payout] == [
            (f"payout-{loan.number}", 12_000_00, "succeeded")
        ]
        documents = all_rows(app_db, Document)
        assert [(d.kind, d.loan_id, d.borrower_id) for d in documents] == [
            ("contract_draft", loan.id, borrower_id),
            ("contract", loan.id, borrower_id),
        ]
        assert documents[1].title == (
            f"Индивидуальные условия договора № {loan.number} от {format_date(today)}"
        )
        for document in documents:
            response = client.get(f"/files/documents/{document.id}", headers=cookie(token))
            assert response.status_code == 200
            assert response.content.startswith(b"%PDF")

    # 6. The same code again, or a new one: the contract is signed, nothing moves.
    before = snapshot_all(app_db)
    assert await browser.send(ApplyState, "sign", form=form(code=code)) == []
    assert browser.state(ApplyState).errors == {"": ALREADY_SIGNED}
    assert await browser.send(ApplyState, "send_code") == []
    assert browser.state(ApplyState).errors == {"": ALREADY_SIGNED}
    assert await browser.send(ApplyState, "submit") == []
    assert browser.state(ApplyState).errors == {"": ALREADY_OPEN}
    assert snapshot_all(app_db) == before
    assert redirect_to(await browser.send(ApplyState, "load")) == "/cabinet"

    # The cabinet shows the loan, the signed contract (the draft it replaced is not listed
    # beside it) and the history.
    browser.at("/cabinet")
    assert await browser.send(CabinetState, "load") == []
    cabinet = browser.state(CabinetState)
    assert (cabinet.loan.number, cabinet.loan.status) == (loan.number, "Активен")
    assert cabinet.loan.principal == rub(12_000_00)
    signed = documents[1]
    assert [(d.url, d.title) for d in cabinet.documents] == [
        (f"/files/documents/{signed.id}", signed.title)
    ]
    assert [o.kind for o in cabinet.operations] == [
        Kind.DISBURSEMENT,
        Kind.CARD_CHECK_REFUND,
        Kind.CARD_CHECK,
    ]
    assert cabinet.pending == ""


def open_status(engine: Engine) -> str:
    [loan] = all_rows(engine, Loan)
    return loan.status


# ----------------------------------------------------------------------------- flow rules


async def test_submit_without_the_card_or_the_photo_names_what_is_missing(
    browser: Browser, app_db: Engine
) -> None:
    borrower_id, _ = signed_in(browser, app_db)
    give_card(app_db, borrower_id)
    await browser.send(ApplyState, "load")
    before = snapshot_all(app_db)
    assert await browser.send(ApplyState, "submit") == []
    assert browser.state(ApplyState).errors == {"": BEFORE_PHOTO}
    assert browser.state(ApplyState).stage == "prepare"
    assert snapshot_all(app_db) == before


async def test_an_unfinished_questionnaire_is_sent_back_and_cannot_apply(
    browser: Browser, app_db: Engine
) -> None:
    borrower_id = make_borrower(app_db)
    browser.at(APPLY).with_cookie(sign_in(app_db, borrower_id))
    assert redirect_to(await browser.send(ApplyState, "load")) == "/register/questionnaire"
    before = snapshot_all(app_db)
    assert await browser.send(ApplyState, "submit") == []
    assert browser.state(ApplyState).errors == {
        "": "Перед заявкой: заполните анкету, загрузите фото с паспортом, привяжите карту."
    }
    assert snapshot_all(app_db) == before


async def test_a_self_banned_person_is_refused_and_told_why(
    browser: Browser, app_db: Engine
) -> None:
    borrower_id, _ = signed_in(browser, app_db, passport_number="000001")
    give_photo(app_db, borrower_id)
    give_card(app_db, borrower_id)
    await browser.send(ApplyState, "load")
    assert browser.state(ApplyState).stage == "form"
    events = await browser.send(ApplyState, "submit")
    assert [e.name.rsplit(".", 1)[1] for e in events] == ["watch_decision"]
    run_jobs()
    assert await browser.send(ApplyState, "watch_decision") == []

    [application] = application_rows(app_db)
    assert (application.status, application.refusal_code) == (
        ApplicationStatus.REFUSED,
        "self_ban",
    )
    assert application.reapply_after is None
    state = browser.state(ApplyState)
    assert state.stage == "refused"
    assert "самозапрет" in state.refusal
    assert state.refusal == application.refusal_text
    assert state.offer == OfferView()
    assert all_rows(app_db, Document) == []
    assert all_rows(app_db, Loan) == []
    assert [o.kind for o in all_rows(app_db, LedgerTransaction)] == [
        Kind.CARD_CHECK,
        Kind.CARD_CHECK_REFUND,
    ]
    # Nothing to sign: a code is refused, no SMS goes out.
    texts = sms_count(app_db)
    assert await browser.send(ApplyState, "send_code") == []
    assert browser.state(ApplyState).errors == {"": "Договор не найден"}
    assert sms_count(app_db) == texts


async def test_the_tab_shows_the_decision_when_the_worker_makes_it(
    browser: Browser, app_db: Engine
) -> None:
    borrower_id, _ = signed_in(browser, app_db)
    give_photo(app_db, borrower_id)
    give_card(app_db, borrower_id)
    await browser.send(ApplyState, "load")
    await browser.send(ApplyState, "submit")
    watching = asyncio.create_task(browser.send(ApplyState, "watch_decision"))
    await asyncio.sleep(1.2)  # the tab has looked a few times: no decision yet
    assert not watching.done()
    assert browser.state(ApplyState).stage == "scoring"
    run_jobs()  # the worker decides
    assert await asyncio.wait_for(watching, 5) == []
    state = browser.state(ApplyState)
    assert state.stage == "offer"
    assert state.offer.amount
    assert last_sms(app_db).startswith(
        "Credit7: заявка на заём одобрена, сумма " + state.offer.amount
    )


async def test_a_decided_application_is_not_decided_again(browser: Browser, app_db: Engine) -> None:
    borrower_id, _ = signed_in(browser, app_db)
    give_photo(app_db, borrower_id)
    give_card(app_db, borrower_id)
    await browser.send(ApplyState, "load")
    await browser.send(ApplyState, "submit")
    run_jobs()
    await browser.send(ApplyState, "watch_decision")
    before = snapshot_all(app_db)
    assert await browser.send(ApplyState, "watch_decision") == []
    assert snapshot_all(app_db) == before


# ----------------------------------------------------------------------------- the card number


def stored_text(engine: Engine) -> Iterator[tuple[str, str]]:
    """Every value of every column of every table in the database, as text."""
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            for row in conn.execute(table.select()):
                for name, value in row._mapping.items():
                    if value is not None:
                        yield f"{table.name}.{name}", str(value)


def file_texts(folder: Path) -> Iterator[tuple[str, str]]:
    """Every file under `folder` as text: raw bytes, and a PDF's extracted text too."""
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        yield str(path), data.decode("latin-1")
        if data.startswith(b"%PDF"):
            pages = PdfReader(io.BytesIO(data)).pages
            yield f"{path} (text)", "".join(page.extract_text() for page in pages)


def without_spacing(text: str) -> str:
    return re.sub(r"[\s\u00a0\u202f\-]", "", text)


def assert_no_pan(where: str, text: str) -> None:
    squeezed = without_spacing(text)
    for needle in (PAN, PAN[:12]):
        assert needle not in text, f"{needle} in {where}"
        assert needle not in squeezed, f"{needle} in {where}"


def text_of(response: httpx.Response) -> str:
    if response.content.startswith(b"%PDF"):
        pages = PdfReader(io.BytesIO(response.content)).pages
        return "".join(page.extract_text() for page in pages)
    return response.content.decode("latin-1")


async def test_the_card_number_is_kept_nowhere(
    browser: Browser, app_db: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    """The whole way, typed on the hosted page over HTTP: database, files, tab, logs."""
    caplog.set_level(logging.DEBUG)
    borrower_id, token = signed_in(browser, app_db)
    await browser.send(ApplyState, "load")
    await browser.send(ApplyState, "upload_photo", files=[upload(jpeg())])
    with http_client() as client:
        order = start_binding(app_db, borrower_id)
        hosted = f"/sandbox/acquirer/pay/{order}"
        assert client.get(hosted).status_code == 200
        typed = {
            "pan": "4111 1111 1111 1111",
            "expiry": "12/30",
            "cvc": "12",  # a typo first: the page comes back to be corrected
            "holder": "IVAN IVANOV",
            "token": form_token(settings().secret_key, "pay", order),
        }
        # The page lists the test cards, 4111... among them; a number that is not one of
        # them shows whether a typed number comes back.
        again = client.post(hosted, data=typed | {"pan": "5555 5555 5555 4444"})
        assert again.status_code == 400
        assert "55555555" not in without_spacing(text_of(again))
        answer = client.post(hosted, data=typed | {"cvc": "123"})
        assert answer.status_code == 303
        assert answer.headers["location"] == f"/cards/return?order={order}"
        back = client.get(answer.headers["location"], headers=cookie(token))
        assert back.headers["location"] == "/apply?" + urlencode({"card": order})
        browser.at(APPLY, f"card={order}")
        await browser.send(ApplyState, "load")
        assert browser.state(ApplyState).card_notice == CARD_BOUND
        await browser.send(ApplyState, "submit")
        run_jobs()
        await browser.send(ApplyState, "watch_decision")
        await browser.send(ApplyState, "send_code")
        await browser.send(ApplyState, "sign", form=form(code=sms_code(app_db)))
        browser.at("/cabinet")
        await browser.send(CabinetState, "load")
        texts = [
            text_of(client.get(f"/files/documents/{d.id}", headers=cookie(token)))
            for d in all_rows(app_db, Document)
        ]

    [card] = cards_of(app_db, borrower_id)
    assert card.masked == MASKED
    [sandbox_card] = all_rows(app_db, SandboxAcquirerCard)
    assert sandbox_card.masked == MASKED
    assert open_status(app_db) == LoanStatus.ACTIVE
    assert len(all_rows(app_db, Document)) == 2

    seen = list(stored_text(app_db))
    assert any(MASKED in value for _, value in seen)  # the scan does look at the card rows
    for where, value in seen:
        assert_no_pan(where, value)
    data_dir = settings().data_dir
    files = list(file_texts(data_dir))
    assert sum(1 for where, _ in files if where.endswith("(text)")) == 2
    for where, value in files:
        assert_no_pan(where, value)
    if app_db.url.get_backend_name() == "sqlite" and app_db.url.database:
        raw = Path(app_db.url.database).read_bytes().decode("latin-1")
        assert_no_pan("the SQLite file", raw)
    assert_no_pan("what the tab received", browser.sent_text())
    for text in texts:
        assert_no_pan("a served document", text)
    assert_no_pan("the log", caplog.text)
