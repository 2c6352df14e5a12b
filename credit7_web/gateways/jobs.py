"""Background work the domain asks for; the web layer runs it on its task queue."""

from __future__ import annotations

from typing import Protocol


class Jobs(Protocol):
    """Each call starts a job soon, outside the request; call it only after the commit that
    made its row, so the job finds what it works on."""

    def deliver_sms(self, sms_id: int) -> None: ...

    def decide(self, application_id: int) -> None: ...
