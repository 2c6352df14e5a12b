"""One application or loan at a time (issue 7, finding 8), kept by the database: with several
workers two applications of one borrower could both pass the check in `apply`."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from credit7_web.clock import FixedClock
from credit7_web.errors import Refusal
from credit7_web.lending import applications
from credit7_web.lending.models import LoanApplication
from credit7_web.settings import Settings
from tests.jobs import NoJobs
from tests.unit.account_setup import make_person, ready_to_apply

WORKERS = 4


@pytest.fixture
def borrower_id(db: Session, clock: FixedClock, settings: Settings) -> int:
    borrower_id = make_person(db, clock, settings)
    ready_to_apply(db, clock, settings, borrower_id)
    return borrower_id


def scoring(engine: Engine, borrower_id: int) -> list[LoanApplication]:
    with Session(engine) as s:
        return list(
            s.exec(
                select(LoanApplication).where(
                    LoanApplication.borrower_id == borrower_id, LoanApplication.status == "scoring"
                )
            )
        )


def test_the_database_refuses_a_second_application_in_scoring(
    db: Session, clock: FixedClock, borrower_id: int
) -> None:
    first = applications.apply(db, clock, NoJobs(), borrower_id, 10_000_00, 20, [])
    copy = first.model_dump(exclude={"id"})
    db.add(LoanApplication(**copy))
    with pytest.raises(IntegrityError):
        db.commit()


@pytest.mark.postgres
def test_concurrent_applications_of_one_borrower_file_one(
    engine: Engine, db_url: str, clock: FixedClock, borrower_id: int, monkeypatch: Any
) -> None:
    """Every worker passes the check before any inserts (a barrier holds them there), as
    workers racing on PostgreSQL do: one application is filed, the others are refused."""
    if not db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only (CREDIT7_TEST_DB_URL)")
    barrier = threading.Barrier(WORKERS, timeout=20)
    offer = applications.offer

    def offer_after_everyone_checked(*args: Any, **kwargs: Any) -> Any:
        barrier.wait()
        return offer(*args, **kwargs)

    monkeypatch.setattr(applications, "offer", offer_after_everyone_checked)

    def apply() -> str:
        with Session(engine) as s:
            try:
                applications.apply(s, clock, NoJobs(), borrower_id, 10_000_00, 20, [])
            except Refusal as error:
                return error.errors[""]
            return "filed"

    with ThreadPoolExecutor(WORKERS) as pool:
        answers = list(pool.map(lambda _: apply(), range(WORKERS)))
    assert sorted(answers) == ["filed"] + [applications.ONE_AT_A_TIME] * (WORKERS - 1)
    assert len(scoring(engine, borrower_id)) == 1
