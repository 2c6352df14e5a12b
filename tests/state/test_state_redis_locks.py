"""The Redis lock fixes (state/redis_locks.py): a waiter that leaves passes the turn on, and one
cancelled while taking the lock gives it back."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from redis.asyncio import Redis
from reflex.istate.manager.redis import StateManagerRedis

from web import redis_locks

KEY = b"token_lock"


async def _two_waiters_and_the_first_leaves(manager: StateManagerRedis) -> bool:
    """The lock is released, the first waiter is woken and cancelled at once (its tab moved on):
    is the second waiter woken?"""
    registered = asyncio.Event()

    async def wait_turn() -> None:
        async with manager._lock_waiter(KEY) as turn:
            if manager._n_lock_waiters(KEY) == 2:
                registered.set()
            await turn.wait()
            await asyncio.Event().wait()  # holds its place until cancelled

    first = asyncio.create_task(wait_turn())
    await asyncio.sleep(0)
    second = asyncio.create_task(wait_turn())
    await registered.wait()
    manager._notify_next_waiter(KEY)  # the release notice reaches the first waiter only
    first.cancel()
    await asyncio.gather(first, return_exceptions=True)
    woken = manager._lock_waiters[KEY][0].is_set()
    second.cancel()
    await asyncio.gather(second, return_exceptions=True)
    return woken


def test_a_waiter_cancelled_after_its_wake_up_wakes_the_next() -> None:
    redis_locks.install()
    redis_locks.install()  # once is enough; twice changes nothing
    manager = StateManagerRedis(redis=None)  # no Redis round trip in this part of the lock
    assert asyncio.run(_two_waiters_and_the_first_leaves(manager)) is True


needs_redis = pytest.mark.skipif(
    not os.environ.get("CREDIT7_TEST_REDIS_URL"), reason="needs CREDIT7_TEST_REDIS_URL"
)


@pytest.fixture
async def manager() -> AsyncIterator[StateManagerRedis]:
    redis_locks.install()
    client = Redis.from_url(os.environ["CREDIT7_TEST_REDIS_URL"])
    manager = StateManagerRedis(redis=client)
    try:
        yield manager
    finally:
        await manager.close()


def _lock_key() -> bytes:
    return f"c7test-{uuid.uuid4().hex}_lock".encode()


@needs_redis
async def test_a_waiter_cancelled_while_taking_the_lock_gives_it_back(
    manager: StateManagerRedis, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Redis sets the lock, but the cancellation reaches the task before the reply does."""
    key, real_set = _lock_key(), manager.redis.set

    async def set_then_cancelled(*args: Any, **kwargs: Any) -> None:
        await real_set(*args, **kwargs)
        raise asyncio.CancelledError

    monkeypatch.setattr(manager.redis, "set", set_then_cancelled)
    with pytest.raises(asyncio.CancelledError):
        await manager._wait_lock(key, b"navigated-away")
    monkeypatch.undo()
    assert await manager.redis.get(key) is None
    await manager._wait_lock(key, b"next-page")  # the tab's next event gets the lock at once
    assert await manager.redis.get(key) == b"next-page"
    await manager.redis.delete(key)


@needs_redis
async def test_only_the_holder_releases(manager: StateManagerRedis) -> None:
    key = _lock_key()
    await manager.redis.set(key, b"theirs", px=10_000)
    assert await redis_locks.release_if_ours(manager, key, b"mine") is False
    assert await manager.redis.get(key) == b"theirs"
    assert await redis_locks.release_if_ours(manager, key, b"theirs") is True
    assert await manager.redis.get(key) is None
