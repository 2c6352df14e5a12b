"""Row ids as they come from outside (a URL, an event's argument): ASCII digits only, within
the range of the database's integer column; anything else is no id at all (None), never an
error. `'²'.isdigit()` is true and `int('²')` fails; an id past the column's range fails in
the database: both would be a 500."""

from __future__ import annotations

import re

MAX_ID = 2**31 - 1  # PostgreSQL INTEGER, the type of every id column
_DIGITS = re.compile(r"[0-9]{1,10}")


def parse_id(raw: object) -> int | None:
    """The id a string or an int names, or None for anything else (bools, floats, '²', '-1',
    ' 1', past MAX_ID, 0)."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str) and _DIGITS.fullmatch(raw):
        value = int(raw)
    else:
        return None
    return value if 1 <= value <= MAX_ID else None
