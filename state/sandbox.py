"""Sandbox pages: what the stand-in gateways did, for a person trying the app on one machine."""

from __future__ import annotations

import reflex as rx

from credit7_web.clock import to_moscow
from credit7_web.gateways.sms import outbox
from credit7_web.validators import format_phone
from state.context import db, settings


class SandboxSmsState(rx.State):
    """The SMS outbox. Shown only while the sandbox gateways are active."""

    enabled: bool = False
    messages: list[dict[str, str]] = []

    @rx.event
    def load(self):
        self.enabled = settings().sandbox
        if not self.enabled:
            self.messages = []
            return
        with db() as s:
            self.messages = [
                {
                    "id": str(m.id),
                    "phone": format_phone(m.phone),
                    "at": f"{to_moscow(m.created_at):%d.%m.%Y %H:%M:%S} (мск)",
                    "text": m.text,
                }
                for m in outbox(s)
            ]
