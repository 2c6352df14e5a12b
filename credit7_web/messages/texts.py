"""Every SMS the cabinet sends, in one place, so wording and the brand prefix stay consistent.

Reminders and overdue notices are collection messages under 230-FZ: each names the lender (its
full name) and its official phone, from `settings.lender`.
"""

from __future__ import annotations

from credit7_web import russian, tariff
from credit7_web.lender import Lender


def register_code(code: str) -> str:
    return f"Credit7: код для регистрации {code}. Никому его не сообщайте."


def recover_code(code: str) -> str:
    return f"Credit7: код для восстановления пароля {code}. Никому его не сообщайте."


def unlock_code(code: str) -> str:
    return f"Credit7: код для разблокировки входа {code}. Никому его не сообщайте."


def already_registered() -> str:
    """Sent instead of a code, so the sign-up screen never tells a stranger the number is ours."""
    return (
        "Credit7: этот номер уже зарегистрирован. Войдите по номеру и паролю или восстановите "
        "пароль на сайте. Если это были не вы, ничего не делайте. Вопросы: " + tariff.HOTLINE + "."
    )


def gosuslugi_code(code: str) -> str:
    return f"Credit7: код для регистрации через Госуслуги {code}. Никому его не сообщайте."


def phone_change_code(code: str) -> str:
    return (
        f"Credit7: код {code} — вход в личный кабинет переносится на этот номер. "
        "Никому его не сообщайте."
    )


def phone_changed(new_phone: str) -> str:
    """To the old number: it no longer signs in."""
    return (
        f"Credit7: вход в личный кабинет перенесён на номер {new_phone}; этот номер больше не "
        f"действует. Если это были не вы, позвоните: {tariff.HOTLINE}."
    )


def password_changed() -> str:
    return (
        "Credit7: пароль от личного кабинета изменён, другие входы завершены. Если это были "
        f"не вы, восстановите пароль на сайте и позвоните: {tariff.HOTLINE}."
    )


def deletion_requested(due: str) -> str:
    return (
        f"Credit7: заявка на удаление аккаунта принята. Аккаунт будет удалён не позднее {due}. "
        f"Если это были не вы, позвоните: {tariff.HOTLINE}."
    )


def deletion_refused(reason: str) -> str:
    return f"Credit7: аккаунт не удалён. {reason} Вопросы: {tariff.HOTLINE}."


def account_deleted() -> str:
    return (
        "Credit7: ваш аккаунт удалён, вход по этому номеру больше не работает. Договоры и "
        f"платежи хранятся {tariff.RECORDS_KEPT_YEARS} лет, как требует закон. Восстановить "
        "аккаунт можно на странице входа. Вопросы: " + tariff.HOTLINE + "."
    )


def restoration_approved() -> str:
    return (
        "Credit7: аккаунт восстановлен. Задайте новый пароль: на странице входа нажмите "
        "«Забыли пароль?» и введите этот номер — придёт код."
    )


def restoration_rejected(reason: str) -> str:
    return (
        f"Credit7: заявка на восстановление аккаунта отклонена. Причина: {reason} "
        f"Вопросы: {tariff.HOTLINE}."
    )


def application_approved(amount: str) -> str:
    return (
        f"Credit7: заявка на заём одобрена, сумма {amount}. Подпишите договор в личном "
        "кабинете, раздел «Заявка»."
    )


def application_refused() -> str:
    return "Credit7: по вашей заявке на заём отказ. Причина — в личном кабинете, раздел «Заявка»."


def sign_code(code: str, contract: str, amount: str) -> str:
    return (
        f"Credit7: код {code} — подпись договора № {contract} на {amount}. "
        "Вводя код, вы подписываете договор. Никому его не сообщайте."
    )


def pay_code(code: str, contract: str, amount: str) -> str:
    return (
        f"Credit7: код {code} — оплата {amount} по договору № {contract}. Никому его не сообщайте."
    )


def payment_receipt(contract: str, amount: str, left: str, closed: bool) -> str:
    """The receipt of a payment received, whoever paid."""
    rest = "Заём погашен полностью, спасибо!" if closed else f"Осталось к оплате: {left}."
    return f"Credit7: получен платёж {amount} по договору № {contract}. {rest}"


def loan_paid_out(contract: str, amount: str) -> str:
    """The cooling-off is over: the money of a signed contract is on its way."""
    return f"Credit7: {amount} по договору № {contract} отправлены на вашу карту."


def prolong_code(code: str, contract: str, agreement: int, due: str, amount: str) -> str:
    return (
        f"Credit7: код {code} — продление займа № {contract} до {due}, к оплате {amount}. "
        f"Вводя код, вы подписываете дополнительное соглашение № {agreement}. "
        "Никому его не сообщайте."
    )


def prolonged(contract: str, amount: str, due: str) -> str:
    """The receipt of a prolongation paid (or free, for a first loan before its due date)."""
    return f"Credit7: заём № {contract} продлён до {due}, оплачено {amount}."


# ----------------------------------------------------------------------------- loan reminders
# `amount` is formatted by money.rub, dates as dd.mm.yyyy (russian.format_date).


def reminder_before_due(
    lender: Lender, contract: str, amount: str, due: str, days_left: int
) -> str:
    """Three days and one day before the due date (or later in its window, if the job ran late)."""
    when = {0: "сегодня", 1: "завтра"}.get(days_left) or f"через {russian.days(days_left)}"
    return (
        f"{lender.name}: срок оплаты по договору № {contract} — {when}, {due}. "
        f"К оплате {amount}. Оплатить можно в личном кабинете Credit7. "
        f"Телефон кредитора: {lender.hotline}."
    )


def reminder_overdue(
    lender: Lender, contract: str, amount: str, due: str, penalty_percent: str
) -> str:
    """Each overdue day (as often as the law allows): the promo is over and the penalty runs."""
    return (
        f"{lender.name}: платёж по договору № {contract} просрочен, срок был {due}. "
        f"Долг сегодня {amount}; каждый день начисляются проценты и неустойка "
        f"{penalty_percent} годовых. Оплатите в личном кабинете Credit7. "
        f"Телефон кредитора: {lender.hotline}."
    )
