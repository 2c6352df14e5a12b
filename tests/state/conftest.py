"""How these tests drive the Reflex states (the helpers live in `tests/state/harness.py`).

A `Browser` is one browser tab. It holds its own root `rx.State` tree, built in memory the way
Reflex's state managers build one (`State(_reflex_internal_init=True)`), the router data its
websocket would carry (the `Cookie` header, the page path and query), and everything the
backend sent it. `await browser.send(SomeState, "handler", form=...)` runs the event through
Reflex's own `process_event`, the function the app calls for every event from the socket:
the payload gets the same conversion a wire payload gets (form-data entries → dict, coercion
by type hint) before the handler sees it, returned EventSpecs become `Event`s, and the state
delta is captured serialized with Reflex's JSON encoder, exactly as the browser would get it.
After each event the handled substate is pickled and unpickled, as the disk and Redis state
managers do between events, so backend-only vars (`_phone`, `_confirmed_at`) must survive that.

`state.wiring.use_engine(engine)` points the states at the per-test database (see `app_db`);
settings come from the environment set by `_state_settings` (bcrypt cost 4, a fixed secret).
The states keep the real `SystemClock`, so "later" is arranged by moving database timestamps
(or a backend var such as `_confirmed_at`). A refused event is checked with `snapshot(engine)`:
every row of every account table, equal before and after.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from huey.storage import MemoryStorage
from sqlalchemy import Engine

from credit7_web import wiring
from tests.state.harness import SECRET_KEY, Browser
from web.queue import huey


@pytest.fixture(autouse=True)
def _state_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """The cached `state.wiring.settings()` read afresh from a test environment."""
    monkeypatch.setenv("CREDIT7_BCRYPT_ROUNDS", "4")
    monkeypatch.setenv("CREDIT7_SECRET_KEY", SECRET_KEY)
    monkeypatch.setenv("CREDIT7_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("CREDIT7_GATEWAYS", "sandbox")
    # Rate-limit counts of this test only (the in-memory counts outlive a test).
    monkeypatch.setenv("CREDIT7_RATE_LIMIT_PREFIX", f"test-{uuid.uuid4().hex}")
    wiring.settings.cache_clear()
    yield
    wiring.settings.cache_clear()


@pytest.fixture(autouse=True)
def _jobs_in_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test its own empty task queue; `harness.run_jobs` runs what is queued."""
    monkeypatch.setattr(huey, "storage", MemoryStorage(huey.name))


@pytest.fixture
def app_db(engine: Engine) -> Iterator[Engine]:
    """The states' database for one test; back to REFLEX_DB_URL afterwards."""
    wiring.use_engine(engine)
    try:
        yield engine
    finally:
        wiring.use_engine(None)


@pytest.fixture
def browser(app_db: Engine) -> Browser:
    """A fresh browser tab on the test database."""
    return Browser()


@pytest.fixture
def new_browser(app_db: Engine) -> Callable[[], Browser]:
    """More tabs, for tests with two people."""
    return Browser
