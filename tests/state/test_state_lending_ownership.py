"""One borrower's loan, documents, photo and card are out of every other caller's reach.

Borrower A has the data; borrower B (signed in, questionnaire done) and anonymous callers try
every handler and URL that could reach it. Ids are guessable (1, 2, 3...), so each check is
the owner check, not the obscurity of an id.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from credit7_web.documents.models import Document
from credit7_web.identity import sessions
from credit7_web.identity.models import OneTimeCode, PassportPhoto
from credit7_web.lending.models import BindingStatus, LoanStatus
from credit7_web.money import rub
from state.apply import ApplyState, OfferView
from state.cabinet import CabinetState
from tests.state.harness import (
    CLOCK,
    OTHER_PHONE,
    PHONE,
    Browser,
    all_rows,
    form,
    make_borrower,
    redirect_to,
    sign_in,
    sms_code,
    sms_count,
    snapshot_all,
)
from tests.state.lending_setup import (
    APPLY,
    APPLY_TO_SIGN_IN,
    MASKED,
    NOT_FOUND,
    OTHER_PAN,
    binding,
    cards_of,
    cookie,
    give_card,
    give_loan,
    give_offer,
    give_photo,
    http_client,
    loans,
    request_sign_code,
    start_binding,
    type_card,
)

NOT_YOURS = "Договор не найден"


def borrower_a(engine: Engine) -> int:
    return make_borrower(engine, PHONE, filled=True)


def borrower_b(engine: Engine) -> int:
    return make_borrower(engine, OTHER_PHONE, filled=True, first_name="Пётр")


def revoked(engine: Engine, borrower_id: int) -> str:
    token = sign_in(engine, borrower_id)
    with Session(engine) as s:
        sessions.revoke(s, CLOCK, token)
    return token


# ----------------------------------------------------------------------------- files


def a_with_files(engine: Engine) -> tuple[int, list[str]]:
    """A with a signed loan (draft and signed contract) and a passport photo; their URLs."""
    a = borrower_a(engine)
    give_loan(engine, a, 12_000_00)
    urls = [f"/files/documents/{d.id}" for d in all_rows(engine, Document)]
    urls += [f"/files/kyc/{p.id}" for p in all_rows(engine, PassportPhoto)]
    assert len(urls) == 3
    return a, urls


@pytest.mark.parametrize(
    "caller",
    ["the other borrower", "anonymous", "a garbage cookie", "the owner after sign-out"],
)
def test_files_of_a_borrower_are_not_found_for_anyone_else(app_db: Engine, caller: str) -> None:
    a, urls = a_with_files(app_db)
    b = borrower_b(app_db)
    give_loan(app_db, b, 5_000_00, OTHER_PAN)  # B has files of the same kinds, under other ids
    token = {
        "the other borrower": lambda: sign_in(app_db, b),
        "anonymous": lambda: None,
        "a garbage cookie": lambda: "not-a-session",
        "the owner after sign-out": lambda: revoked(app_db, a),
    }[caller]()
    before = snapshot_all(app_db)
    with http_client() as client:
        for url in urls:
            response = client.get(url, headers=cookie(token))
            assert response.status_code == 404, url
            assert response.text == NOT_FOUND
            assert not response.content.startswith((b"%PDF", b"\xff\xd8"))
            assert "content-disposition" not in response.headers
    assert snapshot_all(app_db) == before


def test_the_owner_gets_the_files_and_odd_ids_are_not_found(app_db: Engine) -> None:
    a, urls = a_with_files(app_db)
    token = sign_in(app_db, a)
    with http_client() as client:
        for url in urls:
            response = client.get(url, headers=cookie(token))
            assert response.status_code == 200, url
            assert response.headers["cache-control"] == "no-store"
            assert response.content.startswith((b"%PDF", b"\xff\xd8"))
        for odd in ("0", "999", "-1", "1.0", "1%20", "1abc", "..%2F..%2Fsecret_key"):
            for folder in ("documents", "kyc"):
                response = client.get(f"/files/{folder}/{odd}", headers=cookie(token))
                assert response.status_code == 404, (folder, odd)
                assert response.text in (NOT_FOUND, "Not Found")  # the app's, or no route


# ----------------------------------------------------------------------------- the card's way back


async def test_someone_elses_pending_card_order_binds_nothing(
    new_browser: Callable[[], Browser], app_db: Engine
) -> None:
    """A typed the card at the acquirer but has not come back yet; B comes back with A's order."""
    a, b = borrower_a(app_db), borrower_b(app_db)
    order = start_binding(app_db, a)
    type_card(app_db, order)
    b_token = sign_in(app_db, b)
    before = snapshot_all(app_db)
    with http_client() as client:
        response = client.get(f"/cards/return?order={order}", headers=cookie(b_token))
        assert response.status_code == 303
        assert response.headers["location"] == f"/apply?card={order}"
        assert snapshot_all(app_db) == before  # no card, no check charge, binding untouched

        b_tab = new_browser().at(APPLY, f"card={order}").with_cookie(b_token)
        assert await b_tab.send(ApplyState, "load") == []
        state = b_tab.state(ApplyState)
        assert (state.has_card, state.card_label, state.card_notice, state.card_failed) == (
            False,
            "",
            "",
            False,
        )
        assert snapshot_all(app_db) == before

        # A comes back with it: the card is A's.
        response = client.get(f"/cards/return?order={order}", headers=cookie(sign_in(app_db, a)))
        assert response.headers["location"] == f"/apply?card={order}"
    [card] = cards_of(app_db, a)
    assert card.masked == MASKED
    assert cards_of(app_db, b) == []
    row = binding(app_db, order)
    assert (row.borrower_id, row.status, row.card_id) == (a, BindingStatus.SUCCEEDED, card.id)


@pytest.mark.parametrize("caller", ["the other borrower", "anonymous", "the owner after sign-out"])
async def test_someone_elses_finished_card_order_changes_nothing(
    new_browser: Callable[[], Browser], app_db: Engine, caller: str
) -> None:
    a, b = borrower_a(app_db), borrower_b(app_db)
    order = give_card(app_db, a)
    give_card(app_db, b, OTHER_PAN)
    token = {
        "the other borrower": lambda: sign_in(app_db, b),
        "anonymous": lambda: None,
        "the owner after sign-out": lambda: revoked(app_db, a),
    }[caller]()
    before = snapshot_all(app_db)
    with http_client() as client:
        response = client.get(f"/cards/return?order={order}", headers=cookie(token))
    assert response.status_code == 303
    expected = f"/apply?card={order}" if caller == "the other borrower" else APPLY_TO_SIGN_IN
    assert response.headers["location"] == expected
    assert snapshot_all(app_db) == before
    if caller == "the other borrower":
        tab = new_browser().at(APPLY, f"card={order}").with_cookie(token)
        await tab.send(ApplyState, "load")
        state = tab.state(ApplyState)
        assert state.card_label == "Карта •••• 4444, до 12/30"  # B's own card, not A's
        assert (state.card_notice, state.card_failed) == ("", False)


# ----------------------------------------------------------------------------- the signature


async def b_tab_at_apply(new_browser: Callable[[], Browser], engine: Engine, b: int) -> Browser:
    tab = new_browser().at(APPLY).with_cookie(sign_in(engine, b))
    await tab.send(ApplyState, "load")
    return tab


@pytest.mark.parametrize("aimed_at_a", [False, True], ids=["as it is", "offer set to A's loan"])
async def test_another_borrowers_contract_cannot_be_sent_a_code_or_signed(
    new_browser: Callable[[], Browser], app_db: Engine, aimed_at_a: bool
) -> None:
    """B has no contract; B's tab either as the server left it or with `offer` set by hand."""
    a, b = borrower_a(app_db), borrower_b(app_db)
    loan = give_offer(app_db, a)
    assert loan.id is not None
    code = request_sign_code(app_db, a, loan.id)  # A's code is out and valid
    give_photo(app_db, b)
    give_card(app_db, b, OTHER_PAN)
    tab = await b_tab_at_apply(new_browser, app_db, b)
    assert tab.state(ApplyState).stage == "form"
    assert tab.state(ApplyState).offer == OfferView()
    texts = sms_count(app_db)
    before = snapshot_all(app_db)

    ids = [loan.id, 0, 999, -1] if aimed_at_a else [None]
    for loan_id in ids:
        if loan_id is not None:
            tab.state(ApplyState).offer = OfferView(loan_id=loan_id, number=loan.number)
        assert await tab.send(ApplyState, "send_code") == []
        assert tab.state(ApplyState).errors == {"": NOT_YOURS}, loan_id
        assert tab.state(ApplyState).signature_requested is False
        assert await tab.send(ApplyState, "sign", form=form(code=code)) == []
        assert tab.state(ApplyState).errors == {"": NOT_YOURS}, loan_id
    assert sms_count(app_db) == texts
    assert snapshot_all(app_db) == before  # A's loan, A's code (not even a try used)

    # A's code still works for A.
    a_tab = new_browser().at(APPLY).with_cookie(sign_in(app_db, a))
    await a_tab.send(ApplyState, "load")
    assert a_tab.state(ApplyState).offer.loan_id == loan.id
    assert redirect_to(await a_tab.send(ApplyState, "sign", form=form(code=code))) == "/cabinet"
    [signed] = loans(app_db, a)
    assert signed.status == LoanStatus.ACTIVE
    assert loans(app_db, b) == []


async def test_a_tampered_offer_does_not_reach_across_even_with_a_contract_of_ones_own(
    new_browser: Callable[[], Browser], app_db: Engine
) -> None:
    a, b = borrower_a(app_db), borrower_b(app_db)
    a_loan = give_offer(app_db, a)
    b_loan = give_offer(app_db, b, 5_000_00, OTHER_PAN)
    tab = await b_tab_at_apply(new_browser, app_db, b)
    assert tab.state(ApplyState).offer.loan_id == b_loan.id
    before = snapshot_all(app_db)
    tab.state(ApplyState).offer = OfferView(loan_id=a_loan.id or 0)
    assert await tab.send(ApplyState, "send_code") == []
    assert tab.state(ApplyState).errors == {"": NOT_YOURS}
    assert all_rows(app_db, OneTimeCode) == []
    assert snapshot_all(app_db) == before
    # Its own contract it can sign, and only its own is signed.
    tab.state(ApplyState).offer = OfferView(loan_id=b_loan.id or 0)
    assert await tab.send(ApplyState, "send_code") == []
    code = sms_code(app_db, OTHER_PHONE)
    tab.state(ApplyState).offer = OfferView(loan_id=a_loan.id or 0)
    assert await tab.send(ApplyState, "sign", form=form(code=code)) == []
    assert tab.state(ApplyState).errors == {"": NOT_YOURS}
    assert [loan.status for loan in loans(app_db, a)] == [LoanStatus.AWAITING_SIGNATURE]
    assert [loan.status for loan in loans(app_db, b)] == [LoanStatus.AWAITING_SIGNATURE]


# ----------------------------------------------------------------------------- the dashboard


async def test_a_cabinet_shows_nothing_of_another_borrower(
    new_browser: Callable[[], Browser], app_db: Engine
) -> None:
    a, b = borrower_a(app_db), borrower_b(app_db)
    a_loan = give_loan(app_db, a, 12_000_00)
    a_photo = give_photo(app_db, a)
    b_loan = give_loan(app_db, b, 5_000_00, OTHER_PAN)
    a_documents = [d for d in all_rows(app_db, Document) if d.borrower_id == a]
    [a_card] = cards_of(app_db, a)
    assert len(a_documents) == 2

    tab = new_browser().at("/cabinet").with_cookie(sign_in(app_db, b))
    assert await tab.send(CabinetState, "load") == []
    cabinet = tab.state(CabinetState)
    assert cabinet.loan.number == b_loan.number
    assert cabinet.loan.principal == rub(5_000_00)
    b_signed = [
        d for d in all_rows(app_db, Document) if d.borrower_id == b and d.kind == "contract"
    ]
    assert [d.url for d in cabinet.documents] == [f"/files/documents/{d.id}" for d in b_signed]
    assert len(cabinet.operations) == 3
    assert all("4444" in o.text or "Возврат" in o.text for o in cabinet.operations)

    tab.at(APPLY)
    assert redirect_to(await tab.send(ApplyState, "load")) == "/cabinet"

    sent = tab.sent_text()
    assert b_loan.number in sent  # the check below looks at the right text
    for secret in (
        a_loan.number,
        rub(12_000_00),
        "12000",
        PHONE,
        a_card.masked,
        a_card.token,
        f"/files/kyc/{a_photo}",
        "Иван Иванович",  # A's name (B is "Пётр")
        *[f'/files/documents/{d.id}"' for d in a_documents],
    ):
        assert secret not in sent, secret


async def test_a_tab_signed_in_as_b_after_a_forgets_as_load_runs(
    browser: Browser, app_db: Engine
) -> None:
    """A's session died in this tab; B signs in here: B's /apply never shows A's contract."""
    a, b = borrower_a(app_db), borrower_b(app_db)
    a_loan = give_offer(app_db, a)
    a_token = sign_in(app_db, a)
    browser.at(APPLY).with_cookie(a_token)
    await browser.send(ApplyState, "load")
    assert browser.state(ApplyState).offer.number == a_loan.number
    with Session(app_db) as s:
        sessions.revoke(s, CLOCK, a_token)
    assert redirect_to(await browser.send(ApplyState, "load")) == APPLY_TO_SIGN_IN
    assert browser.state(ApplyState).offer == OfferView()
    assert browser.state(ApplyState).stage == "loading"

    before = snapshot_all(app_db)
    browser.with_cookie(sign_in(app_db, b))
    deltas = len(browser.deltas)
    assert await browser.send(ApplyState, "load") == []
    state = browser.state(ApplyState)
    assert (state.stage, state.offer, state.has_photo, state.has_card) == (
        "prepare",
        OfferView(),
        False,
        False,
    )
    assert await browser.send(ApplyState, "send_code") == []
    assert browser.state(ApplyState).errors == {"": NOT_YOURS}
    assert a_loan.number not in "".join(browser.deltas[deltas:])
    after = snapshot_all(app_db)
    after.pop("authsession"), before.pop("authsession")  # B's sign-in
    assert after == before
