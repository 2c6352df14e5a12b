"""The card acquirer: binding a card on its hosted payment page, and payouts to a bound card.

The lender never sees a card number or CVC. The browser goes to the acquirer's page with an
order id, types the card there, and comes back with only that order id; the lender then asks the
acquirer, server to server, what happened (`binding_result`) and keeps the token, the masked
number and the expiry it answers with. A payout names a card by its token.
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


_ORDER_ID = re.compile(r"[A-Za-z0-9_-]{8,40}")


def valid_order_id(order_id: object) -> bool:
    """Order ids are 8 to 40 letters, digits, '-' or '_': anything else is never sent on."""
    return isinstance(order_id, str) and _ORDER_ID.fullmatch(order_id) is not None
