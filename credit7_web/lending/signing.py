"""Signing an approved contract by SMS code (АСП) and paying the money out to the bound card.

Signing is one transaction: the code is checked, the acquirer pays out (idempotent per contract,
keyed by its number), the loan starts on the business date and the signed copy is filed. A loan
under the cooling-off rule (50 000 ₽ and more) is only signed: `disburse_due`, a periodic job,
pays it out no sooner than 4 hours later (the loan starts that day, so no interest runs before),
and until then the borrower may `cancel` it at no cost.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, col, select

from credit7_web import tariff
from credit7_web.clock import Clock, business_now
from credit7_web.documents.models import DocumentKind
from credit7_web.errors import Refusal
from credit7_web.gateways.acquirer import Acquirer
from credit7_web.gateways.sms import SmsGateway
from credit7_web.identity import hashing, otp
from credit7_web.identity.fields import clean_sms_code
from credit7_web.identity.models import Borrower
from credit7_web.ledger import book
from credit7_web.ledger.models import Account, Kind
from credit7_web.lending import cards, contracts, loans, pricing
from credit7_web.lending.models import Card, Loan, LoanStatus
from credit7_web.messages import texts
from credit7_web.money import rub
from credit7_web.russian import format_card
from credit7_web.settings import Settings


def _awaiting(db: Session, borrower_id: int, loan_id: object) -> tuple[Loan, Borrower]:
    """The borrower's contract that waits for a signature, with its borrower."""
    loan = db.get(Loan, loan_id) if isinstance(loan_id, int) else None
    borrower = db.get(Borrower, borrower_id)
    if loan is None or borrower is None or loan.borrower_id != borrower_id:
        raise Refusal.one("", "Договор не найден")
    if loan.status != LoanStatus.AWAITING_SIGNATURE:
        raise Refusal.one("", "Этот договор уже подписан")
    return loan, borrower


def send_sign_code(
    db: Session,
    clock: Clock,
    settings: Settings,
    sms: SmsGateway,
    borrower_id: int,
    loan_id: object,
) -> None:
    """An SMS code for the simple electronic signature (АСП) of this contract."""
    loan, borrower = _awaiting(db, borrower_id, loan_id)
    code = otp.issue_code(db, clock, settings, borrower.phone, otp.SIGN)
    sms.send(borrower.phone, texts.sign_code(code, loan.number, rub(loan.principal_kop)))
    db.commit()


def sign(
    db: Session,
    clock: Clock,
    settings: Settings,
    acquirer: Acquirer,
    borrower_id: int,
    loan_id: object,
    code: str,
) -> Loan:
    """Check the SMS code; send the money to the bound card and start the loan today — or, for
    a loan under the cooling-off rule, only record the signature: the payout waits 4 hours."""
    loan, borrower = _awaiting(db, borrower_id, loan_id)
    code = clean_sms_code(code)  # a malformed code is refused without using up a try
    otp.verify_code(db, clock, settings, borrower.phone, otp.SIGN, code)
    card = _payout_card(db, loan)
    loan.signed_at = clock.now()
    loan.signed_phone = borrower.phone
    loan.signature_code_hash = hashing.code_hash(
        settings.secret_key, borrower.phone, otp.SIGN, code
    )
    if cooling_off(loan.principal_kop):
        loan.status = LoanStatus.COOLING_OFF
        loan.disburse_after = business_now(clock) + timedelta(hours=tariff.COOLING_OFF_HOURS)
    else:
        _disburse(db, clock, settings, acquirer, loan, card)
    db.add(loan)
    db.commit()
    return loan


def cooling_off(principal_kop: int) -> bool:
    """353-FZ since 01.09.2025: a loan this large is paid out no sooner than 4 hours after
    signing, and may be cancelled at no cost meanwhile."""
    return principal_kop >= tariff.COOLING_OFF_FROM


def _payout_card(db: Session, loan: Loan) -> Card:
    card = cards.active_card(db, loan.borrower_id)
    if card is None or card.id != loan.card_id:
        raise Refusal.one("", "Карта для выдачи больше не привязана: привяжите её снова")
    return card


def _disburse(
    db: Session, clock: Clock, settings: Settings, acquirer: Acquirer, loan: Loan, card: Card
) -> None:
    """Pay the money out and start the loan today: its dates, the ledger, the signed contract.
    Interest runs from the day after this one only. Flushes; the caller commits."""
    payout = acquirer.payout(f"payout-{loan.number}", card.token, loan.principal_kop)
    if payout.status != "succeeded":
        raise Refusal.one("", f"Банк не принял перевод: {payout.failure}")
    today = clock.today()
    loan.status = LoanStatus.ACTIVE
    loan.start_date = today
    loan.due_date = loan.original_due_date = today + timedelta(days=loan.term_days)
    db.add(loan)
    db.flush()
    book.post(
        db,
        clock,
        Kind.DISBURSEMENT,
        key=f"payout-{loan.number}",
        borrower_id=loan.borrower_id,
        loan_id=loan.id,
        lines=[
            book.Line(Account.PRINCIPAL, loan.principal_kop),
            book.Line(Account.ACQUIRER, -loan.principal_kop),
            # The chosen services' price is owed with the loan from the first day.
            book.Line(Account.SERVICES, loan.services_kop),
            book.Line(Account.SERVICES_INCOME, -loan.services_kop),
        ],
        description=f"Выдача займа по договору № {loan.number} на карту {format_card(card.masked)}",
        amount_kop=loan.principal_kop,
        external_id=f"payout-{loan.number}",
    )
    quote = pricing.quote(
        loan.principal_kop, loan.term_days, today, loan.first_loan, loan.services_kop
    )
    contracts.issue(db, clock, settings, loan, quote, DocumentKind.CONTRACT)


def disburse_due(
    db: Session, clock: Clock, settings: Settings, acquirer: Acquirer, sms: SmsGateway
) -> int:
    """The periodic job: pay out every signed loan whose cooling-off is over (on the business
    clock, `disburse_after` is a business instant); how many were.

    Each loan is locked and checked again, so two workers pay it out once (the acquirer's payout
    is idempotent per contract too); one the bank refuses waits for the next run.
    """
    due = db.exec(
        select(Loan.id).where(
            Loan.status == LoanStatus.COOLING_OFF, col(Loan.disburse_after) <= business_now(clock)
        )
    ).all()
    paid = 0
    for loan_id in due:
        loan = loans.lock_loan(db, loan_id)
        if loan is None or loan.status != LoanStatus.COOLING_OFF:
            db.rollback()
            continue
        try:
            _disburse(db, clock, settings, acquirer, loan, _payout_card(db, loan))
        except Refusal:
            db.rollback()
            continue
        borrower = db.get(Borrower, loan.borrower_id)
        if borrower is not None and borrower.phone:
            sms.send(borrower.phone, texts.loan_paid_out(loan.number, rub(loan.principal_kop)))
        db.commit()
        paid += 1
    return paid


def cancel(db: Session, clock: Clock, borrower_id: int) -> Loan:
    """«Отказаться от займа» during the cooling-off: the contract ends at no cost — no money
    was paid out, so nothing is owed and no interest accrued."""
    loan = db.exec(
        select(Loan).where(Loan.borrower_id == borrower_id, Loan.status == LoanStatus.COOLING_OFF)
    ).first()
    loan = loans.lock_loan(db, loan.id) if loan is not None and loan.id is not None else None
    if loan is None or loan.status != LoanStatus.COOLING_OFF:
        db.rollback()
        raise Refusal.one("", "Нет займа, от которого можно отказаться: деньги уже отправлены")
    loan.status = LoanStatus.CANCELLED
    loan.closed_at = clock.now()
    db.add(loan)
    db.commit()
    return loan
