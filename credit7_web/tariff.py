"""The lender's tariff and the legal limits of PRODUCT.md, each figure named once.

Money is in kopecks, terms in days, rates as exact fractions: pricing, documents and the UI read
these names, so a change of tariff or of law is one edit here (and in PRODUCT.md first).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from fractions import Fraction

KOPECKS_PER_RUBLE = 100

# Loan amounts: a first loan is smaller; a repeat loan needs a loan repaid without overdue.
FIRST_LOAN_MIN = 1_000 * KOPECKS_PER_RUBLE
FIRST_LOAN_MAX = 30_000 * KOPECKS_PER_RUBLE
REPEAT_LOAN_MIN = 1_000 * KOPECKS_PER_RUBLE
REPEAT_LOAN_MAX = 50_000 * KOPECKS_PER_RUBLE
AMOUNT_STEP = 500 * KOPECKS_PER_RUBLE
# Where the calculator and the application form start before the borrower picks.
CALCULATOR_AMOUNT = 10_000 * KOPECKS_PER_RUBLE
CALCULATOR_TERM = 20

# Term in calendar days; one bullet repayment on the due date.
TERM_MIN = 7
TERM_MAX = 30
TERM_STEP = 1

# 0.8 % a day, simple interest on the outstanding principal; kept exact so 0.8 % × 365 is 292 %.
DAILY_RATE = Fraction(8, 1000)
# The first loan is interest-free if repaid on or before the original due date.
FIRST_LOAN_PROMO_RATE = Fraction(0)
# 20 % a year on the overdue principal; interest keeps running meanwhile.
PENALTY_RATE_YEAR = Fraction(20, 100)
DAYS_IN_YEAR = 365

# Interest + penalties + paid extra services ≤ 100 % of the principal (545-FZ, from 01.04.2026).
CHARGES_CAP = Fraction(1)
# ПСК ≤ 292 % a year; the base rate, 0.8 % × 365, sits exactly at it.
PSK_CAP_PERCENT = Decimal("292")
# Debt burden (ПДН) is computed for loans from 10 000 ₽ and capped at 50 % by the tariff.
PDN_THRESHOLD = 10_000 * KOPECKS_PER_RUBLE
PDN_CAP = Fraction(50, 100)

# Prolongation moves the due date this many days past the later of the current due date and the
# prolongation day; it is offered from some days before the due date until some days past it, a
# few times per loan (SRO base standard), and never once the charges have reached the cap.
PROLONGATION_DAYS = 30
PROLONGATION_FROM_DAYS_BEFORE_DUE = 3
PROLONGATION_UNTIL_DAYS_OVERDUE = 60
MAX_PROLONGATIONS = 5
# The smallest payment: 100 ₽, or the whole debt when it is less.
MIN_PAYMENT = 100 * KOPECKS_PER_RUBLE

# Cooling-off (353-FZ since 01.09.2025): a loan this large is paid out no sooner than this after
# signing; until then the borrower may cancel it at no cost.
COOLING_OFF_FROM = 50_000 * KOPECKS_PER_RUBLE
COOLING_OFF_HOURS = 4
MAX_OPEN_LOANS = 1

# Since 01.10.2026: no loan above 200 % ПСК to someone with two unpaid loans above 200 % ПСК.
HIGH_PSK_PERCENT = Decimal("200")
HIGH_PSK_MAX_UNPAID = 2
HIGH_PSK_RULE_FROM = date(2026, 10, 1)

# Borrower eligibility.
AGE_MIN = 18
AGE_MAX = 75
PASSPORT_MIN_AGE = 14
CITIZENSHIP = "RUS"

# The card check charge the acquirer places and returns.
CARD_CHECK_MIN = 1 * KOPECKS_PER_RUBLE
CARD_CHECK_MAX = 10 * KOPECKS_PER_RUBLE

# Extra services: always opt-in; the price is added to the sum to repay on the due date, so it
# counts toward the 100 % cap and the ПСК (a service that would break either is not offered).


@dataclass(frozen=True)
class ExtraService:
    code: str
    title: str
    price_kop: int
    about: str


EXTRA_SERVICES = (
    ExtraService(
        "life",
        "Страхование жизни",
        290 * KOPECKS_PER_RUBLE,
        "Долг погасит страховая компания, если с заёмщиком случится несчастье.",
    ),
    ExtraService(
        "risk",
        "Страхование рисков по займу",
        190 * KOPECKS_PER_RUBLE,
        "Страховая выплатит долг при потере работы или дохода.",
    ),
    ExtraService(
        "report",
        "Отчёт о кредитной истории",
        99 * KOPECKS_PER_RUBLE,
        "Полный отчёт из бюро кредитных историй в личном кабинете.",
    ),
)
SERVICES_BY_CODE = {service.code: service for service in EXTRA_SERVICES}

# Extra services: refusal window and refund term.
SERVICE_REFUSAL_DAYS = 30
SERVICE_REFUND_WORKING_DAYS = 7

# Contacts shown to borrowers.
HOTLINE = "8 800 000-00-07"
HOTLINE_TEL = "+78000000007"  # the same number for a tel: link
DOCS_EMAIL = "doc@creditseven.ru"


@dataclass(frozen=True)
class AmountRange:
    """Slider bounds in kopecks."""

    min: int
    max: int
    step: int

    def values(self) -> range:
        """Every allowed amount, in kopecks."""
        return range(self.min, self.max + 1, self.step)

    def allows(self, amount_kop: int) -> bool:
        return self.min <= amount_kop <= self.max and (amount_kop - self.min) % self.step == 0


def amount_range(first_loan: bool) -> AmountRange:
    if first_loan:
        return AmountRange(FIRST_LOAN_MIN, FIRST_LOAN_MAX, AMOUNT_STEP)
    return AmountRange(REPEAT_LOAN_MIN, REPEAT_LOAN_MAX, AMOUNT_STEP)


def terms() -> range:
    """Every allowed term, in days."""
    return range(TERM_MIN, TERM_MAX + 1, TERM_STEP)


# Account deletion: carried out within this many days of the request, when no loan is open and
# nothing is overdue; loan contracts and payment records are kept this many years after it.
ACCOUNT_DELETION_DAYS = 5
RECORDS_KEPT_YEARS = 5

# Reminders and overdue notices to one borrower (230-FZ): at most this many in a day, a week and
# a month, and only in these Moscow hours (from, until) on working days and on days off.
MESSAGES_PER_DAY = 2
MESSAGES_PER_WEEK = 4
MESSAGES_PER_MONTH = 16
MESSAGE_HOURS_WORKING_DAY = (time(8), time(22))
MESSAGE_HOURS_DAY_OFF = (time(9), time(20))

# Rate limits per client address, beyond the per-phone rules: sign-up, recovery, sign-in and
# quick-pay look-ups (each counted apart), and the SMS codes asked for, per address and in
# total, in any hour; so nobody can use the app to pump SMS or to enumerate borrowers.
ADDRESS_REQUESTS_PER_HOUR = 20
SMS_PER_ADDRESS_PER_HOUR = 10
SMS_TOTAL_PER_HOUR = 1000
