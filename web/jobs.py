"""Scheduled work in the app process: payment reminders, every few minutes.

Every worker runs the loop; the Reminder table's unique key makes each SMS go out once.
Operators can run the same job by hand: `python -m web.jobs`.
"""

from __future__ import annotations

import asyncio
import logging

from credit7_web import wiring
from credit7_web.servicing import reminders

INTERVAL_S = 300
log = logging.getLogger(__name__)


def send_reminders() -> int:
    with wiring.unit() as u:
        return reminders.send_due_reminders(u.db, u.clock, u.sms)


async def reminder_loop() -> None:
    while True:
        try:
            sent = await asyncio.to_thread(send_reminders)
            if sent:
                log.info("payment reminders sent: %s", sent)
        except Exception:
            log.exception("payment reminders failed; retrying at the next run")
        await asyncio.sleep(INTERVAL_S)


def main() -> None:
    print(f"Напоминаний отправлено: {send_reminders()}")


if __name__ == "__main__":
    main()
