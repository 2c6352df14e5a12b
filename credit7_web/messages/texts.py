"""Every SMS the cabinet sends, in one place, so wording and the brand prefix stay consistent."""

from __future__ import annotations

from credit7_web import russian, tariff


def register_code(code: str) -> str:
    return f"Credit7: код для регистрации {code}. Никому его не сообщайте."


def recover_code(code: str) -> str:
    return f"Credit7: код для восстановления пароля {code}. Никому его не сообщайте."


def already_registered() -> str:
    """Sent instead of a code, so the sign-up screen never tells a stranger the number is ours."""
    return (
        "Credit7: этот номер уже зарегистрирован. Войдите по номеру и паролю или восстановите "
        "пароль на сайте. Если это были не вы, ничего не делайте. Вопросы: " + tariff.HOTLINE + "."
    )


def sign_code(code: str, contract: str, amount: str) -> str:
    return (
        f"Credit7: код {code} — подпись договора № {contract} на {amount}. "
        "Вводя код, вы подписываете договор. Никому его не сообщайте."
    )


# ----------------------------------------------------------------------------- loan reminders
# `amount` is formatted by money.rub, dates as dd.mm.yyyy (validators.format_date).


def reminder_before_due(contract: str, amount: str, due: str, days_left: int) -> str:
    """Three days and one day before the due date (or later in its window, if the job ran late)."""
    when = {0: "сегодня", 1: "завтра"}.get(days_left) or f"через {russian.days(days_left)}"
    return (
        f"Credit7: срок оплаты по договору № {contract} — {when}, {due}. К оплате {amount}. "
        f"Оплатить можно в личном кабинете. Вопросы: {tariff.HOTLINE}."
    )


def reminder_overdue(contract: str, amount: str, due: str, penalty_percent: str) -> str:
    """The first day of overdue: the promo (if any) is over and the penalty runs."""
    return (
        f"Credit7: платёж по договору № {contract} просрочен, срок был {due}. "
        f"Долг сегодня {amount}; каждый день начисляются проценты и неустойка "
        f"{penalty_percent} годовых. Оплатите в личном кабинете. Вопросы: {tariff.HOTLINE}."
    )
