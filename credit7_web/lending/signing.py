"""Signing an approved contract by SMS code (АСП) and paying the money out to the bound card.

Signing is one transaction: the code is checked, the acquirer pays out (idempotent per contract,
keyed by its number), the loan starts on the business date and the signed copy is filed.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from credit7_web.clock import Clock
from credit7_web.documents.models import DocumentKind
from credit7_web.errors import Refusal
from credit7_web.gateways.acquirer import Acquirer
from credit7_web.gateways.sms import SmsGateway
from credit7_web.identity import hashing, otp
from credit7_web.identity.fields import clean_sms_code
from credit7_web.identity.models import Borrower
from credit7_web.ledger import book
from credit7_web.ledger.models import Account, Kind
from credit7_web.lending import cards, contracts, pricing
from credit7_web.lending.models import Loan, LoanStatus
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
    """Check the SMS code, send the money to the bound card, and start the loan today."""
    loan, borrower = _awaiting(db, borrower_id, loan_id)
    code = clean_sms_code(code)  # a malformed code is refused without using up a try
    otp.verify_code(db, clock, settings, borrower.phone, otp.SIGN, code)
    card = cards.active_card(db, borrower_id)
    if card is None or card.id != loan.card_id:
        raise Refusal.one("", "Карта для выдачи больше не привязана: привяжите её снова")
    payout = acquirer.payout(f"payout-{loan.number}", card.token, loan.principal_kop)
    if payout.status != "succeeded":
        raise Refusal.one("", f"Банк не принял перевод: {payout.failure}")
    today = clock.today()
    loan.status = LoanStatus.ACTIVE
    loan.start_date = today
    loan.due_date = loan.original_due_date = today + timedelta(days=loan.term_days)
    loan.signed_at = clock.now()
    loan.signed_phone = borrower.phone
    loan.signature_code_hash = hashing.code_hash(
        settings.secret_key, borrower.phone, otp.SIGN, code
    )
    db.add(loan)
    db.flush()
    book.post(
        db,
        clock,
        Kind.DISBURSEMENT,
        key=f"payout-{loan.number}",
        borrower_id=borrower_id,
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
    db.add(loan)
    db.commit()
    return loan
