"""The automatic decision on a loan application: every rule checked, every outcome recorded.

`decide` is a pure, deterministic function of `ScoringInput`: the questionnaire, the borrower's
history with us and the credit bureaus' reports, as they stood on the application date. It
evaluates every rule below, in this order, even after one has failed, so the decision log is
complete; the first rule that fails gives the refusal, its code, its text for the borrower and
the day a new application makes sense.

1. ``age`` — 18 to 75 full years on the application date (one is 75 until the day before the
   76th birthday).
2. ``citizenship`` — a citizen of the Russian Federation (``RUS``).
3. ``reg_address`` — a registration address in Russia is given (the questionnaire collects a
   Russian address; here it must be present, 10 to 300 characters, written in Russian letters).
4. ``passport`` — series of 4 digits, number of 6 digits, division code ``NNN-NNN``, issued
   after the 14th birthday and not in the future, and not due for replacement: a passport must
   be replaced at 20 and at 45 (`PASSPORT_REPLACEMENT_AGES`), so one issued before the 20th
   birthday is invalid from the 20th birthday on, and one issued before the 45th birthday is
   invalid from the 45th birthday on.
5. ``snils`` — 11 digits with a valid control number (`validators.clean_snils`).
6. ``bureaus`` — at least one credit bureau answered: without an answer the self-ban cannot be
   checked and no loan is issued.
7. ``self_ban`` — no bureau reports an active self-ban on credit (самозапрет); the borrower is
   told so plainly.
8. ``open_loan`` — no open loan with us (`tariff.MAX_OPEN_LOANS`).
9. ``high_psk`` — from `tariff.HIGH_PSK_RULE_FROM`: no loan with ПСК above
   `tariff.HIGH_PSK_PERCENT` to a person with `tariff.HIGH_PSK_MAX_UNPAID` or more unpaid loans
   with ПСК above it, counted across all bureaus. This loan's ПСК is taken at the base rate
   (with the paid extra services) even for a first loan whose promo makes it 0 % if repaid in
   time: the promo ends at the first day of overdue or at a prolongation, after which the loan
   costs the base rate, 292 % a year. That is the conservative reading: the rule cannot be
   avoided by a promo that may not last.
10. ``pdn`` — the debt burden (ПДН) for a requested amount from `tariff.PDN_THRESHOLD`:
    (monthly payments of the person's unpaid loans in the bureaus + this loan's average monthly
    payment) ÷ monthly income. Every tariff term is at most 30 days, so the average monthly
    payment of this loan is the whole sum to repay at the base rate (principal + interest +
    paid services), as the Bank of Russia prescribes for a loan of a month or less; taking the
    whole sum for every term is never less than the Bank's figure. Above `tariff.PDN_CAP` the
    amount is reduced to the largest amount on the 500 ₽ step, not below
    `tariff.PDN_THRESHOLD`, whose ПДН fits; if none fits, the application is refused. An amount
    below the threshold is deliberately *not* offered instead: once the burden has been measured
    and found too high, lending just under the threshold would only step around the measurement.
    Requests below the threshold need no ПДН; the rule passes and `pdn_percent` is None. The
    cap is compared exactly; the stored `pdn_percent` (of the approved amount, or of the
    requested one on refusal) is rounded up to 0.01 %, so it never looks lower than it is.
11. ``score`` — the questionnaire score (`score_points`, table below) gives the largest amount
    we lend (`SCORE_LIMITS`); below the lowest row there is no loan.

The approved amount is min(requested, score limit, ПДН limit), rounded down to the 500 ₽ step,
never below the tariff minimum. A repeat borrower (no promo) gets the repeat-loan ceiling
(50 000 ₽) only after at least one loan with us repaid without overdue; otherwise the first-loan
ceiling (30 000 ₽) applies, as PRODUCT.md defines the repeat-loan range.

Bureau loans: the same loan is usually reported to several bureaus. Lacking a common contract
id, a loan is identified by its whole record (lender, ПСК, unpaid, monthly payment); each loan
counts as many times as the bureau that lists it most often lists it — the smallest set of
loans consistent with every report (two identical records in one report are two loans).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from credit7_web import tariff
from credit7_web.errors import Refusal
from credit7_web.gateways.bureaus import BureauLoan, BureauReport
from credit7_web.identity.fields import (
    age_on,
    anniversary,
    clean_address,
    clean_passport_number,
    clean_passport_series,
    clean_snils,
)
from credit7_web.lending.pricing import interest_kop, single_payment_psk
from credit7_web.money import percent, rub
from credit7_web.russian import format_date, plural

RUB = tariff.KOPECKS_PER_RUBLE

# A refusal that a month may change (debt burden, score): a new application after this many days.
REAPPLY_DAYS = 30

# ----------------------------------------------------------------------------- the score table
#
# The score is a sum of points, each from a plain fact of the questionnaire or of the history
# with us. Family status is asked in the questionnaire but earns no points.
#
# | fact                                             | points              |
# | ------------------------------------------------ | ------------------- |
# | monthly income from 80 000 ₽                     | 40                  |
# | monthly income 50 000 – 79 999,99 ₽              | 30                  |
# | monthly income 30 000 – 49 999,99 ₽              | 20                  |
# | monthly income 15 000 – 29 999,99 ₽              | 10                  |
# | monthly income below 15 000 ₽ or not given       | 0                   |
# | employer and position both given                 | 15                  |
# | no dependants                                    | 10                  |
# | 1 or 2 dependants                                | 5                   |
# | 3 or more dependants, or not given               | 0                   |
# | each loan with us repaid without overdue (≤ 5)   | +10 each, ≤ +50     |
# | each loan with us repaid late                    | −20 each            |
#
# | score     | largest amount |
# | --------- | -------------- |
# | 85 and up | 50 000 ₽       |
# | 75 – 84   | 40 000 ₽       |
# | 65 – 74   | 30 000 ₽       |
# | 50 – 64   | 20 000 ₽       |
# | 35 – 49   | 15 000 ₽       |
# | 20 – 34   | 10 000 ₽       |
# | 10 – 19   | 5 000 ₽        |
# | below 10  | no loan        |
#
# The tariff ceiling still applies: 30 000 ₽ for a first loan, and for a repeat loan until one
# loan with us has been repaid without overdue; 50 000 ₽ after that.

INCOME_POINTS: tuple[tuple[int, int], ...] = (
    # (monthly income from, in kopecks; points), highest band first
    (80_000 * RUB, 40),
    (50_000 * RUB, 30),
    (30_000 * RUB, 20),
    (15_000 * RUB, 10),
)
EMPLOYMENT_POINTS = 15
DEPENDANTS_POINTS: dict[int, int] = {0: 10, 1: 5, 2: 5}  # 3 or more, or not given: 0
REPAID_ON_TIME_POINTS = 10
REPAID_ON_TIME_COUNTED_MAX = 5
REPAID_LATE_POINTS = -20
SCORE_LIMITS: tuple[tuple[int, int], ...] = (
    # (score from; largest amount in kopecks), highest first; below the last row: no loan
    (85, 50_000 * RUB),
    (75, 40_000 * RUB),
    (65, 30_000 * RUB),
    (50, 20_000 * RUB),
    (35, 15_000 * RUB),
    (20, 10_000 * RUB),
    (10, 5_000 * RUB),
)

# The order rules run in; the first that fails gives the refusal.
RULES = (
    "age",
    "citizenship",
    "reg_address",
    "passport",
    "snils",
    "bureaus",
    "self_ban",
    "open_loan",
    "high_psk",
    "pdn",
    "score",
)

# A passport must be replaced on reaching these ages; the old one is invalid from that birthday.
PASSPORT_REPLACEMENT_AGES = (20, 45)

_DIVISION_CODE = re.compile(r"[0-9]{3}-[0-9]{3}")
_CYRILLIC = re.compile(r"[А-ЯЁа-яё]")
_PDN_QUANTUM = 100  # ПДН is kept in percent to two decimals


# ----------------------------------------------------------------------------- data


@dataclass(frozen=True, kw_only=True)
class ScoringInput:
    """Everything the decision reads, as it stood on the application date `today`.

    Profile fields are as the questionnaire stored them (possibly missing); `extra_services_kop`
    is the price of the paid extra services chosen, repaid with the loan, so it adds to the sum
    to repay, the ПСК and the ПДН.
    """

    today: date
    amount_kop: int
    term_days: int
    first_loan: bool
    birth_date: date | None
    citizenship: str | None
    reg_address: str | None
    passport_series: str | None
    passport_number: str | None
    passport_issue_date: date | None
    passport_division_code: str | None
    snils: str | None
    monthly_income_kop: int | None
    employer: str | None = None
    position: str | None = None
    dependants: int | None = None
    family_status: str | None = None
    open_loans_with_us: int = 0
    loans_repaid_with_us: int = 0
    loans_repaid_late_with_us: int = 0
    bureau_reports: Sequence[BureauReport] = ()
    extra_services_kop: int = 0


@dataclass(frozen=True)
class RuleResult:
    code: str
    passed: bool
    detail: str  # Russian, for the decision log


@dataclass(frozen=True)
class Decision:
    """The outcome. On approval `amount_kop` may be smaller than asked; `offer_text` says why
    (kept with the application and shown with the offer)."""

    approved: bool
    amount_kop: int | None
    refusal_code: str | None
    refusal_text: str | None
    reapply_after: date | None
    pdn_percent: Decimal | None
    score: int
    rules: tuple[RuleResult, ...]
    offer_text: str | None = None

    def log_json(self) -> str:
        """For LoanApplication.decision_log: each rule, in order, passed or not, and why."""
        return json.dumps(
            [{"code": r.code, "passed": r.passed, "detail": r.detail} for r in self.rules],
            ensure_ascii=False,
        )


@dataclass(frozen=True)
class _Outcome:
    """One rule's result and, if it fails, what the borrower is told."""

    result: RuleResult
    refusal_text: str | None = None
    reapply_after: date | None = None


def _pass(code: str, detail: str) -> _Outcome:
    return _Outcome(RuleResult(code, True, detail))


def _fail(code: str, detail: str, text: str, reapply_after: date | None) -> _Outcome:
    return _Outcome(RuleResult(code, False, detail), text, reapply_after)


def _years(n: int) -> str:
    return f"{n} {plural(n, 'год', 'года', 'лет')}"


def _fix_and_reapply(what: str) -> str:
    return f"{what} Исправьте данные в анкете — после этого заявку можно подать сразу."


# ----------------------------------------------------------------------------- rules 1–5: identity


def _age(inp: ScoringInput) -> _Outcome:
    birth = inp.birth_date
    if birth is None or birth > inp.today:
        return _fail(
            "age",
            "Дата рождения не указана или в будущем",
            _fix_and_reapply("В анкете не указана верная дата рождения."),
            inp.today,
        )
    age = age_on(birth, inp.today)
    detail = (
        f"Возраст на {format_date(inp.today)}: {_years(age)} "
        f"(нужно от {tariff.AGE_MIN} до {tariff.AGE_MAX})"
    )
    if age < tariff.AGE_MIN:
        adult = anniversary(birth, tariff.AGE_MIN)
        return _fail(
            "age",
            detail,
            f"Займы выдаются с {tariff.AGE_MIN} лет. "
            f"Подать заявку можно будет с {format_date(adult)}.",
            adult,
        )
    if age > tariff.AGE_MAX:
        return _fail(
            "age",
            detail,
            f"Займы выдаются в возрасте от {tariff.AGE_MIN} до {tariff.AGE_MAX} лет включительно, "
            "поэтому мы не можем выдать вам заём.",
            None,
        )
    return _pass("age", detail)


def _citizenship(inp: ScoringInput) -> _Outcome:
    value = (inp.citizenship or "").strip().upper()
    if value == tariff.CITIZENSHIP:
        return _pass("citizenship", "Гражданство: Российская Федерация")
    return _fail(
        "citizenship",
        f"Гражданство: {value or 'не указано'} (нужно {tariff.CITIZENSHIP})",
        "Займы выдаются только гражданам Российской Федерации.",
        None,
    )


def _reg_address(inp: ScoringInput) -> _Outcome:
    try:
        clean_address(inp.reg_address or "")
        present = bool(_CYRILLIC.search(inp.reg_address or ""))
    except Refusal:
        present = False
    if present:
        return _pass("reg_address", "Адрес регистрации в России указан")
    return _fail(
        "reg_address",
        "Адрес регистрации не указан или указан не полностью",
        _fix_and_reapply("В анкете нет адреса регистрации в России."),
        inp.today,
    )


def passport_problem(
    series: str | None,
    number: str | None,
    division_code: str | None,
    issued: date | None,
    birth: date | None,
    today: date,
) -> str | None:
    """What is wrong with the passport data, in plain Russian; None if nothing is."""
    try:
        clean_passport_series(series or "")
    except Refusal:
        return "серия паспорта должна состоять из 4 цифр"
    try:
        clean_passport_number(number or "")
    except Refusal:
        return "номер паспорта должен состоять из 6 цифр"
    if not _DIVISION_CODE.fullmatch(division_code or ""):
        return "код подразделения должен быть в виде 123-456"
    if issued is None:
        return "не указана дата выдачи паспорта"
    if issued > today:
        return "дата выдачи паспорта в будущем"
    if birth is None:
        return "не указана дата рождения, поэтому дату выдачи паспорта проверить нельзя"
    if issued <= anniversary(birth, tariff.PASSPORT_MIN_AGE):
        return f"паспорт выдаётся после {tariff.PASSPORT_MIN_AGE}-летия, проверьте дату выдачи"
    return None


def passport_replacement_due(birth: date, issued: date, today: date) -> int | None:
    """The age (20 or 45) at which this passport had to be replaced, if it has passed."""
    for age in sorted(PASSPORT_REPLACEMENT_AGES, reverse=True):
        due = anniversary(birth, age)
        if today >= due and issued < due:
            return age
    return None


def _passport(inp: ScoringInput) -> _Outcome:
    problem = passport_problem(
        inp.passport_series,
        inp.passport_number,
        inp.passport_division_code,
        inp.passport_issue_date,
        inp.birth_date,
        inp.today,
    )
    if problem is not None:
        return _fail(
            "passport",
            f"Паспорт: {problem}",
            _fix_and_reapply(f"Данные паспорта не подходят: {problem}."),
            inp.today,
        )
    birth, issued = inp.birth_date, inp.passport_issue_date
    age = passport_replacement_due(birth, issued, inp.today) if birth and issued else None
    if birth is None or age is None:
        return _pass("passport", "Паспорт действителен")
    due = format_date(anniversary(birth, age))
    return _fail(
        "passport",
        f"Паспорт недействителен: выдан до {age}-летия, срок замены наступил {due}",
        f"Ваш паспорт недействителен: его нужно было заменить при достижении {age} лет "
        f"({due}). Получите новый паспорт, внесите его данные в анкету и подайте заявку снова.",
        inp.today,
    )


def _snils(inp: ScoringInput) -> _Outcome:
    try:
        clean_snils(inp.snils or "")
    except Refusal:
        return _fail(
            "snils",
            "СНИЛС: не 11 цифр или контрольное число не сходится",
            _fix_and_reapply("СНИЛС в анкете указан с ошибкой: контрольное число не сходится."),
            inp.today,
        )
    return _pass("snils", "СНИЛС: контрольное число сходится")


# ----------------------------------------------------------------------------- rules 6–9: bureaus


def _bureaus(inp: ScoringInput) -> _Outcome:
    if not inp.bureau_reports:
        return _fail(
            "bureaus",
            "Ни одно бюро кредитных историй не ответило",
            "Не удалось получить ответ бюро кредитных историй, поэтому мы не можем проверить "
            "самозапрет на кредиты. Попробуйте подать заявку позже сегодня.",
            inp.today,
        )
    names = ", ".join(r.bureau for r in inp.bureau_reports)
    return _pass("bureaus", f"Ответили бюро: {names}")


def _self_ban(inp: ScoringInput) -> _Outcome:
    banned = [r.bureau for r in inp.bureau_reports if r.self_ban]
    if not banned:
        return _pass("self_ban", "Самозапрет на кредиты не установлен")
    return _fail(
        "self_ban",
        f"Самозапрет на кредиты установлен (сообщает: {', '.join(banned)})",
        "На ваше имя установлен самозапрет на получение кредитов и займов, поэтому мы не можем "
        "выдать заём. Снять самозапрет можно на Госуслугах; подайте заявку после того, "
        "как он будет снят.",
        None,
    )


def _open_loan(inp: ScoringInput) -> _Outcome:
    if inp.open_loans_with_us < tariff.MAX_OPEN_LOANS:
        return _pass("open_loan", "Открытых займов у нас нет")
    return _fail(
        "open_loan",
        f"Открытых займов у нас: {inp.open_loans_with_us}",
        "У вас уже есть непогашенный заём у нас, а одновременно можно иметь только один. "
        "Подайте заявку после его погашения.",
        None,
    )


def distinct_loans(reports: Sequence[BureauReport]) -> list[BureauLoan]:
    """The person's loans across bureaus, a loan reported to several bureaus counted once."""
    union: Counter[BureauLoan] = Counter()
    for report in reports:
        union |= Counter(report.loans)
    return list(union.elements())


def loan_psk_percent(inp: ScoringInput) -> Decimal:
    """This loan's ПСК at the base rate, with the paid services (see the module docstring)."""
    services = inp.extra_services_kop
    total = inp.amount_kop + interest_kop(inp.amount_kop, inp.term_days, services) + services
    return single_payment_psk(inp.amount_kop, total, inp.term_days)


def _high_psk(inp: ScoringInput) -> _Outcome:
    own = loan_psk_percent(inp)
    high = [
        loan
        for loan in distinct_loans(inp.bureau_reports)
        if loan.unpaid and loan.psk_percent > tariff.HIGH_PSK_PERCENT
    ]
    detail = (
        f"ПСК этого займа по базовой ставке {percent(own)}; непогашенных займов с ПСК выше "
        f"{percent(tariff.HIGH_PSK_PERCENT, 0)}: {len(high)}"
    )
    if inp.today < tariff.HIGH_PSK_RULE_FROM:
        return _pass(
            "high_psk",
            f"{detail}; ограничение действует с {format_date(tariff.HIGH_PSK_RULE_FROM)}",
        )
    if own <= tariff.HIGH_PSK_PERCENT or len(high) < tariff.HIGH_PSK_MAX_UNPAID:
        return _pass("high_psk", detail)
    loans = plural(len(high), "непогашенный заём", "непогашенных займа", "непогашенных займов")
    return _fail(
        "high_psk",
        detail,
        f"У вас уже есть {len(high)} {loans} "
        f"с полной стоимостью выше {percent(tariff.HIGH_PSK_PERCENT, 0)} годовых. "
        f"С {format_date(tariff.HIGH_PSK_RULE_FROM)} закон не разрешает выдавать ещё один "
        "такой заём. Подайте заявку после погашения хотя бы одного из них.",
        None,
    )


# ----------------------------------------------------------------------------- rule 10: ПДН


def loan_monthly_payment_kop(amount_kop: int, term_days: int, services_kop: int) -> int:
    """This loan's average monthly payment for ПДН: the whole sum to repay at the base rate."""
    return amount_kop + interest_kop(amount_kop, term_days, services_kop) + services_kop


def existing_monthly_payments_kop(reports: Sequence[BureauReport]) -> int:
    """Monthly payments of the person's unpaid loans, across bureaus."""
    return sum(loan.monthly_payment_kop for loan in distinct_loans(reports) if loan.unpaid)


def pdn_ratio(inp: ScoringInput, amount_kop: int) -> Fraction:
    """ПДН as an exact share of the monthly income; the income must be positive."""
    if not inp.monthly_income_kop or inp.monthly_income_kop <= 0:
        raise ValueError("ПДН needs a positive monthly income")
    debts = existing_monthly_payments_kop(inp.bureau_reports)
    own = loan_monthly_payment_kop(amount_kop, inp.term_days, inp.extra_services_kop)
    return Fraction(debts + own, inp.monthly_income_kop)


def _pdn_cap_text() -> str:
    """'50 %'."""
    return percent(Decimal(tariff.PDN_CAP.numerator * 100) / tariff.PDN_CAP.denominator, 0)


def pdn_percent_of(ratio: Fraction) -> Decimal:
    """In percent, rounded up to 0.01, so a stored figure never looks lower than it is."""
    scaled = ratio * 100 * _PDN_QUANTUM
    return Decimal(-(-scaled.numerator // scaled.denominator)).scaleb(-2)


def _pdn(inp: ScoringInput, bounds: tariff.AmountRange) -> tuple[_Outcome, int, Decimal | None]:
    """The outcome, the largest amount the ПДН allows, and the ПДН to store."""
    if inp.amount_kop < tariff.PDN_THRESHOLD:
        return (
            _pass("pdn", f"ПДН не требуется: сумма меньше {rub(tariff.PDN_THRESHOLD)}"),
            inp.amount_kop,
            None,
        )
    if not inp.monthly_income_kop or inp.monthly_income_kop <= 0:
        return (
            _fail(
                "pdn",
                "ПДН не рассчитать: доход не указан",
                _fix_and_reapply("В анкете не указан ежемесячный доход."),
                inp.today,
            ),
            inp.amount_kop,
            None,
        )
    cap = _pdn_cap_text()
    ratio = pdn_ratio(inp, inp.amount_kop)
    asked = pdn_percent_of(ratio)
    if ratio <= tariff.PDN_CAP:
        return (
            _pass("pdn", f"ПДН {percent(asked, 2)} при сумме {rub(inp.amount_kop)} (предел {cap})"),
            inp.amount_kop,
            asked,
        )
    floor = max(bounds.min, tariff.PDN_THRESHOLD)
    amount = inp.amount_kop - bounds.step
    while amount >= floor:
        reduced = pdn_ratio(inp, amount)
        if reduced <= tariff.PDN_CAP:
            fits = pdn_percent_of(reduced)
            return (
                _pass(
                    "pdn",
                    f"ПДН {percent(asked, 2)} при сумме {rub(inp.amount_kop)} выше предела {cap}; "
                    f"при сумме {rub(amount)} — {percent(fits, 2)}",
                ),
                amount,
                fits,
            )
        amount -= bounds.step
    return (
        _fail(
            "pdn",
            f"ПДН {percent(asked, 2)} при сумме {rub(inp.amount_kop)} выше предела {cap} "
            f"и при любой сумме от {rub(floor)}",
            f"Ваша долговая нагрузка слишком высока: платежи по кредитам вместе с этим займом "
            f"составили бы {percent(asked, 2)} вашего ежемесячного дохода, а мы выдаём займы, "
            f"только если они не больше {cap}. "
            f"Подать новую заявку можно с {format_date(inp.today + timedelta(days=REAPPLY_DAYS))}.",
            inp.today + timedelta(days=REAPPLY_DAYS),
        ),
        inp.amount_kop,
        asked,
    )


# ----------------------------------------------------------------------------- rule 11: score


def repaid_on_time(inp: ScoringInput) -> int:
    return max(inp.loans_repaid_with_us - inp.loans_repaid_late_with_us, 0)


def score_points(inp: ScoringInput) -> int:
    """The questionnaire score, by the table above."""
    income = inp.monthly_income_kop or 0
    points = next((p for low, p in INCOME_POINTS if income >= low), 0)
    if (inp.employer or "").strip() and (inp.position or "").strip():
        points += EMPLOYMENT_POINTS
    if inp.dependants is not None:
        points += DEPENDANTS_POINTS.get(inp.dependants, 0)
    points += REPAID_ON_TIME_POINTS * min(repaid_on_time(inp), REPAID_ON_TIME_COUNTED_MAX)
    points += REPAID_LATE_POINTS * inp.loans_repaid_late_with_us
    return points


def score_limit_kop(points: int) -> int:
    """The largest amount for a score, before the tariff ceiling; 0 means no loan."""
    return next((limit for low, limit in SCORE_LIMITS if points >= low), 0)


def tariff_ceiling_kop(inp: ScoringInput) -> int:
    """The repeat-loan ceiling needs a loan with us repaid without overdue."""
    if inp.first_loan or repaid_on_time(inp) == 0:
        return tariff.FIRST_LOAN_MAX
    return tariff.REPEAT_LOAN_MAX


def _score(inp: ScoringInput, points: int, bounds: tariff.AmountRange) -> tuple[_Outcome, int]:
    by_score, ceiling = score_limit_kop(points), tariff_ceiling_kop(inp)
    limit = min(by_score, ceiling)
    if limit >= bounds.min:
        detail = f"Балл {points}: можно до {rub(by_score)}"
        if ceiling < by_score:
            detail += f", но не больше {rub(ceiling)} до займа, погашенного без просрочки"
        return _pass("score", detail), limit
    reapply = inp.today + timedelta(days=REAPPLY_DAYS)
    return (
        _fail(
            "score",
            f"Балл {points}: меньше {SCORE_LIMITS[-1][0]}, заём не выдаётся",
            "Мы оценили вашу анкету и историю займов у нас по нашей внутренней методике и сейчас "
            "не можем выдать заём. Больший доход, постоянная работа и займы, погашенные в срок, "
            f"повышают оценку. Подать новую заявку можно с {format_date(reapply)}.",
            reapply,
        ),
        0,
    )


# ----------------------------------------------------------------------------- the decision


def _on_step(amount_kop: int, bounds: tariff.AmountRange) -> int:
    """Rounded down onto the slider's step."""
    return bounds.min + (amount_kop - bounds.min) // bounds.step * bounds.step


def decide(inp: ScoringInput) -> Decision:
    """Run every rule and decide; raises ValueError if the request is outside the tariff."""
    bounds = tariff.amount_range(inp.first_loan)
    if not bounds.allows(inp.amount_kop) or inp.term_days not in tariff.terms():
        raise ValueError(f"request outside the tariff: {inp.amount_kop} kop, {inp.term_days} d")
    points = score_points(inp)
    pdn_outcome, pdn_limit, pdn_value = _pdn(inp, bounds)
    score_outcome, score_limit = _score(inp, points, bounds)
    outcomes = (
        _age(inp),
        _citizenship(inp),
        _reg_address(inp),
        _passport(inp),
        _snils(inp),
        _bureaus(inp),
        _self_ban(inp),
        _open_loan(inp),
        _high_psk(inp),
        pdn_outcome,
        score_outcome,
    )
    rules = tuple(o.result for o in outcomes)
    failed = next((o for o in outcomes if not o.result.passed), None)
    if failed is not None:
        return Decision(
            approved=False,
            amount_kop=None,
            refusal_code=failed.result.code,
            refusal_text=failed.refusal_text,
            reapply_after=failed.reapply_after,
            pdn_percent=pdn_value,
            score=points,
            rules=rules,
        )
    amount = _on_step(min(inp.amount_kop, score_limit, pdn_limit), bounds)
    if amount < pdn_limit and pdn_value is not None:
        pdn_value = pdn_percent_of(pdn_ratio(inp, amount))
    return Decision(
        approved=True,
        amount_kop=amount,
        refusal_code=None,
        refusal_text=None,
        reapply_after=None,
        pdn_percent=pdn_value,
        score=points,
        rules=rules,
        offer_text=_offer_text(inp, amount, pdn_limit, score_limit),
    )


def _offer_text(inp: ScoringInput, amount: int, pdn_limit: int, score_limit: int) -> str | None:
    """Why the approved amount is smaller than asked, for the borrower; None if it is not."""
    if amount == inp.amount_kop:
        return None
    head = f"Мы одобрили {rub(amount)} вместо {rub(inp.amount_kop)}: "
    if pdn_limit < inp.amount_kop and pdn_limit <= score_limit:
        return (
            head + "с большей суммой платежи по кредитам превысили бы "
            f"{_pdn_cap_text()} вашего дохода."
        )
    return head + "это наибольшая сумма, которую мы можем предложить по оценке вашей анкеты."
