"""SMS: what the domain calls to send one, and the outside service that delivers it."""

from __future__ import annotations

from typing import Protocol


class SmsGateway(Protocol):
    def send(self, phone: str, text: str) -> None:
        """Send `text` to the 10-digit `phone` once the caller's transaction commits."""
        ...


class SmsSender(Protocol):
    """The SMS provider. Delivery may be retried after a crash: a second call with the same
    `key` must not deliver a second message."""

    def deliver(self, phone: str, text: str, key: str) -> None: ...
