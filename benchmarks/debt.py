"""How long the debt computation takes: the dashboard recomputes it from the contract each time.

Run: .venv/bin/python benchmarks/debt.py
"""

from __future__ import annotations

import sys
import timeit
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from credit7_web.servicing.debt import Payment, Terms, debt_on

START = date(2026, 11, 24)


def main() -> None:
    terms = Terms(
        principal_kop=3_000_000,
        start=START,
        due=START + timedelta(days=30),
        original_due=START + timedelta(days=30),
        promo=True,
    )
    payments = [Payment(START + timedelta(days=d), 50_000) for d in range(5, 60, 5)]
    for days_on in (0, 30, 120, 365):
        on = START + timedelta(days=days_on)
        n = 200
        seconds = timeit.timeit(lambda o=on: debt_on(terms, payments, o), number=n) / n
        print(f"debt on day {days_on:>3}: {seconds * 1e6:8.1f} µs")


if __name__ == "__main__":
    main()
