"""Scheduled work in the app process: payment reminders, every few minutes.

Every worker runs the loop; the Reminder table's unique key makes each SMS go out once.
Operators can run the same job by hand: `python -m credit7_web.reminders`.
"""

from __future__ import annotations

import asyncio
import logging

from credit7_web import reminders
from credit7_web.business_clock import clock_for
from state.context import db, sms

INTERVAL_S = 300
log = logging.getLogger(__name__)


def _send_once() -> int:
    with db() as s:
        return reminders.send_due_reminders(s, clock_for(s), sms(s))


async def reminder_loop() -> None:
    while True:
        try:
            sent = await asyncio.to_thread(_send_once)
            if sent:
                log.info("payment reminders sent: %s", sent)
        except Exception:
            log.exception("payment reminders failed; retrying at the next run")
        await asyncio.sleep(INTERVAL_S)
