"""Deleting an account: refused while a loan is open, carried out within 5 days otherwise, every
personal field erased (contracts and payments kept), the login gone, the borrower told."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, SQLModel, select

import credit7_web.sandbox.models as sandbox_models
from credit7_web import tariff
from credit7_web.clock import FixedClock
from credit7_web.documents.models import Document
from credit7_web.errors import Refusal
from credit7_web.identity import accounts, deletion, kyc, restoration, sessions
from credit7_web.identity.models import (
    AuthSession,
    Borrower,
    BorrowerStatus,
    DeletionStatus,
    GosuslugiSignup,
    PassportPhoto,
    Profile,
    RestorationRequest,
    RestorationStatus,
)
from credit7_web.ledger import book
from credit7_web.lending import applications
from credit7_web.lending.models import Card, Loan, LoanStatus
from credit7_web.russian import format_date
from credit7_web.sandbox.bureaus import sandbox_bureaus
from credit7_web.sandbox.sms import outbox
from credit7_web.settings import Settings
from tests.jobs import NoJobs, instant_sms
from tests.unit.account_setup import PASSWORD, PERSON, PHONE, jpeg, lend, make_person, repay

# Tables of outside services' stand-ins: their records are the SMS gateway's or the acquirer's,
# not ours (the SMS telling the borrower of the deletion is among them).
SANDBOX_TABLES = {
    model.__tablename__
    for model in vars(sandbox_models).values()
    if isinstance(model, type) and issubclass(model, SQLModel) and hasattr(model, "__table__")
}
# Kept with the contract as its evidence: the phone the contract was signed from (АСП).
KEPT_WITH_CONTRACTS = {("loan", "signed_phone")}


def personal_values() -> list[str]:
    """Every personal value of PERSON as any column could hold it."""
    values = [PHONE, "+7 (916) 123-45-67"]
    for name, text in PERSON.items():
        if not text or name in ("citizenship", "res_same_as_reg", "family_status", "dependants"):
            continue
        values.append(text)
    values += ["1987-03-14", "2007-03-21", "16745830903", "7345600", "aglaya.pixel"]
    return values


def found(value: Any, personal: list[str]) -> list[str]:
    text = str(value)
    return [p for p in personal if text == p or (len(p) >= 6 and p in text)]


def survivors(engine: Engine) -> list[str]:
    """Every column of every table of the app still holding a personal value."""
    personal = personal_values()
    left = []
    with engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            if table.name in SANDBOX_TABLES:
                continue
            for row in conn.execute(table.select()):
                for column, value in row._mapping.items():
                    if (table.name, column) in KEPT_WITH_CONTRACTS or value is None:
                        continue
                    left += [f"{table.name}.{column}: {p}" for p in found(value, personal)]
    return left


@pytest.fixture
def person(db: Session, clock: FixedClock, settings: Settings) -> int:
    return make_person(db, clock, settings)


def request(db: Session, clock: FixedClock, borrower_id: int) -> int:
    made = deletion.request_deletion(db, clock, instant_sms(db, clock), borrower_id)
    assert made.id is not None
    return made.id


def carry_out(db: Session, clock: FixedClock, settings: Settings, request_id: int) -> None:
    deletion.carry_out_deletion(db, clock, settings, instant_sms(db, clock), request_id, 7)


def give_a_whole_life(db: Session, clock: FixedClock, settings: Settings, borrower_id: int) -> Loan:
    """A repaid loan (contract PDFs, card, payments), a session, a code, a lockout count, an
    earlier restoration and a Gosuslugi sign-up: everything that can hold a personal value."""
    loan = lend(db, clock, settings, borrower_id)
    clock.advance(timedelta(days=10))
    repay(db, clock, loan)
    sessions.open_session(db, clock, settings, borrower_id)
    accounts.start_recovery(db, clock, settings, instant_sms(db, clock), PHONE)
    with pytest.raises(Refusal):
        accounts.authenticate(db, clock, settings, PHONE, "Wrong1234")
    earlier = restoration.request_restoration(db, clock, settings, PHONE, jpeg(), jpeg())
    earlier.borrower_id, earlier.status = borrower_id, RestorationStatus.APPROVED
    db.add(earlier)
    db.add(
        GosuslugiSignup(
            browser_hash="h" * 64,
            oauth_state="s",
            redirect_uri="https://app.example/gosuslugi/callback",
            created_at=clock.now(),
            expires_at=clock.now(),
            person='{"last_name": "Пиксельникова"}',
            phone=PHONE,
            borrower_id=borrower_id,
        )
    )
    db.commit()
    return loan


def test_erasure_leaves_no_personal_field_behind(
    engine: Engine, db: Session, clock: FixedClock, settings: Settings, person: int
) -> None:
    loan = give_a_whole_life(db, clock, settings, person)
    before = survivors(engine)
    for table in ("borrower.phone", "profile.", "onetimecode.phone", "loginthrottle.phone"):
        assert any(s.startswith(table) for s in before), table  # the scan sees them
    assert any(s.startswith("restorationrequest.phone") for s in before)
    assert any(s.startswith("gosuslugisignup.") for s in before)
    photos = [
        kyc.PHOTOS.path(settings) / p.file_name
        for p in db.exec(select(PassportPhoto).where(PassportPhoto.borrower_id == person))
    ]
    restoration_files = list(restoration.PHOTOS.path(settings).glob("*.jpg"))
    assert photos and restoration_files and all(p.exists() for p in photos)

    carry_out(db, clock, settings, request(db, clock, person))

    assert survivors(engine) == []
    assert not any(p.exists() for p in photos + restoration_files)
    borrower = db.get(Borrower, person, populate_existing=True)
    assert borrower is not None and borrower.status == BorrowerStatus.DELETED
    assert borrower.phone is None and borrower.password_hash == ""
    assert borrower.phone_hash == restoration.phone_trace(settings, PHONE)
    for table in (Profile, AuthSession, PassportPhoto, RestorationRequest):
        assert db.exec(select(table).where(table.borrower_id == person)).first() is None
    # Kept as the law requires: the contract, its PDFs, the money history, the card's mask.
    kept = db.get(Loan, loan.id, populate_existing=True)
    assert kept is not None and kept.status == LoanStatus.CLOSED and kept.signed_phone == PHONE
    documents = db.exec(select(Document).where(Document.borrower_id == person)).all()
    assert {d.kind for d in documents} == {"contract", "contract_draft"}
    assert all((settings.data_dir / "documents" / d.file_name).exists() for d in documents)
    assert len(book.operations(db, person)) >= 4
    [card] = db.exec(select(Card).where(Card.borrower_id == person)).all()
    assert card.masked.endswith("1111") and card.token.startswith("erased-")


def test_the_login_stops_working_and_the_borrower_is_told(
    db: Session, clock: FixedClock, settings: Settings, person: int
) -> None:
    token = sessions.claim(db, clock, settings, sessions.open_session(db, clock, settings, person))
    assert token is not None
    carry_out(db, clock, settings, request(db, clock, person))
    assert sessions.resolve(db, clock, settings, token) is None
    with pytest.raises(Refusal) as refused:
        accounts.authenticate(db, clock, settings, PHONE, PASSWORD)
    assert refused.value.errors == {"": accounts.BAD_CREDENTIALS}
    requested, deleted = [m.text for m in reversed(outbox(db, phone=PHONE))][-2:]
    due = format_date(clock.today() + timedelta(days=tariff.ACCOUNT_DELETION_DAYS))
    assert "заявка на удаление аккаунта принята" in requested and due in requested
    assert "аккаунт удалён" in deleted and f"{tariff.RECORDS_KEPT_YEARS} лет" in deleted
    # The number is free again: a new account may take it.
    fresh = accounts.create_borrower(db, clock, settings, PHONE, PASSWORD, PASSWORD, clock.now())
    assert fresh.id != person


def test_carrying_out_twice_changes_nothing(
    db: Session, clock: FixedClock, settings: Settings, person: int
) -> None:
    request_id = request(db, clock, person)
    carry_out(db, clock, settings, request_id)
    sent = len(outbox(db))
    clock.advance(timedelta(hours=1))
    carry_out(db, clock, settings, request_id)
    assert len(outbox(db)) == sent
    assert deletion.pending_deletions(db) == []


def test_two_workers_at_once_delete_once(
    engine: Engine, clock: FixedClock, settings: Settings, person: int
) -> None:
    with Session(engine) as db:
        request_id = request(db, clock, person)
    with Session(engine) as first, Session(engine) as second:
        assert deletion.pending_deletions(second)  # the second looked before the first acted
        carry_out(first, clock, settings, request_id)
        carry_out(second, clock, settings, request_id)
    with Session(engine) as db:
        assert sum("аккаунт удалён" in m.text for m in outbox(db)) == 1


def test_an_open_loan_refuses_the_request_with_its_reason(
    db: Session, clock: FixedClock, settings: Settings, person: int
) -> None:
    loan = lend(db, clock, settings, person)
    with pytest.raises(Refusal) as refused:
        request(db, clock, person)
    assert refused.value.errors == {
        "": f"По договору № {loan.number} заём ещё не погашен. "
        "Удалить аккаунт можно после погашения."
    }
    clock.advance(timedelta(days=25))  # five days past the due date
    with pytest.raises(Refusal) as overdue:
        request(db, clock, person)
    assert "просроченная задолженность" in overdue.value.errors[""]
    assert deletion.pending_deletions(db) == []
    assert db.get(Borrower, person).status == BorrowerStatus.ACTIVE  # type: ignore[union-attr]


def test_an_application_being_decided_refuses_the_request(
    db: Session, clock: FixedClock, settings: Settings, person: int
) -> None:
    lend(db, clock, settings, person)  # photo and card; the loan is then repaid
    loan = applications.open_loan(db, person)
    assert loan is not None
    repay(db, clock, loan)
    applications.apply(db, clock, NoJobs(), person, 10_000_00, 20, [])
    with pytest.raises(Refusal) as refused:
        request(db, clock, person)
    assert "рассматривается" in refused.value.errors[""]


def test_a_loan_opened_after_the_request_stops_the_deletion(
    db: Session, clock: FixedClock, settings: Settings, person: int
) -> None:
    request_id = request(db, clock, person)
    lend(db, clock, settings, person)
    with pytest.raises(Refusal) as refused:
        carry_out(db, clock, settings, request_id)
    assert "не погашен" in refused.value.errors[""]
    assert deletion.pending_deletions(db) == []
    assert "аккаунт не удалён" in outbox(db, limit=1, phone=PHONE)[0].text
    borrower = db.get(Borrower, person)
    assert borrower is not None and borrower.phone == PHONE


def test_the_request_is_kept_once_and_can_be_cancelled(
    db: Session, clock: FixedClock, settings: Settings, person: int
) -> None:
    first = request(db, clock, person)
    assert request(db, clock, person) == first
    [pending] = deletion.pending_deletions(db)
    assert pending.due_on == clock.today() + timedelta(days=tariff.ACCOUNT_DELETION_DAYS)
    deletion.cancel_deletion(db, clock, person)
    assert deletion.pending_deletions(db) == []
    with pytest.raises(Refusal) as refused:
        carry_out(db, clock, settings, first)
    assert refused.value.errors == {"": "Заявка на удаление отменена заёмщиком"}


def test_the_job_deletes_on_the_fifth_day(
    db: Session, clock: FixedClock, settings: Settings, person: int
) -> None:
    request(db, clock, person)
    sms = instant_sms(db, clock)
    for _ in range(tariff.ACCOUNT_DELETION_DAYS - 1):
        clock.advance(timedelta(days=1))
        assert deletion.run_due_deletions(db, clock, settings, sms) == 0
    clock.advance(timedelta(days=1))
    assert deletion.run_due_deletions(db, clock, settings, sms) == 1
    assert deletion.run_due_deletions(db, clock, settings, sms) == 0
    borrower = db.get(Borrower, person, populate_existing=True)
    assert borrower is not None and borrower.status == BorrowerStatus.DELETED
    assert [r.status for r in db.exec(select(deletion.DeletionRequest))] == [DeletionStatus.DONE]


def test_an_unknown_request_is_refused(db: Session, clock: FixedClock, settings: Settings) -> None:
    with pytest.raises(Refusal):
        carry_out(db, clock, settings, 404)


def test_a_contract_offered_but_unsigned_does_not_stop_a_deletion(
    db: Session, clock: FixedClock, settings: Settings, person: int
) -> None:
    loan = lend(db, clock, settings, person)
    clock.advance(timedelta(days=1))
    repay(db, clock, loan)
    application = applications.apply(db, clock, NoJobs(), person, 5_000_00, 10, [])
    applications.decide(
        db, clock, settings, sandbox_bureaus(), instant_sms(db, clock), application.id or 0
    )
    offered = applications.open_loan(db, person)
    assert offered is not None and offered.status == LoanStatus.AWAITING_SIGNATURE
    carry_out(db, clock, settings, request(db, clock, person))
    assert db.get(Borrower, person).status == BorrowerStatus.DELETED  # type: ignore[union-attr]
