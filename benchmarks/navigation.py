"""How long a page change takes in a real browser: /login, then /cabinet, which sends a stranger
back to /login?next=… from its on_load handler. One tab, so every page load goes through the
same Reflex state lock; with Redis and several workers this is where a stuck lock would show.

Run against a running app (`make run`, or with REFLEX_REDIS_URL for several workers):
    .venv/bin/python benchmarks/navigation.py http://localhost:3000 --rounds 50
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import time

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("base_url")
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()
    chromium = os.environ.get("CREDIT7_CHROMIUM", "/usr/bin/chromium")
    times: list[float] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS)
        page = browser.new_page()
        for _ in range(args.rounds):
            page.goto(args.base_url + "/login")
            start = time.perf_counter()
            page.goto(args.base_url + "/cabinet")
            page.wait_for_url(re.compile(r"/login\?next="), timeout=60_000)
            times.append(time.perf_counter() - start)
        browser.close()
    times.sort()
    p90 = times[int(len(times) * 0.9) - 1]
    print(f"/cabinet → /login?next, {len(times)} rounds")
    print(f"median {statistics.median(times):.3f} s, p90 {p90:.3f} s, max {times[-1]:.3f} s")


if __name__ == "__main__":
    main()
