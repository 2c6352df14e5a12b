"""The deletion and restoration queues of the console: what waits, carrying a deletion out now,
approving or rejecting a restoration, and each action in the audit log with it (a refused one
leaves no entry)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from credit7_web.backoffice import audit, deletions, restorations
from credit7_web.backoffice.models import AuditEntry, Role
from credit7_web.clock import FixedClock
from credit7_web.errors import Refusal
from credit7_web.identity import accounts, deletion, restoration
from credit7_web.identity.models import (
    Borrower,
    BorrowerStatus,
    DeletionRequest,
    DeletionStatus,
    RestorationRequest,
    RestorationStatus,
)
from credit7_web.sandbox.sms import outbox
from credit7_web.settings import Settings
from tests.jobs import instant_sms
from tests.operator_setup import add_operator
from tests.unit import test_restoration
from tests.unit.account_setup import PASSWORD, PHONE, lend, make_person
from tests.unit.test_restoration import ask

OTHER_PHONE = "9167654321"
deleted = test_restoration.deleted  # a fixture: a borrower with a repaid loan, deleted
REASON = "Лицо на селфи не совпадает с фото в паспорте"


@pytest.fixture
def operator_id(db: Session, clock: FixedClock, settings: Settings) -> int:
    return add_operator(db, clock, settings, Role.ACCOUNTS)[0]


def actions(db: Session) -> list[tuple[str, str, int | None, dict, dict]]:
    """The console's entries (not the operator's creation): action, subject, borrower, before,
    after."""
    return [
        (e.action, e.subject, e.borrower_id, json.loads(e.before), json.loads(e.after))
        for e in db.exec(select(AuditEntry).order_by(AuditEntry.id))
        if e.action != "operator_created"
    ]


def asks_deletion(db: Session, clock: FixedClock, settings: Settings, phone: str) -> int:
    borrower_id = make_person(db, clock, settings, phone)
    request = deletion.request_deletion(db, clock, instant_sms(db, clock), borrower_id)
    assert request.id is not None
    return request.id


# ----------------------------------------------------------------------------- deletions


def test_the_deletion_queue_shows_the_most_urgent_first_and_what_stands_in_the_way(
    db: Session, clock: FixedClock, settings: Settings
) -> None:
    first = asks_deletion(db, clock, settings, PHONE)
    clock.advance(timedelta(days=1))
    second = asks_deletion(db, clock, settings, OTHER_PHONE)
    borrower_id = db.get(DeletionRequest, second).borrower_id  # type: ignore[union-attr]
    loan = lend(db, clock, settings, borrower_id)  # opened after the request
    queue, total = deletions.waiting(db, clock)
    assert total == 2
    assert [(d.request.id, d.phone, d.full_name) for d in queue] == [
        (first, PHONE, "Пиксельникова Аглая Ферапонтовна"),
        (second, OTHER_PHONE, "Пиксельникова Аглая Ферапонтовна"),
    ]
    assert queue[0].blocker is None
    assert queue[1].blocker is not None and loan.number in queue[1].blocker
    assert [d.request.id for d in deletions.waiting(db, clock, limit=1)[0]] == [first]


def test_an_operator_carries_a_deletion_out_and_the_log_says_so(
    db: Session, clock: FixedClock, settings: Settings, operator_id: int
) -> None:
    request_id = asks_deletion(db, clock, settings, PHONE)
    borrower_id = db.get(DeletionRequest, request_id).borrower_id  # type: ignore[union-attr]
    sms = instant_sms(db, clock)
    deletions.carry_out(db, clock, settings, sms, operator_id, request_id)

    request = db.get(DeletionRequest, request_id, populate_existing=True)
    assert request is not None
    assert (request.status, request.operator_id) == (DeletionStatus.DONE, operator_id)
    assert db.get(Borrower, borrower_id).status == BorrowerStatus.DELETED  # type: ignore[union-attr]
    with pytest.raises(Refusal):
        accounts.authenticate(db, clock, settings, PHONE, PASSWORD)
    assert actions(db) == [
        (
            "deletion_done",
            f"deletionrequest:{request_id}",
            borrower_id,
            {"status": "pending"},
            {"status": "done"},
        )
    ]
    assert deletions.waiting(db, clock) == ([], 0)

    with pytest.raises(Refusal) as again:  # a second click, or another operator
        deletions.carry_out(db, clock, settings, sms, operator_id, request_id)
    assert again.value.errors == {"": deletions.GONE}
    assert len(actions(db)) == 1


def test_a_loan_opened_since_refuses_the_deletion_on_the_record(
    db: Session, clock: FixedClock, settings: Settings, operator_id: int
) -> None:
    request_id = asks_deletion(db, clock, settings, PHONE)
    borrower_id = db.get(DeletionRequest, request_id).borrower_id  # type: ignore[union-attr]
    loan = lend(db, clock, settings, borrower_id)
    with pytest.raises(Refusal) as refused:
        deletions.carry_out(db, clock, settings, instant_sms(db, clock), operator_id, request_id)
    assert loan.number in refused.value.errors[""]
    request = db.get(DeletionRequest, request_id, populate_existing=True)
    assert request is not None and request.status == DeletionStatus.REFUSED
    assert db.get(Borrower, borrower_id).phone == PHONE  # type: ignore[union-attr]
    assert [a[0] for a in actions(db)] == ["deletion_refused"]
    assert actions(db)[0][4] == {"status": "refused"}
    assert "Удалить аккаунт можно после погашения" in outbox(db, limit=1, phone=PHONE)[0].text


@pytest.mark.parametrize("status", [None, DeletionStatus.CANCELLED])
def test_a_request_that_no_longer_waits_is_not_carried_out(
    db: Session, clock: FixedClock, settings: Settings, operator_id: int, status
) -> None:
    request_id = asks_deletion(db, clock, settings, PHONE)
    if status is None:
        request_id += 100  # no such request
    else:
        deletion.cancel_deletion(db, clock, db.get(DeletionRequest, request_id).borrower_id)  # type: ignore[union-attr]
    with pytest.raises(Refusal) as refused:
        deletions.carry_out(db, clock, settings, instant_sms(db, clock), operator_id, request_id)
    assert refused.value.errors == {"": deletions.GONE}
    assert actions(db) == []
    assert db.exec(select(Borrower.status)).all() == [BorrowerStatus.ACTIVE]


# ----------------------------------------------------------------------------- restorations


def test_the_restoration_queue_shows_the_account_with_its_loans_and_contracts(
    db: Session, clock: FixedClock, settings: Settings, deleted: int
) -> None:
    found = ask(db, clock, settings)
    unknown = ask(db, clock, settings, OTHER_PHONE)
    queue, total = restorations.waiting(db)
    assert total == 2
    assert [(r.request.id, r.request.phone) for r in queue] == [
        (found, PHONE),
        (unknown, OTHER_PHONE),
    ]
    head = queue[0]
    assert head.account is not None and head.account.id == deleted
    assert len(head.loans) == 1 and head.loans[0].borrower_id == deleted
    assert head.documents and all(d.borrower_id == deleted for d in head.documents)
    assert (queue[1].account, queue[1].loans, queue[1].documents) == (None, [], [])
    for which in ("passport", "selfie"):
        data = restorations.photo(db, settings, found, which)
        assert data is not None and data[:2] == b"\xff\xd8"
    assert restorations.photo(db, settings, found + 100, "passport") is None


def test_an_approval_brings_the_account_back_on_the_record(
    db: Session, clock: FixedClock, settings: Settings, deleted: int, operator_id: int
) -> None:
    request_id = ask(db, clock, settings)
    restorations.approve(db, clock, settings, instant_sms(db, clock), operator_id, request_id)
    borrower = db.get(Borrower, deleted, populate_existing=True)
    assert borrower is not None and borrower.phone == PHONE
    assert actions(db) == [
        (
            "restoration_approved",
            f"restorationrequest:{request_id}",
            deleted,
            {"status": "pending"},
            {"status": "approved"},
        )
    ]
    assert restorations.waiting(db) == ([], 0)


def test_a_rejection_needs_a_reason_and_keeps_it_out_of_the_log(
    db: Session, clock: FixedClock, settings: Settings, deleted: int, operator_id: int
) -> None:
    request_id = ask(db, clock, settings)
    sms = instant_sms(db, clock)
    with pytest.raises(Refusal) as no_reason:
        restorations.reject(db, clock, sms, operator_id, request_id, " ")
    assert "reason" in no_reason.value.errors
    assert actions(db) == []
    restorations.reject(db, clock, sms, operator_id, request_id, REASON)
    request = db.get(RestorationRequest, request_id, populate_existing=True)
    assert request is not None
    assert (request.status, request.reason) == (RestorationStatus.REJECTED, REASON)
    assert actions(db) == [
        (
            "restoration_rejected",
            f"restorationrequest:{request_id}",
            deleted,
            {"status": "pending"},
            {"status": "rejected"},
        )
    ]
    assert REASON in outbox(db, limit=1, phone=PHONE)[0].text
    assert db.get(Borrower, deleted).status == BorrowerStatus.DELETED  # type: ignore[union-attr]


def test_a_refused_approval_leaves_no_record(
    db: Session, clock: FixedClock, settings: Settings, deleted: int, operator_id: int
) -> None:
    unknown = ask(db, clock, settings, OTHER_PHONE)  # led to no deleted account
    sms = instant_sms(db, clock)
    with pytest.raises(Refusal) as refused:
        restorations.approve(db, clock, settings, sms, operator_id, unknown)
    assert refused.value.errors == {"": restoration.NO_ACCOUNT}
    found = ask(db, clock, settings)
    restorations.approve(db, clock, settings, sms, operator_id, found)
    with pytest.raises(Refusal) as twice:
        restorations.approve(db, clock, settings, sms, operator_id, found)
    assert twice.value.errors == {"": restoration.NOT_PENDING}
    assert [a[0] for a in actions(db)] == ["restoration_approved"]


def test_no_deletion_without_its_entry(
    db: Session,
    clock: FixedClock,
    settings: Settings,
    operator_id: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The entry is written in the deletion's transaction: when it cannot be, nothing is done."""
    request_id = asks_deletion(db, clock, settings, PHONE)

    def broken(*args, **kwargs) -> None:
        raise RuntimeError("the log is unreachable")

    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(RuntimeError):
        deletions.carry_out(db, clock, settings, instant_sms(db, clock), operator_id, request_id)
    db.rollback()
    request = db.get(DeletionRequest, request_id, populate_existing=True)
    assert request is not None and request.status == DeletionStatus.PENDING
    assert accounts.authenticate(db, clock, settings, PHONE, PASSWORD).phone == PHONE
