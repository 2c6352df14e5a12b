"""How long the pricing takes: one quote, and the whole calculator table (every figure the
landing shows; the page ships the rule, assets/pricing.js, and the tests hold the two equal).

Run: .venv/bin/python benchmarks/pricing.py
"""

from __future__ import annotations

import json
import sys
import timeit
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from credit7_web.lending import pricing


def main() -> None:
    start = date(2026, 11, 24)
    n = 20_000
    quote_s = timeit.timeit(lambda: pricing.quote(1_000_000, 20, start, first_loan=False), number=n)
    print(f"quote: {quote_s / n * 1e6:.1f} µs each")
    for first in (True, False):
        table_s = timeit.timeit(lambda f=first: pricing.calculator_table(f), number=3) / 3
        size = len(json.dumps(pricing.calculator_table(first), ensure_ascii=False).encode())
        kind = "first" if first else "repeat"
        print(f"calculator table ({kind} loan): {table_s * 1e3:.0f} ms, {size / 1024:.0f} KiB JSON")
    rule = Path(__file__).resolve().parent.parent / "assets" / "pricing.js"
    print(f"what the landing ships instead, {rule.name}: {rule.stat().st_size / 1024:.1f} KiB")


if __name__ == "__main__":
    main()
