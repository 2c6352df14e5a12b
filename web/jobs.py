"""Background work on the task queue (`web/queue.py`), run by the worker (`web/worker.py`).

Two kinds. Jobs the domain starts after a commit (`Jobs`): deliver an SMS from the outbox,
decide an application. Periodic jobs: PERIODIC is the one place to register one; a single
scheduler (the worker's) starts them, however many web workers run. The database, not the queue,
says what is still to do: a job lost with a killed worker is started again by the sweep (at the
worker's start and every minute), and every job is safe to run twice (an SMS leaves the outbox in
its delivery's transaction, a decision claims its application, a reminder has a unique key).
Operators can send the due reminders once by hand: `python -m web.jobs`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from credit7_web import wiring
from credit7_web.identity import deletion
from credit7_web.lending import applications, signing
from credit7_web.messages import outbox
from credit7_web.servicing import reconcile, reminders, services
from web.queue import huey

log = logging.getLogger(__name__)
RETRY_DELAY_S = 10
# An application still undecided this long after it was filed lost its job: the sweep restarts it.
DECISION_SWEEP_AFTER = timedelta(seconds=60)


@huey.task(retries=5, retry_delay=RETRY_DELAY_S)
def deliver_sms(sms_id: int) -> bool:
    with wiring.unit() as u:
        return outbox.deliver(u.db, u.sms_sender, sms_id)


@huey.task(retries=3, retry_delay=RETRY_DELAY_S)
def decide(application_id: int) -> None:
    log.info("application %s: deciding", application_id)
    with wiring.unit() as u:
        decided = applications.decide(u.db, u.clock, u.settings, u.bureaus, u.sms, application_id)
    log.info("application %s: %s", application_id, decided.status)


class QueuedJobs:
    """The domain's `Jobs`, as huey tasks."""

    def deliver_sms(self, sms_id: int) -> None:
        deliver_sms(sms_id)

    def decide(self, application_id: int) -> None:
        decide(application_id)


wiring.use_jobs(QueuedJobs())


def restart_lost_jobs(everything: bool = False) -> int:
    """Queue again the work whose job is gone; `everything` at a worker's start (its own jobs
    died with it), otherwise only work older than a job normally takes."""
    with wiring.unit() as u:
        now = u.clock.now()
        sms = outbox.undelivered(u.db, None if everything else now - outbox.SWEEP_AFTER)
        waiting = applications.scoring_applications(
            u.db, None if everything else now - DECISION_SWEEP_AFTER
        )
    for sms_id in sms:
        deliver_sms(sms_id)
    for application_id in waiting:
        decide(application_id)
    return len(sms) + len(waiting)


@dataclass(frozen=True)
class Periodic:
    """A periodic job: what it is called in the log, one run of it (returns how much it did),
    and how often it runs (minutes, a divisor of 60)."""

    name: str
    run: Callable[[], int]
    every_minutes: int = 5


def send_reminders() -> int:
    with wiring.unit() as u:
        return reminders.send_due_reminders(u.db, u.clock, u.settings.lender, u.sms)


def delete_due_accounts() -> int:
    with wiring.unit() as u:
        return deletion.run_due_deletions(u.db, u.clock, u.settings, u.sms)


def disburse_after_cooling_off() -> int:
    """Pay out the signed loans of 50 000 ₽ and more whose 4 hours have passed."""
    with wiring.unit() as u:
        return signing.disburse_due(u.db, u.clock, u.settings, u.acquirer, u.sms)


def refund_refused_services() -> int:
    """Refund the refused extra services (each due within 7 working days)."""
    with wiring.unit() as u:
        return services.refund_due(u.db, u.clock, u.settings, u.acquirer)


def reconcile_ledger() -> int:
    """Finish payments whose payer never came back, book accruals, and log every difference."""
    with wiring.unit() as u:
        found = reconcile.run(u.db, u.clock, u.settings, u.acquirer, u.sms)
    for line in found:
        log.error("ledger: %s", line)
    return len(found)


PERIODIC = (Periodic("payment reminders", send_reminders),)
PERIODIC += (Periodic("account deletions", delete_due_accounts),)
PERIODIC += (Periodic("lost jobs restarted", restart_lost_jobs, every_minutes=1),)
PERIODIC += (Periodic("ledger reconciliation", reconcile_ledger),)
PERIODIC += (Periodic("cooling-off payouts", disburse_after_cooling_off),)
PERIODIC += (Periodic("service refunds", refund_refused_services),)


def main() -> None:
    print(f"Напоминаний отправлено: {send_reminders()}")


if __name__ == "__main__":
    main()
