"""Background jobs as they run in production: in the app's own consumer (SQLite) or in a
separate worker process (Redis), on a queue of their own."""

from __future__ import annotations

import os
import signal
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from credit7_web.clock import SystemClock
from credit7_web.db import make_engine
from credit7_web.identity.models import Borrower
from credit7_web.lending import applications
from credit7_web.lending.models import ApplicationStatus, Loan, LoanApplication
from credit7_web.messages import texts
from credit7_web.sandbox.bureaus import DELAY_SETTING
from credit7_web.sandbox.models import SandboxSetting, SmsMessage
from credit7_web.settings import Settings
from tests.conftest import fresh_database
from tests.e2e.conftest import SECRET_KEY, start_worker, stop, wait_for_outbox
from tests.e2e.test_account import CABINET, sign_in
from tests.e2e.test_loan import prepare
from tests.jobs import NoJobs
from tests.unit.account_setup import jpeg, make_person, ready_to_apply

DECIDED_WITHIN_S = 15


def wait_for_decision(engine: Engine, application_id: int, within_s: float) -> LoanApplication:
    deadline = time.monotonic() + within_s
    while True:
        with Session(engine) as s:
            application = s.get(LoanApplication, application_id)
            assert application is not None
            if application.status != ApplicationStatus.SCORING:
                return application
        assert time.monotonic() < deadline, f"undecided after {within_s} s"
        time.sleep(0.2)


def the_application(engine: Engine, phone: str) -> LoanApplication | None:
    with Session(engine) as s:
        return s.exec(
            select(LoanApplication)
            .join(Borrower, col(Borrower.id) == LoanApplication.borrower_id)
            .where(Borrower.phone == phone)
        ).first()


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    path = tmp_path / "selfie.jpg"
    path.write_bytes(jpeg())
    return path


def test_an_application_whose_tab_closes_is_decided_within_seconds(
    page: Page,
    borrower,
    photo: Path,
    read_sms,
    app_engine: Engine,
) -> None:
    phone, password = borrower
    page.goto("/login")
    sign_in(page, phone, password)
    expect(page).to_have_url(CABINET)
    prepare(page, photo)
    page.get_by_role("button", name="Отправить заявку").click()
    deadline = time.monotonic() + 10
    while (filed := the_application(app_engine, phone)) is None:
        assert time.monotonic() < deadline, "the application never arrived"
        time.sleep(0.05)
    page.close()  # the borrower is gone before any decision

    decided = wait_for_decision(app_engine, filed.id or 0, DECIDED_WITHIN_S)
    assert decided.status == ApplicationStatus.APPROVED
    assert read_sms(phone) == texts.application_approved("10\u00a0000\u00a0₽")


# ----------------------------------------------------------------------------- a killed worker


@pytest.fixture
def worker_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A database, a data dir and a queue for a worker of this test alone."""
    with fresh_database(tmp_path) as url:
        env = {k: v for k, v in os.environ.items() if k != "REFLEX_REDIS_URL"} | {
            "REFLEX_DB_URL": url,
            "CREDIT7_DATA_DIR": str(tmp_path / "data"),
            "CREDIT7_SECRET_KEY": SECRET_KEY,
            "CREDIT7_QUEUE": f"c7kill-{uuid.uuid4().hex[:12]}",
            "PYTHONUNBUFFERED": "1",
        }
        if redis_url := os.environ.get("CREDIT7_TEST_REDIS_URL"):
            env["REFLEX_REDIS_URL"] = redis_url
        yield env


def wait_for_line(log: Path, line: str, within_s: float) -> None:
    deadline = time.monotonic() + within_s
    while line not in (log.read_text() if log.exists() else ""):
        assert time.monotonic() < deadline, f"no {line!r} in the worker's log:\n{log.read_text()}"
        time.sleep(0.05)


def test_a_worker_killed_mid_decision_decides_once_after_restart(
    worker_env: dict[str, str], tmp_path: Path
) -> None:
    engine = make_engine(worker_env["REFLEX_DB_URL"])
    clock = SystemClock()
    settings = Settings(secret_key=SECRET_KEY.encode(), bcrypt_rounds=4, data_dir=tmp_path)
    phone = "9" + str(uuid.uuid4().int)[:9]
    with Session(engine) as s:
        person = make_person(s, clock, settings, phone)
        ready_to_apply(s, clock, settings, person)
        s.add(SandboxSetting(name=DELAY_SETTING, value="1"))  # each bureau answers in 1 s
        s.commit()
        # Filed while no worker runs: the worker's start finds it waiting.
        application_id = applications.apply(s, clock, NoJobs(), person, 10_000_00, 20, []).id
    log = tmp_path / "worker.log"

    worker = start_worker(worker_env, log)
    try:
        wait_for_line(log, f"application {application_id}: deciding", 60)
        time.sleep(0.5)  # inside the bureaus' answers now
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(10)
    finally:
        stop(worker)
    with Session(engine) as s:
        assert s.get(LoanApplication, application_id).status == ApplicationStatus.SCORING  # type: ignore[union-attr]
        assert s.exec(select(Loan)).all() == []
        assert s.exec(select(SmsMessage)).all() == []

    worker = start_worker(worker_env, log)
    try:
        decided = wait_for_decision(engine, application_id or 0, 60)
        wait_for_outbox(engine)
        time.sleep(2)  # anything a second run would do, it would have done by now
    finally:
        stop(worker)
    assert decided.status == ApplicationStatus.APPROVED
    with Session(engine) as s:
        [loan] = s.exec(select(Loan)).all()
        assert loan.application_id == application_id
        sent = [m.text for m in s.exec(select(SmsMessage).where(SmsMessage.phone == phone))]
    assert sent == [texts.application_approved("10\u00a0000\u00a0₽")]
    engine.dispose()
