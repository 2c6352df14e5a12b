"""What another borrower's event feels while sign-ins and photo uploads keep the server busy.

One event loop carries every websocket. A bare event (the loop picking up the next message) is
timed as the loop's wake-up delay, every 5 ms: on an idle loop; while bcrypt checks (cost 12)
and 20 MP photo decodes run through `state.off_loop` as the app runs them; and, for scale, with
the same work called on the loop itself, as the app did before. Printed: median and 95th
percentile delays and their ratios to the idle loop, from the same run.

Run: .venv/bin/python benchmarks/event_loop.py [seconds per phase, default 3]
"""

from __future__ import annotations

import asyncio
import io
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image

from credit7_web.identity import hashing, kyc
from state.off_loop import THREADS, off_loop

TICK_S = 0.005
CLIENTS = 6  # sign-ins and uploads in flight at once


def big_photo() -> bytes:
    """A 5000×4000 PNG (20 MP, under the cap, a few MB): its decode is real work."""
    image = Image.linear_gradient("L").resize((5000, 4000)).convert("RGB")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


async def bare_event_delays(seconds: float) -> list[float]:
    delays = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        start = time.perf_counter()
        await asyncio.sleep(TICK_S)
        delays.append(time.perf_counter() - start - TICK_S)
    return delays


async def under_load(seconds: float, work: Callable[[int], Awaitable[None]]) -> list[float]:
    stop = asyncio.Event()

    async def client(i: int) -> None:
        while not stop.is_set():
            await work(i)
            await asyncio.sleep(0)

    clients = [asyncio.create_task(client(i)) for i in range(CLIENTS)]
    await asyncio.sleep(0.2)  # the load is on before the probe starts
    delays = await bare_event_delays(seconds)
    stop.set()
    await asyncio.gather(*clients)
    return delays


def p95(delays: list[float]) -> float:
    ordered = sorted(delays)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def line(name: str, delays: list[float], idle: list[float] | None) -> str:
    median, tail = statistics.median(delays) * 1000, p95(delays) * 1000
    text = f"{name:<34} median {median:8.2f} ms   p95 {tail:8.2f} ms   ({len(delays)} events)"
    if idle is not None:
        idle_median = max(statistics.median(idle) * 1000, 0.001)
        idle_p95 = max(p95(idle) * 1000, 0.001)
        text += f"   ×{median / idle_median:.1f} median, ×{tail / idle_p95:.1f} p95"
    return text


async def main(seconds: float) -> None:
    dummy = hashing.dummy_hash(12)
    photo = big_photo()

    def cpu_work(i: int) -> None:  # half the clients sign in, half upload
        if i % 2:
            hashing.verify_password("Wrong1234", dummy)
        else:
            kyc.clean_photo(photo)

    async def pooled(i: int) -> None:
        await off_loop(cpu_work, i)

    async def on_the_loop(i: int) -> None:
        cpu_work(i)

    idle = await bare_event_delays(seconds)
    pooled_delays = await under_load(seconds, pooled)
    blocked = await under_load(seconds, on_the_loop)
    print(f"bare event delay, {CLIENTS} clients signing in / uploading, pool of {THREADS} threads")
    print(line("idle", idle, None))
    print(line("busy, work off the loop (the app)", pooled_delays, idle))
    print(line("busy, work on the loop (before)", blocked, idle))


if __name__ == "__main__":
    asyncio.run(main(float(sys.argv[1]) if len(sys.argv) > 1 else 3.0))
