"""Paying towards a loan through the acquirer's hosted page: in the cabinet and by quick pay.

An attempt carries a key the payer's page made before anything was sent, unique in the database:
a double click, a retried request or a reconnect that brings the same key gets the same attempt
and moves no money again. `start` opens the acquirer's order and gives the page to send the payer
to; `finish` asks the acquirer how it ended (the payer's browser says only the order id) and, once
charged, books the money in the ledger under the loan's lock, in one db transaction with the
attempt's status: the split of 353-FZ (`booking.book_payment`), the loan closed when paid off
with its closing statement, and the SMS receipt. A crash after the charge and before that commit
loses nothing: the attempt stays pending and `settle_pending` (run on start-up and by the
reconcile job) asks the acquirer again; the ledger key and the order id posted once each make a
second booking impossible.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from credit7_web import tariff, urls
from credit7_web.clock import Clock
from credit7_web.errors import Refusal
from credit7_web.gateways.acquirer import Acquirer
from credit7_web.gateways.sms import SmsGateway
from credit7_web.identity import otp
from credit7_web.identity.fields import clean_sms_code
from credit7_web.identity.models import Borrower
from credit7_web.ledger import book
from credit7_web.ledger.models import Account, Kind
from credit7_web.lending import applications, cards, loans
from credit7_web.lending.models import Card, Loan, LoanStatus
from credit7_web.messages import texts
from credit7_web.money import rub
from credit7_web.russian import format_date
from credit7_web.servicing import booking, closing, debt, prolongation
from credit7_web.servicing.models import PaymentAttempt, PaymentStatus
from credit7_web.settings import Settings

AMOUNT_FIELD = "amount"
NOT_A_SUM = "Укажите сумму платежа в рублях, например 1500 или 1500,50"
LOAN_NOT_OPEN = "Этот заём уже погашен или не найден"
ATTEMPT_NOT_FOUND = "Платёж не найден"
REFUND_TEXT = "Возврат переплаты по договору № {number}"
CABINET = "cabinet"  # the channels a payment comes through
QUICK = "quick"
PAYMENT_TEXT = "Платёж по договору № {number}"
PROLONGATION_TEXT = "Оплата продления по договору № {number} (доп. соглашение № {agreement})"

_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")
_SUM = re.compile(r"\s*(\d{1,9})(?:[.,](\d{1,2}))?\s*(?:₽|руб\.?)?\s*")


def new_key() -> str:
    """An idempotency key, made by the payer's page before anything is sent."""
    return secrets.token_urlsafe(24)


def smallest_kop(total_kop: int) -> int:
    """The smallest payment accepted: 100 ₽, or the whole debt when it is less."""
    return min(tariff.MIN_PAYMENT, total_kop)


def parse_amount(text: object) -> int:
    """Rubles as typed ("1 500", "1500,5") → kopecks; Refusal beside the amount field."""
    match = _SUM.fullmatch(str(text).replace("\u00a0", "").replace(" ", "")) if text else None
    if not isinstance(text, str | int) or match is None:
        raise Refusal.one(AMOUNT_FIELD, NOT_A_SUM)
    return int(match[1]) * 100 + int((match[2] or "0").ljust(2, "0"))


def check_amount(amount_kop: int, owed: debt.Debt) -> int:
    """The amount if it may be paid today: at least the smallest payment, at most the debt."""
    low = smallest_kop(owed.total_kop)
    if amount_kop < low:
        raise Refusal.one(AMOUNT_FIELD, f"Не меньше {rub(low)}")
    if amount_kop > owed.total_kop:
        raise Refusal.one(AMOUNT_FIELD, f"Не больше долга на сегодня: {rub(owed.total_kop)}")
    return amount_kop


def debt_today(db: Session, clock: Clock, loan: Loan) -> debt.Debt:
    return debt.loan_debt(db, loan, clock.today())


def running_loan_or_none(db: Session, borrower_id: int) -> Loan | None:
    """The borrower's own disbursed, open loan: the only one that can be paid towards."""
    loan = applications.open_loan(db, borrower_id)
    if loan is None or loan.status != LoanStatus.ACTIVE or loan.start_date is None:
        return None
    return loan


def running_loan(db: Session, borrower_id: int) -> Loan:
    loan = running_loan_or_none(db, borrower_id)
    if loan is None:
        raise Refusal.one("", LOAN_NOT_OPEN)
    return loan


def returned_to(attempt: PaymentAttempt) -> str:
    """Where the payer lands after the acquirer's page: the page they paid from."""
    page = urls.CABINET if attempt.channel == CABINET else urls.PAY
    return urls.with_query(page, payment=attempt.order_id)


def by_key(db: Session, key: str) -> PaymentAttempt | None:
    return db.exec(select(PaymentAttempt).where(PaymentAttempt.key == key)).first()


def by_order(db: Session, order_id: object) -> PaymentAttempt | None:
    if not isinstance(order_id, str) or not order_id:
        return None
    return db.exec(select(PaymentAttempt).where(PaymentAttempt.order_id == order_id)).first()


def start(
    db: Session,
    clock: Clock,
    acquirer: Acquirer,
    loan: Loan,
    amount_kop: int,
    key: str,
    return_url: str,
    channel: str,
    card: Card | None = None,
    purpose: str = "payment",
) -> PaymentAttempt:
    """Open the acquirer's order for this payment (or give back the attempt of this key). A
    prolongation's payment is the sum its agreement fixed, whatever the smallest payment."""
    if not isinstance(key, str) or _KEY.fullmatch(key) is None:
        raise ValueError("an idempotency key is 16–64 letters, digits, '-' or '_'")
    done = by_key(db, key)
    if done is not None:
        if done.loan_id != loan.id:
            raise Refusal.one("", ATTEMPT_NOT_FOUND)
        return done
    if loan.status != LoanStatus.ACTIVE or loan.id is None:
        raise Refusal.one("", LOAN_NOT_OPEN)
    if purpose != prolongation.PURPOSE:
        check_amount(amount_kop, debt_today(db, clock, loan))
    order_id = secrets.token_hex(16)
    attempt = PaymentAttempt(
        key=key,
        order_id=order_id,
        borrower_id=loan.borrower_id,
        loan_id=loan.id,
        channel=channel,
        purpose=purpose,
        amount_kop=amount_kop,
        card_id=card.id if card else None,
        pay_url="",
        created_at=clock.now(),
    )
    try:
        db.add(attempt)
        db.flush()  # the key is taken now: a concurrent twin fails here
        attempt.pay_url = acquirer.start_charge(
            order_id, amount_kop, return_url, card.token if card else None
        )
        db.add(attempt)
        db.commit()
    except IntegrityError:
        db.rollback()
        twin = by_key(db, key)
        if twin is None or twin.loan_id != loan.id:
            raise
        return twin
    db.refresh(attempt)
    return attempt


@dataclass(frozen=True)
class Outcome:
    attempt: PaymentAttempt
    closed: bool = False  # this payment paid the loan off


def finish(
    db: Session,
    clock: Clock,
    settings: Settings,
    acquirer: Acquirer,
    sms: SmsGateway,
    attempt: PaymentAttempt,
) -> Outcome:
    """Ask the acquirer how the attempt ended and book it once; a finished one is returned as is."""
    if attempt.status != PaymentStatus.PENDING:
        return Outcome(attempt)
    result = acquirer.charge_result(attempt.order_id)
    if result.status == "pending":
        return Outcome(attempt)
    loan = loans.lock_loan(db, attempt.loan_id)
    db.refresh(attempt)  # under the lock: another worker may have finished it meanwhile
    if loan is None or attempt.status != PaymentStatus.PENDING:
        db.rollback()
        return Outcome(attempt)
    attempt.finished_at = clock.now()
    if result.status == "failed":
        attempt.status = PaymentStatus.FAILED
        attempt.failure = (result.failure or "Платёж не прошёл")[:200]
        db.add(attempt)
        db.commit()
        return Outcome(attempt)
    was_open = loan.status == LoanStatus.ACTIVE
    # A prolongation is extended only now that its payment succeeded, in this same transaction.
    extended = (
        prolongation.extend_paid(db, clock, settings, loan, attempt)
        if was_open and attempt.purpose == prolongation.PURPOSE
        else None
    )
    booked = booking.book_payment(
        db,
        clock,
        loan,
        result.amount_kop,
        key=f"payment:{attempt.order_id}",
        description=(
            PROLONGATION_TEXT.format(number=loan.number, agreement=extended.number)
            if extended
            else PAYMENT_TEXT.format(number=loan.number)
        ),
        external_id=attempt.order_id,
        kind=Kind.PROLONGATION if extended else Kind.PAYMENT,
    )
    if booked.overpaid_kop:
        _refund_excess(db, clock, acquirer, loan, attempt.order_id, booked.overpaid_kop)
    attempt.status = PaymentStatus.SUCCEEDED
    attempt.transaction_id = booked.transaction.id
    db.add(attempt)
    closed = was_open and loan.status == LoanStatus.CLOSED
    if closed:
        closing.issue_closing(db, clock, settings, loan)
    borrower = db.get(Borrower, loan.borrower_id)
    if borrower is not None and borrower.phone:
        sms.send(
            borrower.phone,
            texts.prolonged(loan.number, rub(result.amount_kop), format_date(extended.new_due))
            if extended
            else texts.payment_receipt(
                loan.number, rub(result.amount_kop), rub(booked.after.total_kop), closed
            ),
        )
    db.commit()
    db.refresh(attempt)
    return Outcome(attempt, closed)


def _refund_excess(
    db: Session, clock: Clock, acquirer: Acquirer, loan: Loan, order_id: str, excess: int
) -> None:
    """Money beyond the debt (two payments crossed) goes back to the card it came from."""
    if acquirer.refund(order_id, excess).status != "succeeded":
        return  # it stays owed back (OVERPAYMENT): reconcile lists it for the back office
    book.post(
        db,
        clock,
        Kind.OVERPAYMENT_REFUND,
        key=f"refund:{order_id}",
        borrower_id=loan.borrower_id,
        loan_id=loan.id,
        lines=[book.Line(Account.OVERPAYMENT, excess), book.Line(Account.ACQUIRER, -excess)],
        description=REFUND_TEXT.format(number=loan.number),
        amount_kop=excess,
        external_id=f"{order_id}-r",
    )


def finish_order(
    db: Session,
    clock: Clock,
    settings: Settings,
    acquirer: Acquirer,
    sms: SmsGateway,
    order_id: object,
    borrower_id: int | None = None,
) -> Outcome | None:
    """The payer came back from the hosted page with an order id: finish that attempt. With
    `borrower_id`, only that borrower's own attempt (None for anyone else's)."""
    attempt = by_order(db, order_id)
    if attempt is None or (borrower_id is not None and attempt.borrower_id != borrower_id):
        return None
    return finish(db, clock, settings, acquirer, sms, attempt)


def settle_pending(
    db: Session, clock: Clock, settings: Settings, acquirer: Acquirer, sms: SmsGateway
) -> int:
    """Ask the acquirer about every unfinished attempt and book each charge once; how many
    attempts ended."""
    ended = 0
    pending = db.exec(
        select(PaymentAttempt)
        .where(PaymentAttempt.status == PaymentStatus.PENDING)
        .order_by(col(PaymentAttempt.id))
    ).all()
    for attempt in pending:
        if finish(db, clock, settings, acquirer, sms, attempt).attempt.status != (
            PaymentStatus.PENDING
        ):
            ended += 1
    return ended


# ----------------------------------------------------------------------------- the cabinet


@dataclass(frozen=True)
class RepayForm:
    """What the payment form shows: the debt today, the bound card, and the key to pay with."""

    loan: Loan
    owed: debt.Debt
    card: Card | None
    key: str


def repay_form(db: Session, clock: Clock, borrower_id: int, key: object) -> RepayForm:
    """The form for the borrower's running loan. The key the page holds is kept until an
    attempt uses it; then the next payment gets a new one."""
    loan = running_loan(db, borrower_id)
    fresh = isinstance(key, str) and _KEY.fullmatch(key) and by_key(db, key) is None
    return RepayForm(
        loan=loan,
        owed=debt_today(db, clock, loan),
        card=cards.active_card(db, borrower_id),
        key=key if fresh else new_key(),  # type: ignore[arg-type]
    )


def request_code(
    db: Session,
    clock: Clock,
    settings: Settings,
    sms: SmsGateway,
    borrower_id: int,
    whole: bool,
    amount_text: object,
) -> int:
    """Check the amount (the whole debt today, or the one typed) and send the SMS code that
    confirms the payment; the amount in kopecks."""
    loan = running_loan(db, borrower_id)
    owed = debt_today(db, clock, loan)
    amount = owed.total_kop if whole else check_amount(parse_amount(amount_text), owed)
    borrower = db.get(Borrower, borrower_id)
    if borrower is None or not borrower.phone:
        raise Refusal.one("", LOAN_NOT_OPEN)
    code = otp.issue_code(db, clock, settings, borrower.phone, otp.PAY, field=AMOUNT_FIELD)
    sms.send(borrower.phone, texts.pay_code(code, loan.number, rub(amount)))
    db.commit()
    return amount


def confirm(
    db: Session,
    clock: Clock,
    settings: Settings,
    acquirer: Acquirer,
    borrower_id: int,
    amount_kop: int,
    key: str,
    code: object,
    bound_card: bool,
) -> PaymentAttempt:
    """The SMS code confirms the payment: open the acquirer's order. The same key again (a
    double click, a reconnect) gives the same attempt without asking for the code again."""
    done = by_key(db, key) if isinstance(key, str) else None
    if done is not None:
        if done.borrower_id != borrower_id:
            raise Refusal.one("", ATTEMPT_NOT_FOUND)
        return done
    loan = running_loan(db, borrower_id)
    borrower = db.get(Borrower, borrower_id)
    if borrower is None or not borrower.phone:
        raise Refusal.one("", LOAN_NOT_OPEN)
    otp.verify_code(db, clock, settings, borrower.phone, otp.PAY, clean_sms_code(str(code or "")))
    card = cards.active_card(db, borrower_id) if bound_card else None
    return start(db, clock, acquirer, loan, amount_kop, key, urls.PAYMENT_RETURN, CABINET, card)


def own_attempt(db: Session, borrower_id: int, order_id: object) -> PaymentAttempt | None:
    """The borrower's own attempt by its order id (None for anyone else's)."""
    attempt = by_order(db, order_id)
    return attempt if attempt is not None and attempt.borrower_id == borrower_id else None
