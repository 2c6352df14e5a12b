"""Kopecks to ru-RU text and back, and the one rounding rule money uses.

Display follows `Intl.NumberFormat("ru-RU", {style: "currency", currency: "RUB"})`: digits grouped
by three with a NO-BREAK SPACE (U+00A0), a decimal comma, and a NO-BREAK SPACE before "₽", so a
sum never wraps across lines. Whole rubles drop ",00" ("12 345 ₽"), as the tariff is in rubles.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

NBSP = "\u00a0"
RUBLE_SIGN = "₽"

# Spaces a user (or a copy of our own output) may put between digit groups.
_SPACES = re.compile(r"[ \u00a0\u202f\u2009]+")
_AMOUNT = re.compile(
    r"(?P<int>[0-9]{1,15}|[0-9]{1,3}(?: [0-9]{3}){1,4})"
    r"(?:[.,](?P<frac>[0-9]{1,2}))?"
    r"(?: ?(?:₽|руб\.?|р\.?))?",
    re.IGNORECASE,
)


def _group(digits: str) -> str:
    """'1234567' -> '1 234 567' with no-break spaces."""
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return NBSP.join(parts)


def rub(kopecks: int) -> str:
    """12345 -> '123,45 ₽'; 1234500 -> '12 345 ₽'."""
    sign = "-" if kopecks < 0 else ""
    rubles, kop = divmod(abs(kopecks), 100)
    text = _group(str(rubles))
    if kop:
        text += f",{kop:02d}"
    return f"{sign}{text}{NBSP}{RUBLE_SIGN}"


def round_half_up(x: Fraction | Decimal | int) -> int:
    """Nearest integer, halves away from zero (Decimal's ROUND_HALF_UP), as PRODUCT.md says."""
    if isinstance(x, Decimal):
        return int(x.to_integral_value(rounding=ROUND_HALF_UP))
    x = Fraction(x)
    magnitude = (abs(x.numerator) * 2 + x.denominator) // (2 * x.denominator)
    return magnitude if x >= 0 else -magnitude


def rub_to_kop(text: str) -> int:
    """Parse a typed ruble sum: '10000', '10 000', '10 000,50', '12 345 ₽'. Never negative.

    Digit groups, if used, must be of three, so a typo like '1 00 00' is refused, not guessed.
    """
    cleaned = _SPACES.sub(" ", text).strip()
    match = _AMOUNT.fullmatch(cleaned)
    if match is None:
        raise ValueError(f"not a ruble amount: {text!r}")
    rubles = int(match["int"].replace(" ", ""))
    frac = (match["frac"] or "").ljust(2, "0")
    return rubles * 100 + int(frac)


def percent(value: Decimal, places: int = 3) -> str:
    """Decimal('292') -> '292,000 %': rounded half-up, decimal comma, NBSP before '%'."""
    quantum = Decimal(1).scaleb(-places)
    rounded = value.quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    whole, _, frac = f"{abs(rounded):f}".partition(".")
    text = _group(whole) + (f",{frac}" if frac else "")
    return f"{sign}{text}{NBSP}%"
