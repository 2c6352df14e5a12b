"""The job worker: huey's consumer and its scheduler of the periodic jobs (`web/jobs.py`).

Embedded (no REFLEX_REDIS_URL: one web process on SQLite): `embedded` is a lifespan of the app,
so `make run` runs the jobs inside the app. At scale (REFLEX_REDIS_URL set, several web workers):
the web workers only queue jobs and `python -m web.worker` runs them in its own process; start
more with `--no-scheduler`, so the periodic jobs keep one scheduler.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from functools import cache

from huey import crontab
from huey.consumer import Consumer

from web.jobs import PERIODIC, Periodic, restart_lost_jobs
from web.queue import huey, redis_url

log = logging.getLogger(__name__)
POLL_S = 0.25  # an idle SQLite queue is looked at this often: an SMS code must not wait
STOP_TIMEOUT_S = 10


def _periodic(job: Periodic) -> Callable[[], None]:
    def run() -> None:
        if done := job.run():
            log.info("%s: %s", job.name, done)

    # Named after the job in web.jobs in every process, so any worker runs what a scheduler queued.
    run.__name__, run.__module__ = job.run.__name__, job.run.__module__
    return run


@cache
def _schedule() -> None:
    for job in PERIODIC:
        minutes = "*" if job.every_minutes == 1 else f"*/{job.every_minutes}"
        huey.periodic_task(crontab(minute=minutes), name=job.run.__name__)(_periodic(job))


class _InApp(Consumer):
    """The consumer as threads of the web process: the web server keeps its signals."""

    def _set_signal_handlers(self) -> None:
        pass


@asynccontextmanager
async def embedded() -> AsyncIterator[None]:
    """The app's lifespan task: the consumer in the app's process, unless a Redis queue means
    separate workers run the jobs (`python -m web.worker`)."""
    if redis_url():
        yield
        return
    consumer = _InApp(
        huey,
        workers=2,
        max_delay=POLL_S,
        shutdown_timeout=STOP_TIMEOUT_S,
        check_worker_health=False,
    )
    _schedule()
    await asyncio.to_thread(restart_lost_jobs, True)
    consumer.start()
    try:
        yield
    finally:
        await asyncio.to_thread(consumer.stop, True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m web.worker", description=__doc__)
    parser.add_argument("--threads", type=int, default=4, help="jobs run at once (default 4)")
    parser.add_argument(
        "--no-scheduler", action="store_true", help="for a second worker: no periodic jobs"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    _schedule()
    restart_lost_jobs(everything=True)
    Consumer(huey, workers=args.threads, periodic=not args.no_scheduler, max_delay=POLL_S).run()


if __name__ == "__main__":
    main()
