"""A real HTTP server for tests: an ASGI app served by Granian (the app's own server) on a free
local port, in a thread of the test process, so it shares the test's database and clock."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
from granian.server.embed import Server
from starlette.types import ASGIApp

START_TIMEOUT_S = 20


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(app: ASGIApp) -> Iterator[str]:
    """Serve `app` until the block ends; yields its base URL (http://127.0.0.1:<port>)."""
    port = free_port()
    server = Server(app, address="127.0.0.1", port=port, interface="asgi", log_enabled=False)
    loop = asyncio.new_event_loop()

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(server.serve())

    thread = threading.Thread(target=run, name=f"granian-{port}", daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        try:
            httpx.get(base + "/", timeout=1)
            break
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"the test server on {port} did not start") from None
            time.sleep(0.05)
    try:
        yield base
    finally:
        loop.call_soon_threadsafe(server.stop)
        thread.join(START_TIMEOUT_S)
