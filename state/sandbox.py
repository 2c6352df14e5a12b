"""Sandbox pages: what the stand-in gateways did, for a person trying the app on one machine."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from credit7_web import wiring
from credit7_web.clock import to_moscow
from credit7_web.russian import format_phone
from credit7_web.sandbox.sms import outbox


@dataclass(frozen=True)
class SmsRow:
    id: int
    phone: str
    at: str
    text: str


class SmsOutboxState(rx.State):
    """The SMS outbox. Shown only while the sandbox gateways are active."""

    enabled: bool = False
    messages: list[SmsRow] = []

    @rx.event
    def load(self):
        self.enabled = wiring.settings().sandbox
        if not self.enabled:
            self.messages = []
            return
        with wiring.unit() as u:
            self.messages = [
                SmsRow(
                    id=m.id or 0,
                    phone=format_phone(m.phone),
                    at=f"{to_moscow(m.created_at):%d.%m.%Y %H:%M:%S} (мск)",
                    text=m.text,
                )
                for m in outbox(u.db)
            ]
