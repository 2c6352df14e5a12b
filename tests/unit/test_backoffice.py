"""The back office's domain: the append-only audit log, the identification queue and what a
rejection does to applying, the borrower's file with masked documents."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, delete, select, update

from credit7_web.backoffice import audit, identification, search
from credit7_web.backoffice.models import AuditEntry, Role
from credit7_web.clock import FixedClock
from credit7_web.errors import Refusal
from credit7_web.identity import kyc
from credit7_web.identity.models import BorrowerStatus, PassportPhoto, PhotoReview, Profile
from credit7_web.lending import applications
from credit7_web.russian import mask_passport, mask_snils
from credit7_web.settings import Settings
from tests.factories import add_borrower
from tests.jobs import NoJobs
from tests.operator_setup import add_operator
from tests.unit.test_kyc import jpeg


@pytest.fixture
def operator_id(db: Session, clock: FixedClock, settings: Settings) -> int:
    return add_operator(db, clock, settings, Role.IDENTIFICATION)[0]


def photo_of(db: Session, clock: FixedClock, settings: Settings, borrower_id: int) -> int:
    photo = kyc.save_passport_photo(db, clock, settings, borrower_id, jpeg(gps=False), "a.jpg")
    assert photo.id is not None
    return photo.id


def entries(db: Session) -> list[AuditEntry]:
    return list(db.exec(select(AuditEntry).order_by(AuditEntry.id)))


# ----------------------------------------------------------------------------- the audit log


def test_the_audit_log_refuses_update_and_delete(db: Session, operator_id: int) -> None:
    [entry] = entries(db)
    attempts = [
        update(AuditEntry).values(action="nothing"),
        delete(AuditEntry),
        text("UPDATE auditentry SET operator_id = NULL"),
        text("DELETE FROM auditentry"),
    ]
    for statement in attempts:
        with pytest.raises(DBAPIError, match="append-only"):
            db.exec(statement)  # type: ignore[call-overload]
        db.rollback()
    entry = db.exec(select(AuditEntry)).one()
    entry.after = "{}"
    db.add(entry)
    with pytest.raises(DBAPIError, match="append-only"):
        db.commit()
    db.rollback()
    assert [(e.action, e.after) for e in entries(db)] == [
        ("operator_created", json.dumps({"login": "ivanova", "role": "identification"}))
    ]


def test_a_refused_action_leaves_no_record(
    db: Session, clock: FixedClock, settings: Settings, operator_id: int
) -> None:
    borrower = add_borrower(db, clock)
    photo_id = photo_of(db, clock, settings, borrower.id)
    identification.confirm(db, clock, operator_id, photo_id)
    count = len(entries(db))
    with pytest.raises(Refusal):
        identification.reject(db, clock, operator_id, photo_id, "Паспорт не читается")
    assert len(entries(db)) == count


# ----------------------------------------------------------------------------- identification


def test_the_queue_holds_each_borrowers_latest_waiting_photo_oldest_first(
    db: Session, clock: FixedClock, settings: Settings, operator_id: int
) -> None:
    first = add_borrower(db, clock, "9001110001")
    second = add_borrower(db, clock, "9001110002")
    replaced = photo_of(db, clock, settings, first.id)
    clock.instant += timedelta(minutes=1)
    newest_of_first = photo_of(db, clock, settings, first.id)
    clock.instant -= timedelta(minutes=5)
    of_second = photo_of(db, clock, settings, second.id)
    photos, total = identification.waiting(db)
    assert [p.photo.id for p in photos] == [of_second, newest_of_first]
    assert total == 2 and replaced not in [p.photo.id for p in photos]
    assert photos[0].phone == "9001110002"


def test_confirm_and_reject_record_the_verdict_and_its_audit_entry(
    db: Session, clock: FixedClock, settings: Settings, operator_id: int
) -> None:
    borrower = add_borrower(db, clock)
    photo_id = photo_of(db, clock, settings, borrower.id)
    identification.reject(db, clock, operator_id, photo_id, "  Не видно   страницу с фото ")
    photo = db.get(PassportPhoto, photo_id)
    assert photo is not None
    assert (photo.review, photo.reviewed_by, photo.reviewed_at) == (
        PhotoReview.REJECTED,
        operator_id,
        clock.now(),
    )
    assert photo.rejection_reason == "Не видно страницу с фото"
    last = entries(db)[-1]
    assert (last.operator_id, last.action, last.subject, last.borrower_id) == (
        operator_id,
        audit.Action.PHOTO_REJECTED,
        f"passportphoto:{photo_id}",
        borrower.id,
    )
    assert json.loads(last.before) == {"review": "pending"}
    assert json.loads(last.after) == {"review": "rejected", "reason": "Не видно страницу с фото"}
    assert identification.waiting(db) == ([], 0)

    newer = photo_of(db, clock, settings, borrower.id)
    identification.confirm(db, clock, operator_id, newer)
    assert entries(db)[-1].action == audit.Action.PHOTO_CONFIRMED


@pytest.mark.parametrize("reason", ["", "нет", "x" * 301])
def test_a_rejection_needs_a_reason(
    db: Session, clock: FixedClock, settings: Settings, operator_id: int, reason: str
) -> None:
    borrower = add_borrower(db, clock)
    photo_id = photo_of(db, clock, settings, borrower.id)
    with pytest.raises(Refusal) as refused:
        identification.reject(db, clock, operator_id, photo_id, reason)
    assert set(refused.value.errors) == {"reason"}
    photo = db.get(PassportPhoto, photo_id)
    assert photo is not None and photo.review == PhotoReview.PENDING


def test_a_decided_replaced_or_unknown_photo_is_not_decided_again(
    db: Session, clock: FixedClock, settings: Settings, operator_id: int
) -> None:
    borrower = add_borrower(db, clock)
    old = photo_of(db, clock, settings, borrower.id)
    new = photo_of(db, clock, settings, borrower.id)
    identification.confirm(db, clock, operator_id, new)
    for photo_id in (old, new, new + 100):
        with pytest.raises(Refusal, match="уже проверено"):
            identification.reject(db, clock, operator_id, photo_id, "Паспорт не читается")
    assert db.get(PassportPhoto, old).review == PhotoReview.PENDING  # type: ignore[union-attr]
    assert db.get(PassportPhoto, new).review == PhotoReview.CONFIRMED  # type: ignore[union-attr]


def test_a_rejected_latest_photo_counts_as_none_until_a_new_one(
    db: Session, clock: FixedClock, settings: Settings, operator_id: int
) -> None:
    borrower = add_borrower(db, clock, status=BorrowerStatus.ACTIVE)
    photo_id = photo_of(db, clock, settings, borrower.id)
    assert applications.readiness(db, borrower.id).has_photo  # scoring does not wait
    identification.reject(db, clock, operator_id, photo_id, "Паспорт не читается")
    assert not applications.readiness(db, borrower.id).has_photo
    with pytest.raises(Refusal, match="загрузите фото с паспортом"):
        applications.apply(db, clock, NoJobs(), borrower.id, 500_000, 10, [])
    photo_of(db, clock, settings, borrower.id)
    assert applications.readiness(db, borrower.id).has_photo


def test_the_operator_reads_any_photo_the_borrower_only_their_own(
    db: Session, clock: FixedClock, settings: Settings
) -> None:
    owner = add_borrower(db, clock, "9001110001")
    stranger = add_borrower(db, clock, "9001110002")
    photo_id = photo_of(db, clock, settings, owner.id)
    data = identification.photo_file(db, settings, photo_id)
    assert data is not None and data.startswith(b"\xff\xd8")
    assert kyc.read_photo(db, settings, stranger.id, photo_id) is None
    assert identification.photo_file(db, settings, photo_id + 1) is None


# ----------------------------------------------------------------------------- the file


def test_masks_keep_only_the_last_digits() -> None:
    assert mask_passport("4510", "123456") == "•••• ••3456"
    assert mask_snils("11223344595") == "•••-•••-•45 95"
    assert mask_passport(None, None) == mask_snils(None) == ""


def test_the_file_is_found_by_phone_masked_and_its_opening_recorded(
    db: Session, clock: FixedClock, settings: Settings, operator_id: int
) -> None:
    borrower = add_borrower(db, clock, "9001234567", status=BorrowerStatus.ACTIVE)
    profile = db.get(Profile, borrower.id) or Profile(borrower_id=borrower.id)
    profile.last_name, profile.first_name = "Иванова", "Мария"
    profile.passport_series, profile.passport_number = "4510", "123456"
    profile.snils = "11223344595"
    db.add(profile)
    db.commit()
    found = search.borrower_file(db, clock, operator_id, "+7 (900) 123-45-67")
    assert found is not None
    assert (found.full_name, found.passport, found.snils) == (
        "Иванова Мария",
        "•••• ••3456",
        "•••-•••-•45 95",
    )
    assert found.loans == [] and found.operations == [] and found.documents == []
    last = entries(db)[-1]
    assert (last.action, last.borrower_id, last.operator_id) == (
        audit.Action.BORROWER_VIEWED,
        borrower.id,
        operator_id,
    )
    assert "9001234567" not in last.model_dump_json()  # the log holds ids, not personal data
    assert search.borrower_file(db, clock, operator_id, "+7 (900) 765-43-21") is None
    with pytest.raises(Refusal) as refused:
        search.borrower_file(db, clock, operator_id, "12")
    assert set(refused.value.errors) == {"phone"}
