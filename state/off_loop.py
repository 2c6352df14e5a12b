"""CPU-heavy work off the event loop: bcrypt and image decoding run in a small pool of threads.

One event loop carries every borrower's websocket, so a password check (~0.25 s of bcrypt) or
a photo's decode held on it would stall every other tab meanwhile. Both release the GIL while
they work, so threads are enough; the pool is bounded (`THREADS`), so a flood of sign-ins or
uploads queues here (and meets the rate limits) instead of taking every core and thread.
`benchmarks/event_loop.py` measures what a bare event feels while the pool is busy.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

THREADS = 2
THREAD_PREFIX = "credit7-cpu"
_POOL = ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix=THREAD_PREFIX)

P = ParamSpec("P")
R = TypeVar("R")


async def off_loop(fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """`fn(*args, **kwargs)` in the pool; the loop serves other events until it is done.

    Pass what the work needs and let it open its own unit of work: a database session is not
    shared between threads."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_POOL, functools.partial(fn, *args, **kwargs))
