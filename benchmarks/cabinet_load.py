"""The cabinet's dashboard under load, against a bare one-line handler in the same run.

Seeds N borrowers with signed loans and live sessions in a fresh SQLite database, starts the
app's backend (one worker) with a bare state beside it (`benchmarks/cabinet_app.py`), and drives
both events over Reflex's own websocket (Socket.IO on /_event), each client with its borrower's
session cookie. Prints, for the dashboard's load event and for the bare handler: latency alone
(p50/p95/p99 of one client's events back to back), events per second at saturation (C clients
at once), the server's memory per connected client, and the ratios. A reload that changes
nothing gets no answer from Reflex, so each dashboard event is followed by a bare marker event
whose answer closes the measurement: the dashboard's figures include that marker (they err
against the dashboard), the bare handler's do not.

Run: .venv/bin/python benchmarks/cabinet_load.py [--borrowers 100] [--clients 50] [--seconds 8]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

from simple_websocket import AioClient
from sqlmodel import Session

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from credit7_web.clock import SystemClock  # noqa: E402
from credit7_web.db import make_engine, migrate  # noqa: E402
from credit7_web.identity import sessions  # noqa: E402
from credit7_web.settings import Settings  # noqa: E402
from tests.unit.account_setup import lend, make_person  # noqa: E402

NAMESPACE = "/_event"
ANSWER_TIMEOUT_S = 30
BARE_KEY = "cabinet_app____bare_state"  # the bare state in a delta
SECRET = "cabinet-load-benchmark"  # noqa: S105  (a throwaway database's)


def seed(url: str, data_dir: Path, n: int) -> list[str]:
    """N borrowers, each with a signed loan and a live session; returns their session tokens."""
    migrate(url)
    engine = make_engine(url)
    clock = SystemClock()
    settings = Settings(secret_key=SECRET.encode(), bcrypt_rounds=4, data_dir=data_dir)
    tokens = []
    with Session(engine) as db:
        for i in range(n):
            borrower_id = make_person(db, clock, settings, f"9{i:09d}")
            lend(db, clock, settings, borrower_id)
            ticket = sessions.open_session(db, clock, settings, borrower_id)
            token = sessions.claim(db, clock, settings, ticket)
            assert token is not None
            tokens.append(token)
    engine.dispose()
    return tokens


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(url: str, data_dir: Path, port: int, log: Path) -> subprocess.Popen:
    env = os.environ | {
        "REFLEX_DB_URL": url,
        "CREDIT7_DATA_DIR": str(data_dir),
        "CREDIT7_SECRET_KEY": SECRET,
        "REFLEX_APP_MODULE_IMPORT": "benchmarks.cabinet_app",
        "REFLEX_USE_NPM": "1",
    }
    env.pop("REFLEX_REDIS_URL", None)
    reflex = str(Path(sys.executable).parent / "reflex")
    command = [reflex, "run", "--env", "prod", "--backend-only", "--backend-port", str(port)]
    with log.open("w") as out:
        proc = subprocess.Popen(  # noqa: S603
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(log.read_text()[-3000:])
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/ping", timeout=2):
                return proc
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("the backend did not start")


def server_rss_kb(pid: int) -> int:
    """Resident memory of the server's process group (the `reflex` launcher and its workers)."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if os.getpgid(int(entry.name)) != pid:
                continue
            for line in (entry / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except (OSError, ProcessLookupError):
            continue
    return total


class Tab:
    """One browser tab: a Socket.IO connection on /_event with a session cookie."""

    def __init__(self, port: int, cookie: str) -> None:
        self.port, self.cookie = port, cookie
        self.token = str(uuid.uuid4())

    async def connect(self) -> None:
        url = f"ws://127.0.0.1:{self.port}{NAMESPACE}/?EIO=4&transport=websocket&token={self.token}"
        self.ws = await AioClient.connect(
            url,
            headers={"Cookie": self.cookie, "Origin": f"http://127.0.0.1:{self.port}"},
        )
        assert (await self.ws.receive()).startswith("0")  # the engine.io handshake
        await self.ws.send(f"40{NAMESPACE},")
        while not (await self.ws.receive()).startswith(f"40{NAMESPACE}"):
            pass

    async def send(self, name: str, path: str) -> None:
        body = {"name": name, "payload": {}, "router_data": {"pathname": path, "query": {}}}
        await self.ws.send(f"42{NAMESPACE}," + json.dumps(["event", body]))

    async def event(self, name: str, path: str, marker: str = "") -> int:
        """Send one event and wait for its state update; returns the bytes it sent back.

        An event that changes nothing gets no answer at all from Reflex, so with `marker` (a
        bare event's name) the marker follows it and its update says both were handled.
        """
        await self.send(name, path)
        if marker:
            await self.send(marker, path)  # the same page: a new path would change router vars
        received = 0
        while True:
            message = await self.ws.receive(timeout=ANSWER_TIMEOUT_S)
            if message is None:
                raise TimeoutError(f"no answer to {name} in {ANSWER_TIMEOUT_S} s")
            if message == "2":  # engine.io ping
                await self.ws.send("3")
            elif message.startswith(f'42{NAMESPACE},["event"'):
                if not marker:
                    return len(message.encode())
                if BARE_KEY in message:
                    return received
                received += len(message.encode())

    async def close(self) -> None:
        await self.ws.close()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def alone(tab: Tab, event: tuple[str, str, str], count: int) -> tuple[list[float], int]:
    """One client, events back to back: milliseconds each, and the bytes of the last answer."""
    times, size = [], 0
    for _ in range(count):
        start = time.perf_counter()
        size = await tab.event(*event)
        times.append((time.perf_counter() - start) * 1000)
    return times, size


async def saturate(tabs: list[Tab], event: tuple[str, str, str], seconds: float) -> float:
    """Every client sends its next event as soon as the last is answered: events per second."""
    done = 0
    stop_at = time.perf_counter() + seconds

    async def loop(tab: Tab) -> None:
        nonlocal done
        while time.perf_counter() < stop_at:
            await tab.event(*event)
            done += 1

    start = time.perf_counter()
    await asyncio.gather(*(loop(t) for t in tabs))
    return done / (time.perf_counter() - start)


async def measure(port: int, pid: int, tokens: list[str], clients: int, seconds: float) -> None:
    from benchmarks.cabinet_app import BareState
    from state.cabinet import CabinetState

    ping = f"{BareState.get_full_name()}.ping"
    events = {  # what is measured: (event, page, marker)
        "dashboard": (f"{CabinetState.get_full_name()}.load", "/cabinet", ping),
        "bare": (ping, "/cabinet", ""),
    }
    cookies = [f"{sessions.SESSION_COOKIE}={t}" for t in tokens]

    first = Tab(port, cookies[0])
    await first.connect()
    for event in events.values():  # warm up: imports, caches, the first state
        await alone(first, event, 50)
    rows = {}
    for label, event in events.items():
        times, size = await alone(first, event, 300)
        rows[label] = [statistics.median(times), percentile(times, 0.95), percentile(times, 0.99)]
        rows[label].append(size)

    before = server_rss_kb(pid)
    tabs = [Tab(port, cookies[i % len(cookies)]) for i in range(clients)]
    first_load = 0
    for tab in tabs:
        await tab.connect()
        first_load = await tab.event(*events["dashboard"])
    per_client_kb = (server_rss_kb(pid) - before) / clients
    for label, event in events.items():
        rows[label].append(await saturate(tabs, event, seconds))
    for tab in [first, *tabs]:
        await tab.close()

    print(f"{'event':<12} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'bytes':>7} {'events/s':>9}")
    for label, (p50, p95, p99, size, rate) in rows.items():
        print(f"{label:<12} {p50:8.2f} {p95:8.2f} {p99:8.2f} {size:7d} {rate:9.0f}")
    d, b = rows["dashboard"], rows["bare"]
    print(
        f"dashboard/bare: p50 {d[0] / b[0]:.1f}×, p95 {d[1] / b[1]:.1f}×, p99 {d[2] / b[2]:.1f}×; "
        f"throughput {d[4] / b[4]:.2f} of bare"
    )
    print(f"the dashboard's first load in a tab: {first_load} bytes")
    print(f"server memory per connected client: {per_client_kb:.0f} KiB ({clients} clients)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--borrowers", type=int, default=100)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="c7bench-") as tmp:
        data_dir = Path(tmp)
        url = f"sqlite:///{data_dir / 'bench.db'}"
        started = time.perf_counter()
        tokens = seed(url, data_dir, args.borrowers)
        print(f"seeded {len(tokens)} borrowers in {time.perf_counter() - started:.0f} s")
        port = free_port()
        server = start_server(url, data_dir, port, data_dir / "server.log")
        try:
            asyncio.run(measure(port, server.pid, tokens, args.clients, args.seconds))
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)


if __name__ == "__main__":
    main()
