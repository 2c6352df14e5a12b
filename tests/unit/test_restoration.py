"""Restoring a deleted account: a request with the phone and two photos, an operator's decision,
the account back with its loan history and a new password by SMS code."""

from __future__ import annotations

import os
import time
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from credit7_web.clock import FixedClock
from credit7_web.errors import Refusal
from credit7_web.identity import accounts, deletion, kyc, restoration
from credit7_web.identity.models import (
    Borrower,
    BorrowerStatus,
    RestorationRequest,
    RestorationStatus,
)
from credit7_web.lending.models import Loan
from credit7_web.sandbox.sms import outbox
from credit7_web.settings import Settings
from tests.jobs import instant_sms
from tests.unit.account_setup import PASSWORD, PHONE, jpeg, last_code, lend, make_person, repay

OPERATOR = 7


@pytest.fixture
def deleted(db: Session, clock: FixedClock, settings: Settings) -> int:
    """A borrower with a repaid loan, deleted."""
    borrower_id = make_person(db, clock, settings)
    loan = lend(db, clock, settings, borrower_id)
    clock.advance(timedelta(days=3))
    repay(db, clock, loan)
    sms = instant_sms(db, clock)
    request = deletion.request_deletion(db, clock, sms, borrower_id)
    deletion.carry_out_deletion(db, clock, settings, sms, request.id or 0, OPERATOR)
    return borrower_id


def ask(db: Session, clock: FixedClock, settings: Settings, phone: str = PHONE) -> int:
    made = restoration.request_restoration(db, clock, settings, phone, jpeg(), jpeg(1000, 800))
    assert made.id is not None
    return made.id


def test_a_request_finds_the_deleted_account_by_its_phone(
    db: Session, clock: FixedClock, settings: Settings, deleted: int
) -> None:
    request_id = ask(db, clock, settings, "+7 (916) 123-45-67")
    [pending] = restoration.pending_restorations(db)
    assert (pending.id, pending.borrower_id, pending.phone) == (request_id, deleted, PHONE)
    for which in ("passport", "selfie"):
        photo = restoration.read_restoration_photo(db, settings, request_id, which)
        assert photo is not None and photo[:2] == b"\xff\xd8"  # a fresh JPEG
    assert (settings.data_dir / "restoration").stat().st_mode & 0o777 == 0o700


def test_a_phone_of_no_deleted_account_files_a_request_all_the_same(
    db: Session, clock: FixedClock, settings: Settings
) -> None:
    make_person(db, clock, settings)  # a live account: its number leads to no deleted one
    for phone in (PHONE, "9169999999"):
        request_id = ask(db, clock, settings, phone)
        request = db.get(RestorationRequest, request_id)
        assert request is not None and request.borrower_id is None
    with pytest.raises(Refusal) as refused:
        restoration.approve_restoration(
            db, clock, settings, instant_sms(db, clock), request_id, OPERATOR
        )
    assert refused.value.errors == {"": restoration.NO_ACCOUNT}


def test_every_problem_of_a_request_at_once(
    db: Session, clock: FixedClock, settings: Settings
) -> None:
    with pytest.raises(Refusal) as refused:
        restoration.request_restoration(db, clock, settings, "123", b"", jpeg(300, 200))
    assert refused.value.errors == {
        "phone": "Введите номер телефона: +7 и 10 цифр",
        "passport_photo": kyc.EMPTY_MESSAGE,
        "selfie": kyc.TOO_SMALL_MESSAGE,
    }
    assert db.exec(select(RestorationRequest)).first() is None


def test_approval_brings_the_account_back_with_its_loans(
    db: Session, clock: FixedClock, settings: Settings, deleted: int
) -> None:
    request_id = ask(db, clock, settings)
    sms = instant_sms(db, clock)
    restoration.approve_restoration(db, clock, settings, sms, request_id, OPERATOR)
    borrower = db.get(Borrower, deleted, populate_existing=True)
    assert borrower is not None and borrower.phone == PHONE
    assert borrower.status == BorrowerStatus.QUESTIONNAIRE  # the answers were erased
    assert borrower.phone_hash is None and borrower.deleted_at is None
    assert len(db.exec(select(Loan).where(Loan.borrower_id == deleted)).all()) == 1
    assert "аккаунт восстановлен" in outbox(db, limit=1, phone=PHONE)[0].text
    request = db.get(RestorationRequest, request_id, populate_existing=True)
    assert request is not None and request.status == RestorationStatus.APPROVED
    assert request.operator_id == OPERATOR
    # The old password is gone; the person sets a new one by an SMS code.
    with pytest.raises(Refusal):
        accounts.authenticate(db, clock, settings, PHONE, PASSWORD)
    clock.advance(timedelta(minutes=2))
    accounts.start_recovery(db, clock, settings, sms, PHONE)
    accounts.confirm_recovery(db, clock, settings, PHONE, last_code(db, PHONE))
    accounts.reset_password(db, clock, settings, PHONE, "NewSecret9", "NewSecret9")
    assert accounts.authenticate(db, clock, settings, PHONE, "NewSecret9").id == deleted


def test_a_phone_taken_since_cannot_bring_the_account_back(
    db: Session, clock: FixedClock, settings: Settings, deleted: int
) -> None:
    request_id = ask(db, clock, settings)
    accounts.create_borrower(db, clock, settings, PHONE, PASSWORD, PASSWORD, clock.now())
    with pytest.raises(Refusal) as refused:
        restoration.approve_restoration(
            db, clock, settings, instant_sms(db, clock), request_id, OPERATOR
        )
    assert refused.value.errors == {"": restoration.PHONE_TAKEN}
    assert db.get(Borrower, deleted).status == BorrowerStatus.DELETED  # type: ignore[union-attr]


def test_a_rejection_says_why_and_the_photos_go(
    db: Session, clock: FixedClock, settings: Settings, deleted: int
) -> None:
    request_id = ask(db, clock, settings)
    sms = instant_sms(db, clock)
    with pytest.raises(Refusal) as no_reason:
        restoration.reject_restoration(db, clock, sms, request_id, OPERATOR, "  ")
    assert "reason" in no_reason.value.errors
    restoration.reject_restoration(
        db, clock, sms, request_id, OPERATOR, "Лицо на селфи не совпадает с фото в паспорте."
    )
    assert "Лицо на селфи не совпадает" in outbox(db, limit=1, phone=PHONE)[0].text
    with pytest.raises(Refusal):
        restoration.approve_restoration(db, clock, settings, sms, request_id, OPERATOR)
    files = list(restoration.PHOTOS.path(settings).glob("*.jpg"))
    assert len(files) == 2
    deletion.run_due_deletions(db, clock, settings, sms)  # the job erases what was declined
    assert not any(f.exists() for f in files)
    request = db.get(RestorationRequest, request_id, populate_existing=True)
    assert request is not None
    assert (request.phone, request.passport_file, request.selfie_file) == (None, None, None)
    assert restoration.read_restoration_photo(db, settings, request_id, "selfie") is None


def test_a_newer_request_supersedes_the_older(
    db: Session, clock: FixedClock, settings: Settings, deleted: int
) -> None:
    first = ask(db, clock, settings)
    second = ask(db, clock, settings)
    assert [r.id for r in restoration.pending_restorations(db)] == [second]
    older = db.get(RestorationRequest, first, populate_existing=True)
    assert older is not None and older.status == RestorationStatus.SUPERSEDED


def test_photos_staged_one_by_one_make_one_request(
    db: Session, clock: FixedClock, settings: Settings, deleted: int
) -> None:
    with pytest.raises(Refusal) as bad:
        restoration.stage_photo(settings, b"not an image", "selfie")
    assert list(bad.value.errors) == ["selfie"]
    passport = restoration.stage_photo(settings, jpeg(), "passport_photo")
    with pytest.raises(Refusal) as missing:
        restoration.request_staged(db, clock, settings, PHONE, passport, None)
    assert missing.value.errors == {"selfie": restoration.MISSING["selfie"]}
    selfie = restoration.stage_photo(settings, jpeg(900, 1200), "selfie")
    made = restoration.request_staged(db, clock, settings, PHONE, passport, selfie)
    assert made.borrower_id == deleted
    assert list(restoration.STAGED.path(settings).glob("*.jpg")) == []


def test_staged_photos_never_sent_are_erased_after_an_hour(
    db: Session, clock: FixedClock, settings: Settings
) -> None:
    name, _ = restoration.stage_photo(settings, jpeg(), "passport_photo")
    path = restoration.STAGED.path(settings) / name
    restoration.erase_declined(db, settings)
    assert path.exists()
    hour_ago = time.time() - restoration.STAGED_TTL.total_seconds() - 1
    os.utime(path, (hour_ago, hour_ago))
    restoration.erase_declined(db, settings)
    assert not path.exists()
