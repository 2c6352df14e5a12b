"""End-to-end fixtures: the production build of the app in its own process group, Chromium.

The app gets a fresh database (SQLite in a temp dir, or a new PostgreSQL database when
CREDIT7_TEST_DB_URL is set, with Reflex state in Redis when CREDIT7_TEST_REDIS_URL is set), a
queue of its own and a free port. On SQLite the app runs its jobs itself; with Redis a job
worker (`python -m web.worker`) runs beside it in its own process, as in production.
Teardown kills the whole process group, escalating to SIGKILL: `reflex run` may
ignore SIGTERM, and no server may outlive the suite.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from credit7_web.backoffice.models import Role
from credit7_web.clock import SystemClock
from credit7_web.db import make_engine
from credit7_web.identity import accounts, questionnaire
from credit7_web.messages.models import OutgoingSms
from credit7_web.sandbox.models import SmsMessage
from credit7_web.settings import Settings
from tests.conftest import fresh_database
from tests.operator_setup import OPERATOR_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
START_TIMEOUT_S = 600
APP_LOG = pytest.StashKey[Path]()
APP_ENV = pytest.StashKey[dict[str, str]]()
APP_LOG_LINES = 80
SECRET_KEY = "e2e-secret-key"  # the app's: tests acting for an operator key what it keys


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def app_env(app_url: str, request: pytest.FixtureRequest) -> dict[str, str]:
    """The environment the app under test was started with."""
    return request.config.stash[APP_ENV]


@pytest.fixture(scope="session")
def app_db_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with fresh_database(tmp_path_factory.mktemp("e2e")) as url:
        yield url


def _wait_until_up(base_url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the app exited early:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(base_url + "/ping", timeout=2) as r:  # noqa: S310
                if r.status == 200:
                    with urllib.request.urlopen(base_url + "/", timeout=5) as page:  # noqa: S310
                        if page.status == 200:
                            return
        except OSError:
            pass
        time.sleep(1)
    raise RuntimeError(f"the app did not start in {START_TIMEOUT_S} s:\n{log.read_text()[-4000:]}")


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen:
    """`python -m web.worker` in its own process group, its output appended to `log`."""
    with log.open("a") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "web.worker"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop(proc: subprocess.Popen) -> None:
    for sig, wait_s in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait_s)
            return
        except subprocess.TimeoutExpired:
            continue


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """A failed test shows the end of the app's log: CI keeps nothing else of the server."""
    report = yield
    log = item.config.stash.get(APP_LOG, None)
    if report.failed and log is not None and log.exists():
        tail = log.read_text(errors="replace").splitlines()[-APP_LOG_LINES:]
        report.sections.append(("app log", "\n".join(tail)))
    return report


@pytest.fixture(scope="session")
def app_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The app's CREDIT7_DATA_DIR: its files and its server key (`var/` in production)."""
    return tmp_path_factory.mktemp("data")


@pytest.fixture(scope="session")
def app_url(app_db_url: str, app_data_dir: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    data_dir = app_data_dir
    # No CREDIT7_ORIGINS: the allowed origins must follow the port by themselves (rxconfig.py),
    # and this port is never the default 3000 (test_shell.py).
    env = {k: v for k, v in os.environ.items() if k != "CREDIT7_ORIGINS"} | {
        "REFLEX_DB_URL": app_db_url,
        "CREDIT7_DATA_DIR": str(data_dir),
        "CREDIT7_SECRET_KEY": SECRET_KEY,
        "REFLEX_USE_NPM": "1",
        "PYTHONUNBUFFERED": "1",
        "CREDIT7_QUEUE": f"c7e2e-{uuid.uuid4().hex[:12]}",
        # Each browser context says who it is (`browser_context_args`): the rate limits per
        # client address count each test's browser apart, as they count borrowers apart.
        "CREDIT7_TRUSTED_PROXY_HOPS": "1",
    }
    request.config.stash[APP_ENV] = env
    if redis_url := os.environ.get("CREDIT7_TEST_REDIS_URL"):
        env["REFLEX_REDIS_URL"] = redis_url
    else:
        env.pop("REFLEX_REDIS_URL", None)
    log = request.config.stash[APP_LOG] = data_dir / "app.log"
    with log.open("w") as out:
        proc = subprocess.Popen(  # noqa: S603
            [
                str(Path(sys.executable).parent / "reflex"),
                "run",
                "--env",
                "prod",
                "--single-port",
                "--frontend-port",
                str(port),
                "--backend-port",
                str(port),
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    worker = start_worker(env, log) if "REFLEX_REDIS_URL" in env else None
    try:
        _wait_until_up(base_url, proc, log)
        yield base_url
    finally:
        stop(proc)
        if worker is not None:
            stop(worker)


@pytest.fixture(scope="session")
def base_url(app_url: str) -> str:
    """pytest-playwright's base_url: `page.goto("/login")` goes to the app under test."""
    return app_url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CREDIT7_CHROMIUM", "/usr/bin/chromium"),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture
def browser_context_args(browser_context_args: dict) -> dict:
    """Russian, in Moscow, from an address of its own (X-Forwarded-For, trusted by the app under
    test): one test's sign-ins never spend another's rate limits."""
    address = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"
    return {
        **browser_context_args,
        "locale": "ru-RU",
        "timezone_id": "Europe/Moscow",
        "extra_http_headers": {"X-Forwarded-For": address},
    }


@pytest.fixture(scope="session")
def app_engine(app_db_url: str) -> Iterator[Engine]:
    engine = make_engine(app_db_url)
    yield engine
    engine.dispose()


SMS_WAIT_S = 15


def wait_for_outbox(engine: Engine, phone: str | None = None) -> None:
    """Until the worker has delivered every SMS waiting (to `phone`, if given)."""
    deadline = time.monotonic() + SMS_WAIT_S
    query = select(OutgoingSms.id)
    if phone is not None:
        query = query.where(OutgoingSms.phone == phone)
    while True:
        with Session(engine) as s:
            if s.exec(query).first() is None:
                return
        assert time.monotonic() < deadline, f"SMS still waiting after {SMS_WAIT_S} s"
        time.sleep(0.1)


@pytest.fixture
def read_sms(app_engine: Engine):
    """The newest SMS the sandbox gateway delivered to a phone (10 digits), once the outbox has
    handed over every message the app wrote for it."""

    def read(phone: str) -> str:
        wait_for_outbox(app_engine, phone)
        with Session(app_engine) as s:
            message = s.exec(
                select(SmsMessage)
                .where(SmsMessage.phone == phone)
                .order_by(col(SmsMessage.id).desc())
            ).first()
        assert message is not None, f"no SMS to {phone}"
        return message.text

    return read


@pytest.fixture
def sms_code(read_sms):
    def code(phone: str) -> str:
        match = re.search(r"\b(\d{6})\b", read_sms(phone))
        assert match, "the last SMS has no code"
        return match.group(1)

    return code


@pytest.fixture
def new_phone() -> str:
    """A phone no other test uses: 10 digits starting with 9."""
    return "9" + str(uuid.uuid4().int)[:9]


# A complete questionnaire, as a borrower would type it.
PERSON = {
    "last_name": "Иванова",
    "first_name": "Мария",
    "middle_name": "Петровна",
    "birth_date": "15.05.1990",
    "birth_place": "г. Москва",
    "citizenship": "RUS",
    "passport_series": "4510",
    "passport_number": "123456",
    "passport_issue_date": "20.06.2010",
    "passport_issuer": "ОВД района Хамовники г. Москвы",
    "passport_division_code": "770-001",
    "reg_address": "г. Москва, ул. Тверская, д. 1, кв. 1",
    "res_same_as_reg": "on",
    "res_address": "",
    "snils": "112-233-445 95",
    "email": "maria@example.ru",
    "employer": "ООО «Ромашка»",
    "position": "Инженер",
    "family_status": "married",
    "dependants": "1",
    "monthly_income": "60000",
}


@pytest.fixture
def borrower_with_passport(app_engine: Engine, new_phone: str):
    """Make a signed-up borrower with a complete questionnaire and this passport number."""

    def make(passport_number: str) -> tuple[str, str]:
        password = "Secret123"
        clock = SystemClock()
        settings = Settings(secret_key=b"unused-for-passwords", bcrypt_rounds=4)
        person = PERSON | {"passport_number": passport_number}
        with Session(app_engine) as s:
            created = accounts.create_borrower(
                s, clock, settings, new_phone, password, password, clock.now()
            )
            borrower_id = created.id
            assert borrower_id is not None
            for step, section in enumerate(questionnaire.SECTIONS):
                values = {name: person[name] for name in section.fields}
                questionnaire.submit_section(s, clock, borrower_id, step, values)
        return new_phone, password

    return make


@pytest.fixture
def borrower(borrower_with_passport):
    """A signed-up borrower with a clean credit history: (phone, password)."""
    return borrower_with_passport(PERSON["passport_number"])


# ----------------------------------------------------------------------------- operators


@dataclass(frozen=True)
class ConsoleOperator:
    login: str
    name: str
    role_title: str
    secret: str


def create_operator(app_env: dict[str, str], login: str, role: Role, name: str) -> ConsoleOperator:
    """`python -m web.operators create`, as an administrator runs it on the app's server (its
    database and its key, which seals the TOTP secret), with the secret it prints."""
    args = ["--login", login, "--role", role.value, "--name", name]
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "web.operators", "create", *args],
        input=OPERATOR_PASSWORD + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=app_env,
        check=True,
    )
    match = re.search(r"secret=([A-Z2-7]+)", done.stdout)
    assert match, done.stdout
    return ConsoleOperator(login, name, role.title, match[1])


@pytest.fixture
def identifier(app_env: dict[str, str]) -> ConsoleOperator:
    return create_operator(app_env, "ivanova", Role.IDENTIFICATION, "Иванова Ирина")


@pytest.fixture
def accounts_operator(app_env: dict[str, str]) -> ConsoleOperator:
    """An operator of the accounts role of this test alone (a TOTP code works once)."""
    login = f"acc-{uuid.uuid4().hex[:12]}"
    return create_operator(app_env, login, Role.ACCOUNTS, "Петрова Ольга")
