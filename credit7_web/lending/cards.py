"""Binding the borrower's bank card through the acquirer's hosted page.

`start_binding` opens an order and gives the page to send the browser to; the browser comes back
with only the order id, and `finish_binding` asks the acquirer what happened. The lender keeps
the acquirer's token, the masked number and the expiry — never the card number or CVC — and the
verification charge with its refund in the history of operations.
"""

from __future__ import annotations

import secrets

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from credit7_web.clock import Clock
from credit7_web.errors import Refusal
from credit7_web.gateways.acquirer import Acquirer, valid_order_id
from credit7_web.ledger import book
from credit7_web.ledger.models import Account, Kind
from credit7_web.lending.models import BindingStatus, Card, CardBinding, CardStatus
from credit7_web.russian import format_card

BINDING_NOT_FOUND = "Привязка карты не найдена. Начните привязку заново"
BINDING_PENDING = "Банк ещё не подтвердил привязку карты. Обновите страницу через минуту"
BINDING_FAILED = "Не удалось привязать карту"
BAD_ACQUIRER_ANSWER = "Эквайер вернул неполный ответ. Попробуйте привязать карту ещё раз"

CHECK_TEXT = "Проверочное списание при привязке карты {masked}"
CHECK_REFUND_TEXT = "Возврат проверочного списания"


def new_order_id() -> str:
    return secrets.token_hex(16)


def check_external_id(order_id: str) -> str:
    return f"card-check:{order_id}"


def refund_external_id(order_id: str) -> str:
    return f"card-check-refund:{order_id}"


def start_binding(
    db: Session, clock: Clock, acquirer: Acquirer, borrower_id: int, return_url: str
) -> str:
    """Open a binding; the URL of the acquirer's hosted page for it."""
    order_id = new_order_id()
    db.add(
        CardBinding(
            borrower_id=borrower_id,
            order_id=order_id,
            status=BindingStatus.PENDING,
            created_at=clock.now(),
        )
    )
    url = acquirer.start_binding(order_id, return_url)
    db.commit()
    return url


def _binding(db: Session, borrower_id: int, order_id: str) -> CardBinding:
    binding = None
    if isinstance(order_id, str) and order_id:
        binding = db.exec(select(CardBinding).where(CardBinding.order_id == order_id)).first()
    if binding is None or binding.borrower_id != borrower_id:
        # The same words for "unknown" and "someone else's": an order id reveals nothing.
        raise Refusal.one("", BINDING_NOT_FOUND)
    return binding


def _bound_card(db: Session, binding: CardBinding) -> Card:
    card = db.get(Card, binding.card_id) if binding.card_id is not None else None
    if card is None:
        raise RuntimeError(f"binding {binding.order_id} succeeded without a card")
    return card


def finish_binding(
    db: Session, clock: Clock, acquirer: Acquirer, borrower_id: int, order_id: str
) -> Card:
    """The card bound by the order, as the acquirer reports it; a repeated call changes nothing."""
    binding = _binding(db, borrower_id, order_id)
    if binding.status == BindingStatus.SUCCEEDED:
        return _bound_card(db, binding)
    if binding.status == BindingStatus.FAILED:
        raise Refusal.one("", binding.failure or BINDING_FAILED)

    result = acquirer.binding_result(order_id)
    if result.status == "pending":
        raise Refusal.one("", BINDING_PENDING)
    if result.status == "failed":
        failure = (result.failure or BINDING_FAILED)[:200]
        binding.status = BindingStatus.FAILED
        binding.failure = failure
        binding.finished_at = clock.now()
        db.add(binding)
        db.commit()
        raise Refusal.one("", failure)
    if (
        not result.card_token
        or not result.masked
        or result.expiry_month is None
        or result.expiry_year is None
        or result.check_amount_kop is None
    ):
        raise Refusal.one("", BAD_ACQUIRER_ANSWER)

    now = clock.now()
    try:
        for old in db.exec(
            select(Card)
            .where(Card.borrower_id == borrower_id)
            .where(Card.status == CardStatus.ACTIVE)
        ):
            old.status = CardStatus.REMOVED
            db.add(old)
        card = Card(
            borrower_id=borrower_id,
            token=result.card_token,
            masked=result.masked,
            expiry_month=result.expiry_month,
            expiry_year=result.expiry_year,
            status=CardStatus.ACTIVE,
            bound_at=now,
        )
        db.add(card)
        db.flush()
        check = result.check_amount_kop
        book.post(
            db,
            clock,
            Kind.CARD_CHECK,
            key=check_external_id(order_id),
            borrower_id=borrower_id,
            lines=[book.Line(Account.ACQUIRER, check), book.Line(Account.CARD_CHECKS, -check)],
            description=CHECK_TEXT.format(masked=format_card(result.masked)),
            amount_kop=-check,
            external_id=check_external_id(order_id),
        )
        book.post(
            db,
            clock,
            Kind.CARD_CHECK_REFUND,
            key=refund_external_id(order_id),
            borrower_id=borrower_id,
            lines=[book.Line(Account.CARD_CHECKS, check), book.Line(Account.ACQUIRER, -check)],
            description=CHECK_REFUND_TEXT,
            amount_kop=check,
            external_id=refund_external_id(order_id),
        )
        binding.status = BindingStatus.SUCCEEDED
        binding.card_id = card.id
        binding.finished_at = now
        db.add(binding)
        db.commit()
    except IntegrityError:
        # Another request finished this order first (its operations' keys are taken).
        db.rollback()
        binding = _binding(db, borrower_id, order_id)
        if binding.status != BindingStatus.SUCCEEDED:
            raise
        return _bound_card(db, binding)
    db.refresh(card)
    return card


BINDING_DONE = "Карта привязана. Проверочное списание возвращено на карту."


def binding_outcome(db: Session, borrower_id: int, order_id: object) -> tuple[str, bool] | None:
    """How this borrower's binding ended, for the page the acquirer sent them back to:
    (what to say, whether it failed); None while unknown, pending or someone else's."""
    if not valid_order_id(order_id):
        return None
    binding = db.exec(
        select(CardBinding).where(
            CardBinding.order_id == order_id, CardBinding.borrower_id == borrower_id
        )
    ).first()
    if binding is None:
        return None
    if binding.failure:
        return binding.failure, True
    if binding.card_id:
        return BINDING_DONE, False
    return None


def active_card(db: Session, borrower_id: int) -> Card | None:
    return db.exec(
        select(Card)
        .where(Card.borrower_id == borrower_id)
        .where(Card.status == CardStatus.ACTIVE)
        .order_by(col(Card.id).desc())
    ).first()


def card_label(card: Card) -> str:
    """'Карта •••• 1111, до 12/28': a label on its own (in a sentence, use `format_card`)."""
    expiry = f"{card.expiry_month:02d}/{card.expiry_year % 100:02d}"
    return f"Карта {format_card(card.masked)}, до {expiry}"
