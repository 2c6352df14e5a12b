"""Payments per second: on one loan and spread over many loans, on SQLite and on PostgreSQL.

Each payment is the whole domain path (attempt with its key, the sandbox acquirer's charge,
the loan's lock, accrual, the 353-FZ split, the receipt). The baseline in the same run is a bare
transaction writing one row (an SMS in the sandbox outbox) and committing, on the same database.

    .venv/bin/python benchmarks/payments.py [postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from sqlmodel import Session

from credit7_web.clock import FixedClock
from credit7_web.db import make_engine
from credit7_web.sandbox.models import SmsMessage
from credit7_web.settings import Settings
from tests.conftest import T0, fresh_database
from tests.unit.payment_setup import pay, running_loan

PAYMENTS = 60
LOANS = 20


def per_second(count: int, seconds: float) -> float:
    return count / seconds if seconds else float("inf")


def measure(url: str, workdir: Path) -> dict[str, float]:
    engine = make_engine(url)
    clock = FixedClock(T0)
    settings = Settings(secret_key=b"bench", bcrypt_rounds=4, data_dir=workdir)
    with Session(engine) as db:
        loans = [running_loan(db, clock, settings, f"91600{i:05d}") for i in range(LOANS + 1)]
        start = time.perf_counter()
        for i in range(PAYMENTS):
            db.add(SmsMessage(phone="9160000000", text=f"baseline {i}", created_at=clock.now()))
            db.commit()
        bare = per_second(PAYMENTS, time.perf_counter() - start)
        start = time.perf_counter()
        for _ in range(PAYMENTS):
            pay(db, clock, settings, loans[0], 100_00)
        one = per_second(PAYMENTS, time.perf_counter() - start)
        start = time.perf_counter()
        for i in range(PAYMENTS):
            pay(db, clock, settings, loans[1 + i % LOANS], 100_00)
        many = per_second(PAYMENTS, time.perf_counter() - start)
    engine.dispose()
    return {"bare": bare, "one": one, "many": many}


def main() -> None:
    targets = [("SQLite", None)] + [("PostgreSQL", u) for u in sys.argv[1:2]]
    for name, server in targets:
        with tempfile.TemporaryDirectory() as tmp:
            if server:
                os.environ["CREDIT7_TEST_DB_URL"] = server
            else:
                os.environ.pop("CREDIT7_TEST_DB_URL", None)
            with fresh_database(Path(tmp)) as url:
                r = measure(url, Path(tmp))
        print(
            f"{name}: bare commit {r['bare']:.0f}/s; payments on one loan {r['one']:.1f}/s "
            f"({r['one'] / r['bare']:.3f} of bare); on {LOANS} loans {r['many']:.1f}/s "
            f"({r['many'] / r['bare']:.3f} of bare)"
        )


if __name__ == "__main__":
    main()
