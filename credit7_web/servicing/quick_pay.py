"""Quick pay without signing in: anyone who knows the borrower's phone and surname may pay
towards their open loan, and learns nothing else.

Only when both match a running loan does the payer see the masked name (Иван И.), the debt today
and the due date; a wrong surname, an unknown phone and a closed loan get one and the same reply.
Look-ups are counted per client address and per phone (`rate_limits`), so no one can enumerate
borrowers. The payment itself is a cabinet payment's: the same attempt, key, ledger path and
receipt, only its channel says where the payer returns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from credit7_web import rate_limits, urls
from credit7_web.clock import Clock
from credit7_web.errors import Refusal
from credit7_web.gateways.acquirer import Acquirer
from credit7_web.identity.accounts import find_borrower
from credit7_web.identity.fields import clean_phone
from credit7_web.identity.models import Profile
from credit7_web.lending.models import Loan, LoanStatus
from credit7_web.servicing import payments
from credit7_web.servicing.models import PaymentAttempt

NOT_FOUND = "Открытый заём с таким телефоном и фамилией не найден. Проверьте данные"
TOO_MANY = "Слишком много попыток поиска. Попробуйте через час"
SURNAME_FIELD = "surname"
SURNAME_EMPTY = "Укажите фамилию заёмщика"


@dataclass(frozen=True)
class Found:
    loan_id: int
    name: str  # "Иван И."
    total_kop: int
    due: date


def _same_surname(typed: str, stored: str | None) -> bool:
    def norm(text: str) -> str:
        return " ".join(text.replace("ё", "е").replace("Ё", "Е").split()).casefold()

    return bool(stored) and norm(typed) == norm(stored or "")


def find(db: Session, clock: Clock, address: str, phone_text: object, surname: object) -> Found:
    """The open loan of the borrower with this phone and surname, or the one reply for any
    mismatch. Each look-up counts against the address and the phone."""
    if not rate_limits.allow(rate_limits.QUICK_PAY_PER_ADDRESS, "quick-pay-address", address):
        raise Refusal.one("", TOO_MANY)
    phone = clean_phone(str(phone_text or ""))
    typed = str(surname or "").strip()[:100]
    if not typed:
        raise Refusal.one(SURNAME_FIELD, SURNAME_EMPTY)
    if not rate_limits.allow(rate_limits.QUICK_PAY_PER_PHONE, "quick-pay-phone", phone):
        raise Refusal.one("", TOO_MANY)
    borrower = find_borrower(db, phone)
    profile = db.get(Profile, borrower.id) if borrower is not None else None
    loan = None
    if borrower is not None and profile is not None and _same_surname(typed, profile.last_name):
        loan = payments.running_loan_or_none(db, borrower.id)  # type: ignore[arg-type]
    if loan is None or profile is None:
        raise Refusal.one("", NOT_FOUND)
    owed = payments.debt_today(db, clock, loan)
    initial = (profile.last_name or "")[:1]
    return Found(loan.id, f"{profile.first_name} {initial}.", owed.total_kop, owed.due)  # type: ignore[arg-type]


def pay(
    db: Session, clock: Clock, acquirer: Acquirer, loan_id: int, amount_text: object, key: str
) -> PaymentAttempt:
    """Open the acquirer's order for a quick payment towards the loan found."""
    loan = db.get(Loan, loan_id)
    if loan is None or loan.status != LoanStatus.ACTIVE:
        raise Refusal.one("", NOT_FOUND)
    amount = payments.parse_amount(amount_text)
    return payments.start(
        db, clock, acquirer, loan, amount, key, urls.PAYMENT_RETURN, payments.QUICK
    )
