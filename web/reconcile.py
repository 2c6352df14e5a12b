"""The books checked from the command line: `python -m web.reconcile` prints every difference
(`credit7_web.servicing.reconcile`) and exits 1 if there is any, 0 when the books are exact."""

from __future__ import annotations

import sys

from credit7_web import wiring
from credit7_web.servicing import reconcile


def main() -> int:
    with wiring.unit() as u:
        found = reconcile.run(u.db, u.clock, u.settings, u.acquirer, u.sms)
    for line in found:
        print(line)
    print(f"Расхождений: {len(found)}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
