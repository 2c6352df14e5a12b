"""The questions borrowers ask, answered from the tariff: a figure changes in `tariff` and the
answers follow, never retyped."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from credit7_web import tariff
from credit7_web.money import rub
from credit7_web.russian import (
    amount_range_text,
    card_check_text,
    days,
    fraction_text,
    per_day_text,
    plural,
    term_range_text,
)


@dataclass(frozen=True)
class Answer:
    question: str
    paragraphs: tuple[str, ...]


def _percent(rate: Fraction) -> str:
    return f"{fraction_text(rate * 100)}\u00a0%"


def _years(n: int) -> str:
    return f"{n} {plural(n, 'год', 'года', 'лет')}"


def _working_days(n: int) -> str:
    return f"{n} {plural(n, 'рабочий день', 'рабочих дня', 'рабочих дней')}"


def answers() -> tuple[Answer, ...]:
    first, repeat = tariff.amount_range(True), tariff.amount_range(False)
    services = "; ".join(f"{s.title} — {rub(s.price_kop)}" for s in tariff.EXTRA_SERVICES)
    return (
        Answer(
            "Кто может получить заём?",
            (
                f"Гражданин России от {tariff.AGE_MIN} до {tariff.AGE_MAX} лет с регистрацией "
                "в России, паспортом РФ, СНИЛС, мобильным телефоном российского оператора и "
                "банковской картой на своё имя.",
                f"Первый заём — {amount_range_text(first)}, повторный — "
                f"{amount_range_text(repeat)}, если прошлый погашен без просрочки; срок "
                f"{term_range_text()}. Ставка — {per_day_text()}; первый заём — под "
                f"{_percent(tariff.FIRST_LOAN_PROMO_RATE)}, если вернуть его в срок. Открытых "
                f"займов одновременно — не больше {tariff.MAX_OPEN_LOANS}.",
                "Если на ваше имя установлен самозапрет на кредиты, заём не выдаётся.",
            ),
        ),
        Answer(
            "Что делать, если не получается вернуть заём вовремя?",
            (
                "Продлите заём в личном кабинете: оплатите начисленные проценты, и срок "
                f"возврата сдвинется на {days(tariff.PROLONGATION_DAYS)}.",
                "С первого дня просрочки проценты начисляются по ставке "
                f"{per_day_text()}, а на просроченный основной долг — неустойка "
                f"{_percent(tariff.PENALTY_RATE_YEAR)} годовых. Проценты, неустойка и платные "
                f"услуги вместе никогда не превысят {_percent(tariff.CHARGES_CAP)} суммы займа.",
                f"Позвоните нам: {tariff.HOTLINE} — вместе подберём, как погасить долг.",
            ),
        ),
        Answer(
            "Какие документы нужны?",
            (
                "Паспорт гражданина РФ и СНИЛС: их данные вы вносите в анкету, а при "
                "регистрации через Госуслуги они подставляются сами.",
                "Перед первым займом — фото, где вы держите открытый паспорт на развороте с "
                "фотографией, и банковская карта: для проверки банк спишет и сразу вернёт "
                f"{card_check_text()}.",
            ),
        ),
        Answer(
            "Как быстро принимается решение?",
            (
                "Решение принимается автоматически за несколько секунд после отправки заявки. "
                "Деньги приходят на карту сразу после того, как вы подпишете договор кодом "
                "из SMS.",
            ),
        ),
        Answer(
            "Что такое дополнительные услуги и как от них отказаться?",
            (
                f"Услуги подключаются только по вашему выбору: {services}. Цена добавляется "
                "к сумме возврата.",
                f"Отказаться от услуги можно в течение {days(tariff.SERVICE_REFUSAL_DAYS)} "
                f"после покупки: напишите на {tariff.DOCS_EMAIL} или позвоните "
                f"{tariff.HOTLINE}. Деньги вернём в течение "
                f"{_working_days(tariff.SERVICE_REFUND_WORKING_DAYS)}, полностью — если "
                "услугой ещё не пользовались.",
            ),
        ),
        Answer(
            "Как удалить аккаунт?",
            (
                "В профиле нажмите «Удалить аккаунт» или напишите на "
                f"{tariff.DOCS_EMAIL}. Аккаунт удаляется в течение "
                f"{days(tariff.ACCOUNT_DELETION_DAYS)}, если нет открытого займа и "
                "просроченной задолженности.",
                f"Договоры и платёжные документы хранятся {_years(tariff.RECORDS_KEPT_YEARS)}, "
                "как требует закон; остальные персональные данные удаляются. Удалённый "
                "аккаунт можно восстановить: на странице входа — «Восстановить удалённый "
                "аккаунт».",
            ),
        ),
    )
