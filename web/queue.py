"""The task queue: huey, on a SQLite file in the app's data dir by default (one machine, nothing
else to run) and on Redis when REFLEX_REDIS_URL is set (several web workers and job workers).
The queue's name comes from settings (CREDIT7_QUEUE), so apps and test runs sharing one Redis
never take each other's jobs."""

from __future__ import annotations

import os

from huey import Huey, RedisHuey, SqliteHuey

from credit7_web import wiring
from credit7_web.settings import Settings


def make_huey(settings: Settings, redis_url: str | None) -> Huey:
    # Job results are never read: each job's outcome is in the database.
    if redis_url:
        return RedisHuey(settings.queue_name, url=redis_url, results=False)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(
        settings.queue_name, filename=str(settings.data_dir / "jobs.db"), results=False
    )


def redis_url() -> str | None:
    return os.environ.get("REFLEX_REDIS_URL") or None


huey = make_huey(wiring.settings(), redis_url())
