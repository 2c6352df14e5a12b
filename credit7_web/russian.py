"""Russian as the borrower reads it: words that agree with a number, dates, phones, cards, СНИЛС."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

from credit7_web import tariff
from credit7_web.money import NBSP, rub


def plural(n: int, one: str, few: str, many: str) -> str:
    """The form for `n`: 1 день, 2 дня, 5 дней, 11 дней, 21 день."""
    n = abs(n)
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def days(n: int) -> str:
    return f"{n} {plural(n, 'день', 'дня', 'дней')}"


def format_phone(phone: str) -> str:
    """'9001234567' -> '+7 (900) 123-45-67'."""
    return f"+7 ({phone[:3]}) {phone[3:6]}-{phone[6:8]}-{phone[8:]}"


def format_card(masked: str) -> str:
    """Any masked number ('411111******1111', '4111 11** **** 1111') -> '•••• 1111'.

    One way everywhere: the acquirer's mask shows the first six digits too, the borrower
    recognises a card by its last four.
    """
    return f"•••• {masked[-4:]}"


def format_date(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def format_snils(snils: str) -> str:
    """'11223344595' -> '112-233-445 95'."""
    return f"{snils[:3]}-{snils[3:6]}-{snils[6:9]} {snils[9:]}"


def fraction_text(value: Fraction) -> str:
    """Fraction(4, 5) -> '0,8'; exact, no trailing zeros."""
    text = format(Decimal(value.numerator) / Decimal(value.denominator), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def per_day_text(rate: Fraction = tariff.DAILY_RATE) -> str:
    """'0,8 % в день' (a no-break space before '%')."""
    return f"{fraction_text(rate * 100)}{NBSP}% в день"


def daily_rate_text(rate: Fraction = tariff.DAILY_RATE) -> str:
    """'0,8 % в день (292 % годовых)' (no-break spaces before '%')."""
    per_year = fraction_text(rate * 100 * tariff.DAYS_IN_YEAR)
    return f"{per_day_text(rate)} ({per_year}{NBSP}% годовых)"


def amount_range_text(bounds: tariff.AmountRange) -> str:
    """'от 1 000 до 30 000 ₽'."""
    return f"от {rub(bounds.min).removesuffix(NBSP + '₽')} до {rub(bounds.max)}"


def term_range_text() -> str:
    """'от 7 до 30 дней'."""
    return f"от {tariff.TERM_MIN} до {days(tariff.TERM_MAX)}"


def card_check_text() -> str:
    """'от 1 до 10 ₽': the card verification charge."""
    return f"от {tariff.CARD_CHECK_MIN // 100} до {rub(tariff.CARD_CHECK_MAX)}"


def mask_passport(series: str | None, number: str | None) -> str:
    """'4510', '123456' -> '•••• ••3456': the last four digits, enough to match a caller's words."""
    if not series or not number:
        return ""
    return f"•••• ••{number[-4:]}"


def mask_snils(snils: str | None) -> str:
    """'11223344595' -> '•••-•••-•45 95'."""
    if not snils or len(snils) != 11:
        return ""
    return f"•••-•••-•{snils[7:9]} {snils[9:]}"
