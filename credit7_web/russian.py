"""Russian as the borrower reads it: words that agree with a number, dates, phones, СНИЛС."""

from __future__ import annotations

from datetime import date


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


def format_date(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def format_snils(snils: str) -> str:
    """'11223344595' -> '112-233-445 95'."""
    return f"{snils[:3]}-{snils[3:6]}-{snils[6:9]} {snils[9:]}"
