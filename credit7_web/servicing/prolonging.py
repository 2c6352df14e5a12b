"""Prolonging in the cabinet: «Оплатить и продлить» → an SMS code signs the additional agreement →
the payment of the interest and penalty to date through the ledger's payment path
(`payments.start` with the prolongation purpose). The loan is extended only when that payment
succeeds, in the same db transaction as its booking (`payments.finish` → `extend_paid`); a first
loan before its due date owes 0 ₽ and is extended at once by the code alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from credit7_web.clock import Clock
from credit7_web.errors import Refusal
from credit7_web.gateways.acquirer import Acquirer
from credit7_web.gateways.sms import SmsGateway
from credit7_web.identity import hashing, otp
from credit7_web.identity.fields import clean_sms_code
from credit7_web.identity.models import Borrower
from credit7_web.lending import cards, loans
from credit7_web.messages import texts
from credit7_web.money import rub
from credit7_web.russian import format_date
from credit7_web.servicing import payments, prolongation
from credit7_web.servicing.models import Prolongation, ProlongationRequest
from credit7_web.settings import Settings


def _borrower(db: Session, borrower_id: int) -> Borrower:
    borrower = db.get(Borrower, borrower_id)
    if borrower is None:
        raise Refusal.one("", "Заём не найден")
    return borrower


def send_code(
    db: Session,
    clock: Clock,
    settings: Settings,
    sms: SmsGateway,
    borrower_id: int,
    loan_id: object,
) -> prolongation.Offer:
    """The SMS code that signs today's additional agreement; the offer it names."""
    loan = prolongation.own_loan(db, borrower_id, loan_id)
    agreed = prolongation.offer_for(db, clock, loan)
    borrower = _borrower(db, borrower_id)
    code = otp.issue_code(db, clock, settings, borrower.phone, otp.PROLONG)
    sms.send(
        borrower.phone,
        texts.prolong_code(
            code, loan.number, agreed.number, format_date(agreed.new_due), rub(agreed.pay_now_kop)
        ),
    )
    db.commit()
    return agreed


@dataclass(frozen=True)
class Confirmed:
    """Where the signed prolongation goes next: the acquirer's page to pay it, or done."""

    pay_url: str | None = None
    extended: Prolongation | None = None


def confirm(
    db: Session,
    clock: Clock,
    settings: Settings,
    acquirer: Acquirer,
    borrower_id: int,
    loan_id: object,
    code: object,
    key: str,
    return_url: str,
) -> Confirmed:
    """Check the code, then pay with the bound card (the acquirer's page confirms it) — or, with
    nothing to pay, extend at once."""
    loan = prolongation.own_loan(db, borrower_id, loan_id)
    borrower = _borrower(db, borrower_id)
    typed = clean_sms_code(code)
    agreed = prolongation.offer_for(db, clock, loan)
    otp.verify_code(db, clock, settings, borrower.phone, otp.PROLONG, typed)
    signature = hashing.code_hash(settings.secret_key, borrower.phone, otp.PROLONG, typed)
    if not agreed.pay_now_kop:
        locked = loans.lock_loan(db, loan.id)  # type: ignore[arg-type]
        if locked is None:
            raise Refusal.one("", "Заём не найден")
        row = prolongation.extend(
            db, clock, settings, locked, agreed, signed_phone=borrower.phone, code_hash=signature
        )
        db.commit()
        return Confirmed(extended=row)
    attempt = payments.start(
        db,
        clock,
        acquirer,
        loan,
        agreed.pay_now_kop,
        key,
        return_url,
        "cabinet",
        cards.active_card(db, borrower_id),
        purpose=prolongation.PURPOSE,
    )
    known = db.exec(
        select(ProlongationRequest).where(ProlongationRequest.attempt_id == attempt.id)
    ).first()
    if known is None:
        db.add(
            ProlongationRequest(
                attempt_id=attempt.id,  # type: ignore[arg-type]
                loan_id=loan.id,  # type: ignore[arg-type]
                number=agreed.number,
                business_date=agreed.on,
                amount_kop=agreed.pay_now_kop,
                signed_phone=borrower.phone,
                signature_code_hash=signature,
                created_at=clock.now(),
            )
        )
        db.commit()
    return Confirmed(pay_url=attempt.pay_url)
