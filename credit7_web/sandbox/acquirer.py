"""The sandbox acquirer: the lender's side of `gateways.acquirer.Acquirer`, and the hosted page's.

Its records (`SandboxAcquirerOrder`, `SandboxAcquirerCard`) are its own: the app reads them only
through the `Acquirer` interface, as it would read a real acquirer's API. It writes in the
caller's session and only flushes; the caller commits. Even the sandbox keeps no card number: a
card is its token, masked number, expiry and the behaviour its test number chose.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select, update

from credit7_web import tariff
from credit7_web.clock import Clock
from credit7_web.gateways.acquirer import (
    BindingResult,
    ChargeResult,
    PayoutResult,
    valid_order_id,
)
from credit7_web.sandbox.models import SandboxAcquirerCard, SandboxAcquirerOrder

# ----------------------------------------------------------------------------- test cards


class Behaviour:
    SUCCESS = "success"
    DECLINED = "declined"
    INSUFFICIENT = "insufficient"
    THREE_DS = "3ds"


DECLINED_TEXT = "Банк отклонил операцию"
INSUFFICIENT_TEXT = "Недостаточно средств на карте"
WRONG_3DS_TEXT = "Неверный код подтверждения 3-D Secure"
CANCELLED_TEXT = "Привязка карты отменена"
CHARGE_CANCELLED_TEXT = "Оплата отменена"
UNKNOWN_ORDER_TEXT = "Эквайер не знает такой операции"
UNKNOWN_CARD_TEXT = "Карта не найдена у эквайера"

FAILURE_TEXT = {Behaviour.DECLINED: DECLINED_TEXT, Behaviour.INSUFFICIENT: INSUFFICIENT_TEXT}

THREE_DS_CODE = "123456"


@dataclass(frozen=True)
class TestCard:
    number: str
    behaviour: str
    description: str

    __test__ = False  # not a pytest class


CARD_SUCCESS = TestCard("4111 1111 1111 1111", Behaviour.SUCCESS, "Успешная привязка и выплаты")
CARD_DECLINED = TestCard("4000 0000 0000 0002", Behaviour.DECLINED, f"Отказ: «{DECLINED_TEXT}»")
CARD_INSUFFICIENT = TestCard(
    "4000 0000 0000 9995", Behaviour.INSUFFICIENT, f"Отказ: «{INSUFFICIENT_TEXT}»"
)
CARD_3DS = TestCard(
    "4000 0000 0000 3220",
    Behaviour.THREE_DS,
    f"Запрашивает код 3-D Secure: верный код {THREE_DS_CODE}, любой другой — отказ",
)
TEST_CARDS = (CARD_SUCCESS, CARD_DECLINED, CARD_INSUFFICIENT, CARD_3DS)
OTHER_CARDS_TEXT = "Любой другой номер с верной контрольной цифрой (Луна) — как успешная карта"

_BEHAVIOUR_BY_NUMBER = {card.number.replace(" ", ""): card.behaviour for card in TEST_CARDS}


def card_digits(text: str) -> str:
    """The digits of a typed card number; spaces and dashes between groups are allowed."""
    return re.sub(r"[\s-]", "", text or "")


def luhn_ok(digits: str) -> bool:
    if not digits.isascii() or not digits.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def mask(digits: str) -> str:
    """First 6 and last 4 digits: '4111111111111111' -> '411111******1111'."""
    return digits[:6] + "*" * (len(digits) - 10) + digits[-4:]


def behaviour_of(digits: str) -> str:
    return _BEHAVIOUR_BY_NUMBER.get(digits, Behaviour.SUCCESS)


# ----------------------------------------------------------------------------- card checks
# The hosted page's own checks, repeated on the server: the browser's word is never taken.

PAN_MIN_DIGITS = 13
PAN_MAX_DIGITS = 19
EXPIRY_MAX_YEARS = 20

BAD_PAN = "Проверьте номер карты"
BAD_EXPIRY = "Укажите срок действия в виде ММ/ГГ"
BAD_MONTH = "Месяц — от 01 до 12"
EXPIRED = "Срок действия карты истёк"
TOO_FAR = "Проверьте срок действия карты"
BAD_CVC = "CVC — три цифры на обороте карты"
BAD_HOLDER = "Имя держателя — латинские буквы, как на карте"


@dataclass(frozen=True)
class CardEntry:
    """A card as typed on the hosted page, checked. Lives only for one request."""

    digits: str
    expiry_month: int
    expiry_year: int

    def __repr__(self) -> str:  # never print a card number into a log or a traceback
        return f"CardEntry({mask(self.digits)}, {self.expiry_month:02d}/{self.expiry_year})"


class CardEntryError(Exception):
    """Field messages in Russian, keyed by the hosted page's field names."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(", ".join(errors))  # field names only: no typed value in the text
        self.errors = errors


# "12/28", "1/2030", or the four digits alone, as a card's expiry is pasted: "1228".
_EXPIRY = re.compile(r"\s*(?:(\d{1,2})\s*/\s*(\d{2}|\d{4})|(\d{2})(\d{2}))\s*")
_HOLDER = re.compile(r"[A-Za-z][A-Za-z .'-]{0,59}")


def check_card_entry(pan: str, expiry: str, cvc: str, holder: str, today: date) -> CardEntry:
    """The typed card, or CardEntryError naming every wrong field at once."""
    errors: dict[str, str] = {}
    digits = card_digits(pan)
    if not (
        digits.isascii()
        and digits.isdigit()
        and PAN_MIN_DIGITS <= len(digits) <= PAN_MAX_DIGITS
        and luhn_ok(digits)
    ):
        errors["pan"] = BAD_PAN
    month = year = 0
    match = _EXPIRY.fullmatch(expiry or "")
    month_text, year_text = (match[1] or match[3], match[2] or match[4]) if match else ("", "")
    if match is None or not month_text.isascii() or not year_text.isascii():
        errors["expiry"] = BAD_EXPIRY
    else:
        month = int(month_text)
        year = int(year_text) + (2000 if len(year_text) == 2 else 0)
        if not 1 <= month <= 12:
            errors["expiry"] = BAD_MONTH
        elif (year, month) < (today.year, today.month):
            errors["expiry"] = EXPIRED
        elif year > today.year + EXPIRY_MAX_YEARS:
            errors["expiry"] = TOO_FAR
    cvc = (cvc or "").strip()
    if not (len(cvc) == 3 and cvc.isascii() and cvc.isdigit()):
        errors["cvc"] = BAD_CVC
    holder = (holder or "").strip()
    if holder and not _HOLDER.fullmatch(holder):
        errors["holder"] = BAD_HOLDER
    if errors:
        raise CardEntryError(errors)
    return CardEntry(digits, month, year)


# ----------------------------------------------------------------------------- the sandbox


class OrderStatus:
    NEW = "new"  # waiting for the card on the hosted page
    THREE_DS = "3ds"  # waiting for the 3-D Secure code
    SUCCEEDED = "succeeded"
    FAILED = "failed"


OPEN_STATUSES = (OrderStatus.NEW, OrderStatus.THREE_DS)
KIND_BIND = "bind"
KIND_CHARGE = "charge"
KIND_REFUND = "refund"
HOSTED_KINDS = (KIND_BIND, KIND_CHARGE)  # orders the payer finishes on the hosted page
KIND_PAYOUT = "payout"

HOSTED_PAGE = "/sandbox/acquirer/pay/{order_id}"
THREE_DS_PAGE = "/sandbox/acquirer/3ds/{order_id}"


def safe_return_url(url: str) -> bool:
    """A local path or an http(s) URL; never `javascript:` or a protocol-relative `//host`."""
    if not isinstance(url, str) or not url or len(url) > 300 or "\\" in url:
        return False
    if any(ord(ch) < 33 for ch in url):
        return False
    if url.startswith("/"):
        return not url.startswith("//")
    return re.match(r"https?://[^/?#]+", url, re.IGNORECASE) is not None


def with_order(return_url: str, order_id: str) -> str:
    """`return_url` with `order=<id>` added to its query string."""
    base, hash_mark, fragment = return_url.partition("#")
    joiner = "&" if "?" in base else "?"
    return f"{base}{joiner}order={order_id}{hash_mark}{fragment}"


def random_check_amount() -> int:
    """The verification charge, in kopecks, within the tariff's 1–10 ₽."""
    span = tariff.CARD_CHECK_MAX - tariff.CARD_CHECK_MIN + 1
    return tariff.CARD_CHECK_MIN + secrets.randbelow(span)


class SandboxAcquirer:
    """The sandbox acquirer: the lender's side (`Acquirer`) and the hosted page's side."""

    def __init__(self, db: Session, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    # -- the lender's side -------------------------------------------------------------

    def start_binding(self, order_id: str, return_url: str) -> str:
        if not valid_order_id(order_id):
            raise ValueError("order id: 8–40 letters, digits, '-' or '_'")
        if not safe_return_url(return_url):
            raise ValueError("return_url must be a local path or an http(s) URL")
        if self.db.get(SandboxAcquirerOrder, order_id) is not None:
            raise ValueError(f"order {order_id} already exists")
        self.db.add(
            SandboxAcquirerOrder(
                order_id=order_id,
                kind=KIND_BIND,
                return_url=return_url,
                status=OrderStatus.NEW,
                created_at=self.clock.now(),
            )
        )
        self.db.flush()
        return HOSTED_PAGE.format(order_id=order_id)

    def binding_result(self, order_id: str) -> BindingResult:
        order = self.db.get(SandboxAcquirerOrder, order_id)
        if order is None or order.kind != KIND_BIND:
            return BindingResult(status="failed", failure=UNKNOWN_ORDER_TEXT)
        if order.status in OPEN_STATUSES:
            return BindingResult(status="pending")
        if order.status == OrderStatus.FAILED:
            return BindingResult(status="failed", failure=order.failure or DECLINED_TEXT)
        card = self.db.get(SandboxAcquirerCard, order.card_token) if order.card_token else None
        if card is None:
            return BindingResult(status="failed", failure=UNKNOWN_CARD_TEXT)
        return BindingResult(
            status="succeeded",
            card_token=card.token,
            masked=card.masked,
            expiry_month=card.expiry_month,
            expiry_year=card.expiry_year,
            check_amount_kop=order.check_amount_kop,
        )

    def payout(self, order_id: str, card_token: str, amount_kop: int) -> PayoutResult:
        if not valid_order_id(order_id):
            raise ValueError("order id: 8–40 letters, digits, '-' or '_'")
        if amount_kop <= 0:
            raise ValueError("a payout is a positive sum")
        done = self.db.get(SandboxAcquirerOrder, order_id)
        if done is not None:
            if done.kind != KIND_PAYOUT:
                raise ValueError(f"order {order_id} is not a payout")
            return _payout_result(done)
        card = self.db.get(SandboxAcquirerCard, card_token)
        if card is None:
            status, failure = OrderStatus.FAILED, UNKNOWN_CARD_TEXT
        elif card.behaviour in FAILURE_TEXT:
            status, failure = OrderStatus.FAILED, FAILURE_TEXT[card.behaviour]
        else:
            status, failure = OrderStatus.SUCCEEDED, None
        order = SandboxAcquirerOrder(
            order_id=order_id,
            kind=KIND_PAYOUT,
            amount_kop=amount_kop,
            status=status,
            card_token=card_token if card is not None else None,
            failure=failure,
            created_at=self.clock.now(),
            finished_at=self.clock.now(),
        )
        self.db.add(order)
        self.db.flush()
        return _payout_result(order)

    def start_charge(
        self, order_id: str, amount_kop: int, return_url: str, card_token: str | None = None
    ) -> str:
        if amount_kop <= 0:
            raise ValueError("a charge is a positive sum")
        url = self.start_binding(order_id, return_url)
        order = self.db.get(SandboxAcquirerOrder, order_id)
        assert order is not None  # noqa: S101  (made just above)
        order.kind, order.amount_kop, order.card_token = KIND_CHARGE, amount_kop, card_token
        self.db.add(order)
        self.db.flush()
        return url

    def charge_result(self, order_id: str) -> ChargeResult:
        order = self.db.get(SandboxAcquirerOrder, order_id)
        if order is None or order.kind != KIND_CHARGE:
            return ChargeResult(status="failed", failure=UNKNOWN_ORDER_TEXT)
        if order.status in OPEN_STATUSES:
            return ChargeResult(status="pending", amount_kop=order.amount_kop)
        if order.status == OrderStatus.FAILED:
            return ChargeResult(status="failed", failure=order.failure or DECLINED_TEXT)
        return ChargeResult(status="succeeded", amount_kop=order.amount_kop)

    def refund(self, order_id: str, amount_kop: int) -> PayoutResult:
        charge = self.db.get(SandboxAcquirerOrder, order_id)
        if charge is None or charge.kind != KIND_CHARGE or charge.status != OrderStatus.SUCCEEDED:
            return PayoutResult(status="failed", failure=UNKNOWN_ORDER_TEXT)
        if not 0 < amount_kop <= charge.amount_kop:
            raise ValueError("a refund is a positive part of the charge")
        refund_id = f"{order_id}-r"
        done = self.db.get(SandboxAcquirerOrder, refund_id)
        if done is None:
            now = self.clock.now()
            done = SandboxAcquirerOrder(
                order_id=refund_id,
                kind=KIND_REFUND,
                amount_kop=amount_kop,
                status=OrderStatus.SUCCEEDED,
                card_token=charge.card_token,
                created_at=now,
                finished_at=now,
            )
            self.db.add(done)
            self.db.flush()
        return _payout_result(done)

    def settled_charges(self) -> dict[str, int]:
        rows = self.db.exec(
            select(SandboxAcquirerOrder)
            .where(SandboxAcquirerOrder.kind == KIND_CHARGE)
            .where(SandboxAcquirerOrder.status == OrderStatus.SUCCEEDED)
        )
        return {row.order_id: row.amount_kop for row in rows}

    # -- the hosted page's side ----------------------------------------------------------

    def open_order(
        self, order_id: str, status: str = OrderStatus.NEW
    ) -> SandboxAcquirerOrder | None:
        """A binding order waiting in `status`, or None (unknown, finished, or a payout)."""
        if not valid_order_id(order_id):
            return None
        order = self.db.get(SandboxAcquirerOrder, order_id)
        if order is None or order.kind not in HOSTED_KINDS or order.status != status:
            return None
        return order

    def submit_card(self, order_id: str, entry: CardEntry) -> SandboxAcquirerOrder | None:
        """The card typed on the hosted page; the order after it (None if it was not open).

        A declined or short-of-funds card fails the order; the 3-D Secure card waits for its
        code; any other card succeeds and carries the verification charge.
        """
        behaviour = behaviour_of(entry.digits)
        if behaviour in FAILURE_TEXT:
            return self._finish(
                order_id, OrderStatus.NEW, OrderStatus.FAILED, failure=FAILURE_TEXT[behaviour]
            )
        token = "sbx_" + secrets.token_urlsafe(24)
        charge = self._kind(order_id) == KIND_CHARGE
        if behaviour == Behaviour.THREE_DS:
            moved = self._move(
                order_id, OrderStatus.NEW, status=OrderStatus.THREE_DS, card_token=token
            )
        else:
            moved = self._move(
                order_id,
                OrderStatus.NEW,
                status=OrderStatus.SUCCEEDED,
                card_token=token,
                check_amount_kop=None if charge else random_check_amount(),
                finished_at=self.clock.now(),
            )
        if not moved:
            return None
        self.db.add(
            SandboxAcquirerCard(
                token=token,
                masked=mask(entry.digits),
                expiry_month=entry.expiry_month,
                expiry_year=entry.expiry_year,
                behaviour=behaviour,
            )
        )
        self.db.flush()
        return self._order(order_id)

    def submit_3ds(self, order_id: str, code: str) -> SandboxAcquirerOrder | None:
        """The 3-D Secure code: the right one completes the binding, a wrong one fails it."""
        if secrets.compare_digest((code or "").strip().encode(), THREE_DS_CODE.encode()):
            charge = self._kind(order_id) == KIND_CHARGE
            return self._finish(
                order_id,
                OrderStatus.THREE_DS,
                OrderStatus.SUCCEEDED,
                check_amount_kop=None if charge else random_check_amount(),
            )
        return self._finish(order_id, OrderStatus.THREE_DS, OrderStatus.FAILED, WRONG_3DS_TEXT)

    def confirm_bound(self, order_id: str) -> SandboxAcquirerOrder | None:
        """The payer confirmed a charge of their bound card: it behaves as its test number."""
        order = self.open_order(order_id)
        card = self.db.get(SandboxAcquirerCard, order.card_token or "") if order else None
        if card is None:
            return None
        if card.behaviour in FAILURE_TEXT:
            return self._finish(
                order_id, OrderStatus.NEW, OrderStatus.FAILED, FAILURE_TEXT[card.behaviour]
            )
        if card.behaviour == Behaviour.THREE_DS:
            if not self._move(order_id, OrderStatus.NEW, status=OrderStatus.THREE_DS):
                return None
            return self._order(order_id)
        return self._finish(order_id, OrderStatus.NEW, OrderStatus.SUCCEEDED)

    def _kind(self, order_id: str) -> str | None:
        order = self.db.get(SandboxAcquirerOrder, order_id)
        return order.kind if order else None

    def cancel(self, order_id: str) -> SandboxAcquirerOrder | None:
        """The borrower gave up on the hosted page."""
        text = CHARGE_CANCELLED_TEXT if self._kind(order_id) == KIND_CHARGE else CANCELLED_TEXT
        for status in OPEN_STATUSES:
            order = self._finish(order_id, status, OrderStatus.FAILED, text)
            if order is not None:
                return order
        return None

    def _move(self, order_id: str, from_status: str, **values: object) -> bool:
        """Change an order only if it is still in `from_status`: a double submit moves it once."""
        result = self.db.execute(
            update(SandboxAcquirerOrder)
            .where(col(SandboxAcquirerOrder.order_id) == order_id)
            .where(col(SandboxAcquirerOrder.kind).in_(HOSTED_KINDS))
            .where(col(SandboxAcquirerOrder.status) == from_status)
            .values(**values)
        )
        return result.rowcount == 1

    def _finish(
        self,
        order_id: str,
        from_status: str,
        to_status: str,
        failure: str | None = None,
        check_amount_kop: int | None = None,
    ) -> SandboxAcquirerOrder | None:
        if not self._move(
            order_id,
            from_status,
            status=to_status,
            failure=failure,
            check_amount_kop=check_amount_kop,
            finished_at=self.clock.now(),
        ):
            return None
        return self._order(order_id)

    def _order(self, order_id: str) -> SandboxAcquirerOrder | None:
        order = self.db.get(SandboxAcquirerOrder, order_id)
        if order is not None:
            self.db.refresh(order)
        return order


def _payout_result(order: SandboxAcquirerOrder) -> PayoutResult:
    if order.status == OrderStatus.SUCCEEDED:
        return PayoutResult(status="succeeded")
    return PayoutResult(status="failed", failure=order.failure)
