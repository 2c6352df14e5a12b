"""CPU-heavy work runs off the event loop (issue 7, finding 3): bcrypt at sign-in and the photo's
decode at upload run in the bounded pool of `state.off_loop`, never in the loop's thread.
(`benchmarks/event_loop.py` measures what another tab feels meanwhile.)"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import Engine

from credit7_web.identity import kyc
from state.apply import ApplyState
from state.off_loop import THREAD_PREFIX
from tests.state.harness import Browser, make_borrower, sign_in
from tests.state.lending_setup import APPLY, jpeg, upload


async def test_the_photo_is_decoded_off_the_event_loop(
    browser: Browser, app_db: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[str] = []
    check = kyc.check_photo

    def recorded(data: bytes):
        threads.append(threading.current_thread().name)
        return check(data)

    monkeypatch.setattr(kyc, "check_photo", recorded)
    borrower_id = make_borrower(app_db, active=True, filled=True)
    browser.at(APPLY).with_cookie(sign_in(app_db, borrower_id))
    await browser.send(ApplyState, "load")
    await browser.send(ApplyState, "upload_photo", files=[upload(jpeg())])
    assert browser.state(ApplyState).has_photo
    assert len(threads) == 1
    assert threads[0].startswith(THREAD_PREFIX)
    assert threads[0] != threading.current_thread().name
