"""Two fixes for Reflex 0.10.1's Redis state locks, installed when the app module loads.

A tab's events take turns on one Redis lock per token. Reflex cancels an event that is waiting
for that lock when the tab navigates again (a newer page load supersedes it, or the socket
closes), and two things then go wrong, both seen here under load with several workers:

- The cancellation can land while the `SET NX` that takes the lock is on the wire: Redis sets
  the lock, the task never learns it, and nobody releases it. Every later event of the tab waits
  for the lock's expiry (10 s) and the page hangs on its loading text. A waiter that leaves
  without the lock now gives back a lock that carries its id (compare and delete, in Redis).
- When the lock is released, Reflex wakes the first waiter only; if that one is cancelled before
  it takes the lock, the wake-up dies with it. Every waiter that leaves now passes the turn on; a
  waiter woken for nothing just tries the lock and waits again.
"""

from __future__ import annotations

import asyncio
import contextlib

from reflex.istate.manager.redis import StateManagerRedis

_INSTALLED = "_credit7_fixed"
_RELEASE_IF_OURS = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
    return redis.call('DEL', KEYS[1])
end
return 0
"""


async def release_if_ours(manager: StateManagerRedis, lock_key: bytes, lock_id: bytes) -> bool:
    """Delete the lock only while it still carries `lock_id`; True when it did."""
    return bool(await manager.redis.eval(_RELEASE_IF_OURS, 1, lock_key, lock_id))  # type: ignore[arg-type]


def install() -> None:
    """Patch StateManagerRedis once; harmless to call again."""
    if getattr(StateManagerRedis, _INSTALLED, False):
        return
    wait_lock = StateManagerRedis._wait_lock
    lock_waiter = StateManagerRedis._lock_waiter

    async def _wait_lock(self: StateManagerRedis, lock_key: bytes, lock_id: bytes) -> None:
        try:
            await wait_lock(self, lock_key, lock_id)
        except BaseException:
            with contextlib.suppress(Exception):
                await asyncio.shield(release_if_ours(self, lock_key, lock_id))
            raise

    @contextlib.asynccontextmanager
    async def _lock_waiter(self: StateManagerRedis, lock_key: bytes):
        try:
            async with lock_waiter(self, lock_key) as released:
                yield released
        finally:
            self._notify_next_waiter(lock_key)

    StateManagerRedis._wait_lock = _wait_lock  # type: ignore[method-assign]
    StateManagerRedis._lock_waiter = _lock_waiter  # type: ignore[method-assign]
    setattr(StateManagerRedis, _INSTALLED, True)
