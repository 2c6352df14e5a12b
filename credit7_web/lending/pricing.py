"""What a loan costs: interest, total, ПСК, and the calculator table the landing page ships.

Interest is simple, on the principal, computed exactly over the term (one stretch of days with an
unchanged base) and rounded down to a kopeck, as `servicing.debt` accrues it; charges stop at the
100 % cap.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from itertools import pairwise

from credit7_web import tariff
from credit7_web.errors import Refusal
from credit7_web.money import NBSP, RUBLE_SIGN, percent, round_half_up, rub
from credit7_web.russian import format_date

PSK_QUANTUM = Decimal("0.001")


@dataclass(frozen=True)
class Quote:
    """The figures of one offer; with `promo` the interest is 0 if repaid by the due date."""

    amount_kop: int
    term_days: int
    start: date
    due_date: date
    interest_kop: int
    total_kop: int
    psk_percent: Decimal
    psk_rub_kop: int
    promo: bool
    services_kop: int = 0

    @property
    def standard(self) -> Quote:
        """The same loan at the base rate: what the promo saves, and what runs after it ends."""
        if not self.promo:
            return self
        return standard_quote(self.amount_kop, self.term_days, self.start)


def services_of(codes: object) -> tuple[tariff.ExtraService, ...]:
    """Known extra services from a client's list of codes; anything else is refused."""
    if not isinstance(codes, list | tuple) or len(codes) > len(tariff.EXTRA_SERVICES):
        raise Refusal.one("services", "Неизвестная дополнительная услуга")
    chosen = []
    for code in codes:
        if not isinstance(code, str) or code not in tariff.SERVICES_BY_CODE:
            raise Refusal.one("services", "Неизвестная дополнительная услуга")
        chosen.append(tariff.SERVICES_BY_CODE[code])
    return tuple(dict.fromkeys(chosen))


def stretch_kop(base_kop: int, rate: Fraction, days: int) -> int:
    """A charge over `days` days with an unchanged base and daily rate: exact, rounded down.

    Rounding down per stretch, never per day, keeps every charge at or below its legal rate.
    """
    return base_kop * rate.numerator * days // rate.denominator


def charges_cap_kop(principal_kop: int) -> int:
    """The most interest, penalties and paid services together may reach (545-FZ)."""
    return int(principal_kop * tariff.CHARGES_CAP)


def interest_kop(principal_kop: int, days: int, other_charges_kop: int = 0) -> int:
    """Interest for `days` days, rounded down once, stopped where all charges reach the cap."""
    accrued = stretch_kop(principal_kop, tariff.DAILY_RATE, days)
    room = max(charges_cap_kop(principal_kop) - other_charges_kop, 0)
    return min(accrued, room)


def single_payment_psk(principal_kop: int, total_kop: int, days: int) -> Decimal:
    """PRODUCT.md's closed form, (total / principal − 1) × 365 / d × 100, rounded to 0.001."""
    exact = (Fraction(total_kop, principal_kop) - 1) * tariff.DAYS_IN_YEAR * 100 / days
    return Decimal(round_half_up(exact * 1000)).scaleb(-3)


def _round_psk(value: Decimal) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 60
        # Snap solver noise first, so a value that is exactly a half rounds up as it should.
        snapped = value.quantize(Decimal("1e-20"), rounding=ROUND_HALF_UP)
        return snapped.quantize(PSK_QUANTUM, rounding=ROUND_HALF_UP)


def _check(amount_kop: int, term_days: int, first_loan: bool) -> None:
    bounds = tariff.amount_range(first_loan)
    errors: dict[str, str] = {}
    if not bounds.allows(amount_kop):
        low = rub(bounds.min).removesuffix(NBSP + RUBLE_SIGN)
        errors["amount"] = f"Сумма займа — от {low} до {rub(bounds.max)}, шаг {rub(bounds.step)}"
    if term_days not in tariff.terms():
        errors["term"] = f"Срок займа — от {tariff.TERM_MIN} до {tariff.TERM_MAX} дней"
    if errors:
        raise Refusal(errors)


def standard_quote(amount_kop: int, term_days: int, start: date) -> Quote:
    """The base-rate offer; checked against the repeat-loan range, the wider one."""
    _check(amount_kop, term_days, first_loan=False)
    interest = interest_kop(amount_kop, term_days)
    total = amount_kop + interest
    return Quote(
        amount_kop=amount_kop,
        term_days=term_days,
        start=start,
        due_date=start + timedelta(days=term_days),
        interest_kop=interest,
        total_kop=total,
        psk_percent=single_payment_psk(amount_kop, total, term_days),
        psk_rub_kop=interest,
        promo=False,
    )


def within_caps(amount_kop: int, term_days: int, interest_kop: int, services_kop: int) -> bool:
    """Whether paid services keep the loan under the ПСК cap and the 100 % charges cap."""
    if not services_kop:
        return True
    total = amount_kop + interest_kop + services_kop
    return single_payment_psk(
        amount_kop, total, term_days
    ) <= tariff.PSK_CAP_PERCENT and interest_kop + services_kop <= charges_cap_kop(amount_kop)


def quote(
    amount_kop: int, term_days: int, start: date, first_loan: bool, services_kop: int = 0
) -> Quote:
    """The offer for this borrower; raises Refusal on "amount" / "term" outside the tariff.

    Paid extra services (`services_kop`) are repaid with the loan: they add to the total, the
    ПСК and the charges under the 100 % cap; a choice that breaks either cap is refused on
    "services".
    """
    _check(amount_kop, term_days, first_loan)
    standard = standard_quote(amount_kop, term_days, start)
    interest = 0 if first_loan else standard.interest_kop
    total = amount_kop + interest + services_kop
    offer = Quote(
        amount_kop=amount_kop,
        term_days=term_days,
        start=start,
        due_date=standard.due_date,
        interest_kop=interest,
        total_kop=total,
        psk_percent=single_payment_psk(amount_kop, total, term_days),
        psk_rub_kop=interest + services_kop,
        promo=first_loan,
        services_kop=services_kop,
    )
    if not within_caps(amount_kop, term_days, interest, services_kop):
        raise Refusal.one(
            "services",
            "С выбранными услугами полная стоимость займа превысила бы предел закона "
            f"({percent(tariff.PSK_CAP_PERCENT)} годовых, начисления — не больше суммы займа)",
        )
    return offer


@dataclass(frozen=True)
class ServiceOption:
    """An extra service beside a choice: whether it is chosen, and whether it fits the caps."""

    service: tariff.ExtraService
    chosen: bool
    fits: bool


@dataclass(frozen=True)
class PricedChoice:
    """A borrower's amount, term and services priced, with what each other service would do.

    A chosen set that breaks a cap is dropped (`chosen` is then empty) and `refusal` says why.
    """

    quote: Quote
    chosen: tuple[str, ...]
    options: tuple[ServiceOption, ...]
    refusal: Refusal | None = None


def price_choice(
    amount_kop: int, term_days: int, start: date, first_loan: bool, codes: object
) -> PricedChoice:
    """The offer for this choice; Refusal on "amount" / "term" (or unknown services)."""
    chosen = services_of(codes)
    refusal = None
    try:
        offer = quote(amount_kop, term_days, start, first_loan, sum(s.price_kop for s in chosen))
    except Refusal as error:
        if "services" not in error.errors:
            raise
        refusal, chosen = error, ()
        offer = quote(amount_kop, term_days, start, first_loan)
    chosen_kop = sum(s.price_kop for s in chosen)
    options = tuple(
        ServiceOption(
            service,
            chosen=service in chosen,
            fits=service in chosen
            or within_caps(
                amount_kop, term_days, offer.interest_kop, chosen_kop + service.price_kop
            ),
        )
        for service in tariff.EXTRA_SERVICES
    )
    return PricedChoice(offer, tuple(s.code for s in chosen), options, refusal)


def requested_loan(amount_rub: object, term_days: object) -> tuple[int, int] | None:
    """Amount (kopecks) and term carried in from the calculator, when they fit the tariff."""
    if not isinstance(amount_rub, str) or not isinstance(term_days, str):
        return None
    if not (amount_rub.isascii() and amount_rub.isdigit() and term_days.isascii()):
        return None
    if len(amount_rub) > 7 or not term_days.isdigit():
        return None
    amount_kop, term = int(amount_rub) * tariff.KOPECKS_PER_RUBLE, int(term_days)
    try:
        _check(amount_kop, term, first_loan=True)
    except Refusal:
        return None
    return amount_kop, term


def _base_period_days(offsets: list[int]) -> int:
    """The interval between flows that occurs most often; for one repayment, the term itself."""
    gaps = [b - a for a, b in pairwise(offsets) if b > a]
    if not gaps:
        raise ValueError("cash flows must span at least one day")
    counts = Counter(gaps)
    top = max(counts.values())
    return min(gap for gap, n in counts.items() if n == top)


def psk_rate(
    flows: list[tuple[date, int]], base_period_days: int | None = None
) -> tuple[Decimal, int]:
    """Solve Σ ДПk / ((1 + ek·i)(1 + i)^qk) = 0 for i by bisection; returns (i, base period).

    Flows are (date, kopecks), the loan negative, repayments positive; qk counts whole base
    periods from the first flow and ek is the remainder as a share of a base period.
    """
    if len(flows) < 2:
        raise ValueError("a loan has at least two cash flows")
    flows = sorted(flows)
    start = flows[0][0]
    offsets = [(day - start).days for day, _ in flows]
    period = base_period_days or _base_period_days(offsets)
    terms = [
        (Decimal(amount), divmod(offset, period))
        for (_, amount), offset in zip(flows, offsets, strict=True)
    ]

    with localcontext() as ctx:
        ctx.prec = 60

        def npv(i: Decimal) -> Decimal:
            one_plus = 1 + i
            return sum(
                (
                    amount / ((1 + Decimal(e) / period * i) * one_plus**q)
                    for amount, (q, e) in terms
                ),
                Decimal(0),
            )

        lo, hi = Decimal("-0.999999"), Decimal(1)
        f_lo = npv(lo)
        while (npv(hi) > 0) == (f_lo > 0):
            hi *= 2
            if hi > 10**9:
                raise ValueError("no rate makes these cash flows balance")
        for _ in range(250):
            mid = (lo + hi) / 2
            if (npv(mid) > 0) == (f_lo > 0):
                lo = mid
            else:
                hi = mid
        return (lo + hi) / 2, period


def psk_percent(flows: list[tuple[date, int]], base_period_days: int | None = None) -> Decimal:
    """ПСК = i × ЧБП × 100 (353-FZ art. 6), ЧБП = 365 / base period, rounded half-up to 0.001.

    For one loan and one repayment after d days the base period is d, so this is the closed
    form of PRODUCT.md; the tests hold the two together.
    """
    i, period = psk_rate(flows, base_period_days)
    with localcontext() as ctx:
        ctx.prec = 60
        return _round_psk(i * tariff.DAYS_IN_YEAR * 100 / period)


def calculator_table(first_loan: bool) -> dict[str, dict[str, str]]:
    """Display strings for every allowed "amount_rub:term": what the calculator must show. The
    landing computes them in the browser (assets/pricing.js); the tests hold the two equal."""
    start = date(2000, 1, 1)  # dates are not in the table; figures do not depend on them
    table: dict[str, dict[str, str]] = {}
    for amount in tariff.amount_range(first_loan).values():
        for term in tariff.terms():
            offer = quote(amount, term, start, first_loan)
            std = offer.standard
            table[f"{amount // tariff.KOPECKS_PER_RUBLE}:{term}"] = {
                "total": rub(offer.total_kop),
                "interest": rub(offer.interest_kop),
                "psk": percent(offer.psk_percent),
                "psk_rub": rub(offer.psk_rub_kop),
                "std_total": rub(std.total_kop),
                "std_interest": rub(std.interest_kop),
                "std_psk": percent(std.psk_percent),
            }
    return table


def due_dates(start: date) -> dict[str, str]:
    """Due date of each allowed term from `start`, keyed by the term: {"7": "08.01.2027"}."""
    return {str(term): format_date(start + timedelta(days=term)) for term in tariff.terms()}
