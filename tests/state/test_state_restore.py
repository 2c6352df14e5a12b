"""The restoration request page: two photos staged one by one, then the request; the same reply
whether or not the phone belonged to a deleted account."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import Session

from credit7_web import wiring
from credit7_web.identity import deletion, restoration
from credit7_web.identity.models import RestorationRequest
from state.restore import ONE_FILE, RestoreState
from tests.jobs import instant_sms
from tests.state.harness import CLOCK, OTHER_PHONE, PHONE, Browser, all_rows, form, make_borrower
from tests.state.lending_setup import jpeg, upload

S = RestoreState


def delete_account(engine: Engine, borrower_id: int) -> None:
    with Session(engine) as s:
        sms = instant_sms(s, CLOCK)
        request = deletion.request_deletion(s, CLOCK, sms, borrower_id)
        deletion.carry_out_deletion(s, CLOCK, wiring.settings(), sms, request.id or 0, None)


async def test_a_request_with_both_photos_reaches_the_operator(
    browser: Browser, app_db: Engine
) -> None:
    borrower_id = make_borrower(app_db, active=True, filled=True)
    delete_account(app_db, borrower_id)
    browser.at("/restore")
    await browser.send(S, "load")
    await browser.send(S, "submit", form=form(phone=PHONE))
    assert set(browser.state(S).errors) == {"passport_photo", "selfie"}

    await browser.send(S, "upload_passport", files=[upload(b"GIF89a not a photo", "p.gif")])
    assert "passport_photo" in browser.state(S).errors and not browser.state(S).passport_ready
    await browser.send(S, "upload_passport", files=[upload(jpeg()), upload(jpeg())])
    assert browser.state(S).errors["passport_photo"] == ONE_FILE
    await browser.send(S, "upload_passport", files=[upload(jpeg())])
    await browser.send(S, "upload_selfie", files=[upload(jpeg(900, 1200))])
    state = browser.state(S)
    assert state.passport_ready and state.selfie_ready and state.errors == {}
    assert state._passport is not None and state._selfie is not None

    await browser.send(S, "submit", form=form(phone="+7 (900) 123-45-67"))
    state = browser.state(S)
    assert state.sent and state._passport is None
    [request] = all_rows(app_db, RestorationRequest)
    assert (request.borrower_id, request.phone, request.status) == (borrower_id, PHONE, "pending")
    staged = restoration.STAGED.path(wiring.settings())
    assert list(staged.glob("*.jpg")) == []
    await browser.send(S, "submit", form=form(phone=PHONE))  # a second click
    assert len(all_rows(app_db, RestorationRequest)) == 1


async def test_the_reply_is_the_same_for_a_number_never_deleted(
    browser: Browser, app_db: Engine, new_browser
) -> None:
    make_borrower(app_db, PHONE)  # a live account: never deleted
    replies = []
    for phone, tab in ((PHONE, browser), (OTHER_PHONE, new_browser())):
        tab.at("/restore")
        await tab.send(S, "load")
        await tab.send(S, "upload_passport", files=[upload(jpeg())])
        await tab.send(S, "upload_selfie", files=[upload(jpeg())])
        await tab.send(S, "submit", form=form(phone=phone))
        replies.append(tab.state(S).dict())
    assert replies[0] == replies[1]
    assert [r.borrower_id for r in all_rows(app_db, RestorationRequest)] == [None, None]
