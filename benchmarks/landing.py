"""How heavy the landing is beside a blank Reflex app, in headless Chromium: JavaScript bytes
(decoded) and the largest contentful paint, medians of several cold loads of each, and the
ratios. It builds nothing: both apps must be running.

    make run                                   # the app, http://localhost:3000
    cd benchmarks/blank_app && ../../.venv/bin/reflex run --env prod --single-port \\
        --frontend-port 3100 --backend-port 3100    # the blank app (one heading, one button)
    .venv/bin/python benchmarks/landing.py http://localhost:3000 http://localhost:3100

Goal of issue 10: landing JavaScript ≤ 1.3× and LCP ≤ 1.1× the blank app in the same run.
"""

from __future__ import annotations

import argparse
import os
import statistics

from playwright.sync_api import Browser, sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
VIEWPORT = {"width": 1366, "height": 900}

# Every script the page fetched (module preloads count: they are run), decoded; and the
# latest largest-contentful-paint entry once the page is quiet.
MEASURE = """async () => {
  const lcp = await new Promise((done) => {
    let last = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) last = e.startTime;
    }).observe({type: "largest-contentful-paint", buffered: true});
    setTimeout(() => done(last), 1000);
  });
  const js = performance.getEntriesByType("resource")
    .filter((e) => new URL(e.name).pathname.endsWith(".js"))
    .reduce((sum, e) => sum + e.decodedBodySize, 0);
  return {js, lcp};
}"""


def load(browser: Browser, url: str) -> tuple[int, float]:
    """JS bytes and LCP (ms) of one cold load, in a fresh context."""
    context = browser.new_context(viewport=VIEWPORT, locale="ru-RU")
    page = context.new_page()
    page.goto(url, wait_until="networkidle")
    figures = page.evaluate(MEASURE)
    context.close()
    return figures["js"], figures["lcp"]


def measure(browser: Browser, urls: list[str], loads: int) -> list[tuple[float, float]]:
    """Median JS bytes and LCP of each URL. Loads alternate between the URLs, so a busy machine
    slows both alike."""
    runs: list[list[tuple[int, float]]] = [[] for _ in urls]
    for _ in range(loads):
        for i, url in enumerate(urls):
            runs[i].append(load(browser, url))
    return [
        (statistics.median(js for js, _ in r), statistics.median(lcp for _, lcp in r)) for r in runs
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("app_url", help="the running app, e.g. http://localhost:3000")
    parser.add_argument("blank_url", help="the running blank app, e.g. http://localhost:3100")
    parser.add_argument("--loads", type=int, default=9)
    args = parser.parse_args()
    chromium = os.environ.get("CREDIT7_CHROMIUM", "/usr/bin/chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS)
        urls = [args.blank_url.rstrip("/") + "/", args.app_url.rstrip("/") + "/"]
        measure(browser, urls, 1)  # warm the servers and the disk cache once
        (blank_js, blank_lcp), (app_js, app_lcp) = measure(browser, urls, args.loads)
        browser.close()
    size = f"{VIEWPORT['width']}×{VIEWPORT['height']}"
    print(f"medians of {args.loads} cold loads each, alternating, at {size}")
    print(f"{'':8}{'JS, KB':>10}{'LCP, ms':>10}")
    print(f"{'blank':8}{blank_js / 1024:>10.0f}{blank_lcp:>10.0f}")
    print(f"{'landing':8}{app_js / 1024:>10.0f}{app_lcp:>10.0f}")
    print(f"{'ratio':8}{app_js / blank_js:>10.2f}{app_lcp / blank_lcp:>10.2f}")
    print("goal: JS ≤ 1.30, LCP ≤ 1.10")


if __name__ == "__main__":
    main()
