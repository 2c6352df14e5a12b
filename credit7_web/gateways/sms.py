"""SMS delivery to a borrower's phone."""

from __future__ import annotations

from typing import Protocol


class SmsGateway(Protocol):
    def send(self, phone: str, text: str) -> None:
        """Deliver `text` to the 10-digit `phone`."""
        ...
