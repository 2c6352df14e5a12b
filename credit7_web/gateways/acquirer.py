"""The card acquirer: binding a card on its hosted payment page, payouts to a bound card, and
charges (a borrower paying) on the same hosted page, with a new card or a bound one.

The lender never sees a card number or CVC. The browser goes to the acquirer's page with an
order id, types the card there, and comes back with only that order id; the lender then asks the
acquirer, server to server, what happened (`binding_result`) and keeps the token, the masked
number and the expiry it answers with. A payout names a card by its token. A charge works like
a binding: `start_charge` opens the order, the payer confirms it on the hosted page (3-D Secure
when the card asks for it), and the lender asks `charge_result` — also for an order whose payer
never came back. `settled_charges` is the acquirer's own report, for reconciliation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, Protocol

BindingStatusText = Literal["pending", "succeeded", "failed"]
PayoutStatusText = Literal["succeeded", "failed"]


@dataclass(frozen=True)
class BindingResult:
    status: BindingStatusText
    card_token: str | None = None
    masked: str | None = None
    expiry_month: int | None = None
    expiry_year: int | None = None
    check_amount_kop: int | None = None
    failure: str | None = None


@dataclass(frozen=True)
class ChargeResult:
    status: BindingStatusText
    amount_kop: int = 0
    failure: str | None = None


@dataclass(frozen=True)
class PayoutResult:
    status: PayoutStatusText
    failure: str | None = None


class Acquirer(Protocol):
    def start_binding(self, order_id: str, return_url: str) -> str:
        """Open a binding order; the URL of the hosted page the browser is sent to."""
        ...

    def binding_result(self, order_id: str) -> BindingResult:
        """What happened to a binding order, asked server to server."""
        ...

    def payout(self, order_id: str, card_token: str, amount_kop: int) -> PayoutResult:
        """Pay `amount_kop` to the card; the same `order_id` again pays once, same answer."""
        ...

    def start_charge(
        self, order_id: str, amount_kop: int, return_url: str, card_token: str | None = None
    ) -> str:
        """Open a charge of `amount_kop` (with a bound card's token, or a card typed on the page);
        the URL of the hosted page the payer is sent to."""
        ...

    def charge_result(self, order_id: str) -> ChargeResult:
        """What happened to a charge order, asked server to server."""
        ...

    def refund(self, order_id: str, amount_kop: int) -> PayoutResult:
        """Return part of a succeeded charge to the card it came from (once per charge)."""
        ...

    def settled_charges(self) -> dict[str, int]:
        """Every succeeded charge: order id → kopecks (the acquirer's settlement report)."""
        ...


_ORDER_ID = re.compile(r"[A-Za-z0-9_-]{8,40}")


def valid_order_id(order_id: object) -> bool:
    """Order ids are 8 to 40 letters, digits, '-' or '_': anything else is never sent on."""
    return isinstance(order_id, str) and _ORDER_ID.fullmatch(order_id) is not None
