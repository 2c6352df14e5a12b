"""Scheduled work in the app process: every periodic job, run every few minutes.

Every worker runs the loop; each job is idempotent (payment reminders have a unique key per loan,
kind and due date), so a job that two workers run at once still acts once.
Operators can run every job once by hand: `python -m web.jobs`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass

from credit7_web import wiring
from credit7_web.identity import deletion
from credit7_web.ledger import reconcile
from credit7_web.servicing import reminders

INTERVAL_S = 300
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Periodic:
    """A job: what it is called in the log, and one run of it (returns how much it did)."""

    name: str
    run: Callable[[], int]


def send_reminders() -> int:
    with wiring.unit() as u:
        return reminders.send_due_reminders(u.db, u.clock, u.settings.lender, u.sms)


def delete_due_accounts() -> int:
    with wiring.unit() as u:
        return deletion.run_due_deletions(u.db, u.clock, u.settings, u.sms)


def reconcile_ledger() -> int:
    """Finish payments whose payer never came back, book accruals, and log every difference."""
    with wiring.unit() as u:
        found = reconcile.run(u.db, u.clock, u.settings, u.acquirer, u.sms)
    for line in found:
        log.error("ledger: %s", line)
    return len(found)


PERIODIC = (Periodic("payment reminders", send_reminders),)
PERIODIC += (Periodic("account deletions", delete_due_accounts),)
PERIODIC += (Periodic("ledger reconciliation", reconcile_ledger),)


def run_all() -> dict[str, int]:
    """One run of every job; a failing job is logged and does not stop the others."""
    done = {}
    for job in PERIODIC:
        try:
            done[job.name] = job.run()
        except Exception:
            log.exception("%s failed; retrying at the next run", job.name)
    return done


async def periodic_loop() -> None:
    while True:
        for name, count in (await asyncio.to_thread(run_all)).items():
            if count:
                log.info("%s: %s", name, count)
        await asyncio.sleep(INTERVAL_S)


def main() -> None:
    print(f"Напоминаний отправлено: {send_reminders()}")


if __name__ == "__main__":
    main()
