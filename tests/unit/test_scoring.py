from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from credit7_web import tariff
from credit7_web.gateways.bureaus import BureauLoan, BureauReport
from credit7_web.lending import scoring
from credit7_web.lending.scoring import Decision, ScoringInput, decide

RUB = 100
NB = "\u00a0"
TODAY = date(2026, 11, 16)  # after the high-ПСК rule took effect on 01.10.2026


def clean_reports(*loans: BureauLoan) -> list[BureauReport]:
    return [
        BureauReport("НБКИ", False, tuple(loans)),
        BureauReport("ОКБ", False),
        BureauReport("Скоринг Бюро", False),
    ]


def person(**changes: object) -> ScoringInput:
    """36 years old, valid papers, 100 000 ₽ a month, employed, no dependants: 65 points."""
    base = ScoringInput(
        today=TODAY,
        amount_kop=20_000 * RUB,
        term_days=30,
        first_loan=True,
        birth_date=date(1990, 5, 20),
        citizenship="RUS",
        reg_address="г. Москва, ул. Ленина, д. 1, кв. 2",
        passport_series="4510",
        passport_number="123456",
        passport_issue_date=date(2010, 6, 1),
        passport_division_code="770-001",
        snils="11223344595",
        monthly_income_kop=100_000 * RUB,
        employer="ООО «Ромашка»",
        position="Инженер",
        dependants=0,
        family_status="single",
        bureau_reports=clean_reports(),
    )
    return replace(base, **changes)


def rule(decision: Decision, code: str) -> scoring.RuleResult:
    return next(r for r in decision.rules if r.code == code)


def assert_refused(decision: Decision, code: str) -> None:
    assert not decision.approved
    assert decision.amount_kop is None
    assert decision.refusal_code == code
    assert not rule(decision, code).passed
    assert decision.refusal_text


# ----------------------------------------------------------------------------- approval


def test_clean_person_gets_the_full_amount_and_every_rule_is_logged() -> None:
    decision = decide(person())
    assert decision.approved
    assert decision.amount_kop == 20_000 * RUB
    assert decision.refusal_code is None
    assert decision.refusal_text is None
    assert decision.reapply_after is None
    assert decision.offer_text is None
    assert decision.score == 65
    assert [r.code for r in decision.rules] == list(scoring.RULES)
    assert all(r.passed for r in decision.rules)
    # 20 000 ₽ + 30 days × 160 ₽ = 24 800 ₽ against 100 000 ₽ a month.
    assert decision.pdn_percent == Decimal("24.80")
    log = json.loads(decision.log_json())
    assert [entry["code"] for entry in log] == list(scoring.RULES)
    assert all(entry["passed"] for entry in log)
    assert all(entry["detail"] for entry in log)
    assert "ПДН 24,80" in rule(decision, "pdn").detail


def test_decision_is_deterministic() -> None:
    assert decide(person()) == decide(person())


def test_pdn_is_stored_from_10000_rub_and_not_below() -> None:
    at_threshold = decide(person(amount_kop=tariff.PDN_THRESHOLD))
    below = decide(person(amount_kop=tariff.PDN_THRESHOLD - tariff.AMOUNT_STEP))
    assert at_threshold.approved and below.approved
    assert at_threshold.pdn_percent == Decimal("12.40")
    assert below.pdn_percent is None
    assert "не требуется" in rule(below, "pdn").detail


def test_pdn_is_stored_on_refusal_too() -> None:
    decision = decide(person(citizenship="KAZ"))
    assert decision.pdn_percent == Decimal("24.80")


def test_repeat_borrower_with_loans_repaid_in_time_gets_more() -> None:
    # 65 points + 2 × 10 for loans repaid in time = 85: up to 50 000 ₽; ПДН 55 800 / 120 000.
    decision = decide(
        person(
            first_loan=False,
            amount_kop=45_000 * RUB,
            monthly_income_kop=120_000 * RUB,
            loans_repaid_with_us=2,
        )
    )
    assert decision.approved
    assert decision.score == 85
    assert decision.amount_kop == 45_000 * RUB
    assert decision.pdn_percent == Decimal("46.50")


def test_repeat_ceiling_needs_a_loan_repaid_without_overdue() -> None:
    first = person(first_loan=True)
    late_only = person(first_loan=False, loans_repaid_with_us=1, loans_repaid_late_with_us=1)
    in_time = person(first_loan=False, loans_repaid_with_us=1)
    assert scoring.tariff_ceiling_kop(first) == tariff.FIRST_LOAN_MAX
    assert scoring.tariff_ceiling_kop(late_only) == tariff.FIRST_LOAN_MAX
    assert scoring.tariff_ceiling_kop(in_time) == tariff.REPEAT_LOAN_MAX


def test_late_repayments_lower_the_score() -> None:
    assert scoring.score_points(person(first_loan=False, loans_repaid_with_us=1)) == 75
    late = person(first_loan=False, loans_repaid_with_us=2, loans_repaid_late_with_us=2)
    assert scoring.score_points(late) == 65 - 40


def test_score_table() -> None:
    assert (
        scoring.score_points(person(monthly_income_kop=None, employer=None, dependants=None)) == 0
    )
    assert scoring.score_points(person(monthly_income_kop=15_000 * RUB)) == 35
    assert scoring.score_points(person(monthly_income_kop=14_999 * RUB)) == 25
    assert scoring.score_points(person(dependants=2)) == 60
    assert scoring.score_points(person(dependants=3)) == 55
    assert scoring.score_points(person(position=" ")) == 50
    assert scoring.score_points(person(loans_repaid_with_us=9, first_loan=False)) == 65 + 50
    assert scoring.score_limit_kop(9) == 0
    assert scoring.score_limit_kop(10) == 5_000 * RUB
    assert scoring.score_limit_kop(65) == 30_000 * RUB
    assert scoring.score_limit_kop(200) == 50_000 * RUB
    assert all(limit % tariff.AMOUNT_STEP == 0 for _, limit in scoring.SCORE_LIMITS)


# ----------------------------------------------------------------------------- age


def test_a_17_year_old_is_refused_until_the_18th_birthday() -> None:
    decision = decide(person(birth_date=date(2009, 6, 1), passport_issue_date=date(2023, 7, 1)))
    assert_refused(decision, "age")
    assert decision.reapply_after == date(2027, 6, 1)
    assert decision.refusal_text == (
        "Займы выдаются с 18 лет. Подать заявку можно будет с 01.06.2027."
    )


def test_a_76_year_old_is_refused() -> None:
    decision = decide(person(birth_date=date(1950, 1, 10), passport_issue_date=date(1995, 2, 1)))
    assert_refused(decision, "age")
    assert decision.reapply_after is None
    assert "от 18 до 75 лет" in (decision.refusal_text or "")
    assert "76 лет" in rule(decision, "age").detail


def test_75_until_the_day_before_the_76th_birthday() -> None:
    still_75 = person(birth_date=date(1950, 11, 17), passport_issue_date=date(1995, 12, 1))
    assert rule(decide(still_75), "age").passed
    assert not rule(decide(replace(still_75, today=date(2026, 11, 17))), "age").passed


# ----------------------------------------------------------------------------- identity


def test_a_foreign_citizen_is_refused() -> None:
    decision = decide(person(citizenship="KAZ"))
    assert_refused(decision, "citizenship")
    assert decision.refusal_text == "Займы выдаются только гражданам Российской Федерации."
    assert decision.reapply_after is None


@pytest.mark.parametrize("address", [None, "", "   ", "Moscow, Lenina street 1"])
def test_no_registration_address_in_russia_is_refused(address: str | None) -> None:
    decision = decide(person(reg_address=address))
    assert_refused(decision, "reg_address")
    assert decision.reapply_after == TODAY
    assert "адреса регистрации" in (decision.refusal_text or "")


def test_a_passport_issued_on_the_14th_birthday_is_refused() -> None:
    decision = decide(person(passport_issue_date=date(2004, 5, 20)))
    assert_refused(decision, "passport")
    assert decision.reapply_after == TODAY
    assert decision.refusal_text == (
        "Данные паспорта не подходят: паспорт выдаётся после 14-летия, проверьте дату выдачи. "
        "Исправьте данные в анкете — после этого заявку можно подать сразу."
    )


def test_a_passport_not_replaced_at_45_is_refused() -> None:
    decision = decide(person(birth_date=date(1980, 3, 1), passport_issue_date=date(2001, 1, 1)))
    assert_refused(decision, "passport")
    assert decision.reapply_after == TODAY
    assert decision.refusal_text == (
        "Ваш паспорт недействителен: его нужно было заменить при достижении 45 лет "
        "(01.03.2025). Получите новый паспорт, внесите его данные в анкету и подайте заявку снова."
    )


def test_a_passport_is_invalid_from_the_replacement_birthday() -> None:
    old = person(birth_date=date(1981, 11, 16), passport_issue_date=date(2001, 12, 1))
    assert not rule(decide(old), "passport").passed  # 45 today
    assert rule(decide(replace(old, today=TODAY - timedelta(days=1))), "passport").passed
    renewed = replace(old, passport_issue_date=TODAY)
    assert rule(decide(renewed), "passport").passed


def test_a_passport_not_replaced_at_20_is_refused() -> None:
    decision = decide(person(birth_date=date(2005, 1, 10), passport_issue_date=date(2019, 2, 1)))
    assert_refused(decision, "passport")
    assert "20 лет" in (decision.refusal_text or "")


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"passport_series": "451"}, "серия паспорта"),
        ({"passport_number": "12345a"}, "номер паспорта"),
        ({"passport_division_code": "770001"}, "код подразделения"),
        ({"passport_issue_date": TODAY + timedelta(days=1)}, "в будущем"),
        ({"passport_issue_date": None}, "дата выдачи"),
    ],
)
def test_malformed_passport_data_is_refused(changes: dict[str, object], words: str) -> None:
    decision = decide(person(**changes))
    assert_refused(decision, "passport")
    assert words in (decision.refusal_text or "")
    assert decision.reapply_after == TODAY


def test_a_bad_snils_checksum_is_refused() -> None:
    decision = decide(person(snils="11223344596"))
    assert_refused(decision, "snils")
    assert decision.reapply_after == TODAY
    assert decision.refusal_text == (
        "СНИЛС в анкете указан с ошибкой: контрольное число не сходится. "
        "Исправьте данные в анкете — после этого заявку можно подать сразу."
    )


# ----------------------------------------------------------------------------- bureaus


def test_no_bureau_answer_refuses() -> None:
    decision = decide(person(bureau_reports=[]))
    assert_refused(decision, "bureaus")
    assert decision.reapply_after == TODAY


def test_a_self_ban_from_one_bureau_refuses() -> None:
    reports = [
        BureauReport("НБКИ", False),
        BureauReport("ОКБ", True),
        BureauReport("Скоринг Бюро", False),
    ]
    decision = decide(person(bureau_reports=reports))
    assert_refused(decision, "self_ban")
    assert (decision.refusal_text or "").startswith(
        "На ваше имя установлен самозапрет на получение кредитов"
    )
    assert "после того, как он будет снят" in (decision.refusal_text or "")
    assert decision.reapply_after is None
    assert "ОКБ" in rule(decision, "self_ban").detail


def test_an_open_loan_with_us_refuses() -> None:
    decision = decide(person(first_loan=False, open_loans_with_us=1, loans_repaid_with_us=1))
    assert_refused(decision, "open_loan")
    assert "после его погашения" in (decision.refusal_text or "")
    assert decision.reapply_after is None


HIGH_A = BureauLoan("МФК «Пример Займ»", Decimal("250.000"), True, 6_000 * RUB)
HIGH_B = BureauLoan("МКК «Образец Деньги»", Decimal("281.050"), True, 7_500 * RUB)


def two_high_psk_reports() -> list[BureauReport]:
    return [
        BureauReport("НБКИ", False, (HIGH_A,)),
        BureauReport("ОКБ", False, (HIGH_B,)),
        BureauReport("Скоринг Бюро", False),
    ]


def test_two_unpaid_high_psk_loans_refuse_from_1_october_2026() -> None:
    decision = decide(
        person(today=tariff.HIGH_PSK_RULE_FROM, bureau_reports=two_high_psk_reports())
    )
    assert_refused(decision, "high_psk")
    assert decision.refusal_text == (
        f"У вас уже есть 2 непогашенных займа с полной стоимостью выше 200{NB}% годовых. "
        "С 01.10.2026 закон не разрешает выдавать ещё один такой заём. "
        "Подайте заявку после погашения хотя бы одного из них."
    )
    assert decision.reapply_after is None


def test_two_unpaid_high_psk_loans_are_allowed_before_1_october_2026() -> None:
    day = tariff.HIGH_PSK_RULE_FROM - timedelta(days=1)
    decision = decide(person(today=day, bureau_reports=two_high_psk_reports()))
    assert decision.approved
    assert "действует с 01.10.2026" in rule(decision, "high_psk").detail


def test_high_psk_rule_counts_a_loan_reported_twice_once_and_ignores_paid_ones() -> None:
    paid = BureauLoan("МФК «Пример Займ»", Decimal("290.000"), False, 0)
    low = BureauLoan("ПАО «Банк»", Decimal("24.900"), True, 1_000 * RUB)
    reports = [
        BureauReport("НБКИ", False, (HIGH_A, paid, low)),
        BureauReport("ОКБ", False, (HIGH_A, paid)),
    ]
    decision = decide(person(bureau_reports=reports))
    assert decision.approved
    assert "выше 200" in rule(decision, "high_psk").detail


def test_high_psk_rule_uses_the_base_rate_even_for_a_first_loan_promo() -> None:
    assert scoring.loan_psk_percent(person(first_loan=True)) == Decimal("292.000")
    assert not decide(person(first_loan=True, bureau_reports=two_high_psk_reports())).approved


def test_distinct_loans_keeps_two_identical_loans_in_one_report() -> None:
    reports = [BureauReport("НБКИ", False, (HIGH_A, HIGH_A)), BureauReport("ОКБ", False, (HIGH_A,))]
    assert scoring.distinct_loans(reports) == [HIGH_A, HIGH_A]


# ----------------------------------------------------------------------------- ПДН and score


def test_high_pdn_reduces_the_amount() -> None:
    # 50 000 ₽ income (55 points: up to 20 000 ₽); 5 000 ₽ a month already owed.
    # 20 000 ₽: (5 000 + 24 800) / 50 000 = 59,6 %; 16 000 ₽: (5 000 + 19 840) / 50 000 = 49,68 %.
    owed = BureauLoan("ПАО «Банк»", Decimal("24.900"), True, 5_000 * RUB)
    decision = decide(person(monthly_income_kop=50_000 * RUB, bureau_reports=clean_reports(owed)))
    assert decision.approved
    assert decision.amount_kop == 16_000 * RUB
    assert decision.pdn_percent == Decimal("49.68")
    assert decision.offer_text == (
        f"Мы одобрили 16{NB}000{NB}₽ вместо 20{NB}000{NB}₽: с большей суммой платежи "
        f"по кредитам превысили бы 50{NB}% вашего дохода."
    )
    assert "59,60" in rule(decision, "pdn").detail


def test_pdn_counts_paid_services_into_the_sum_to_repay() -> None:
    # 20 000 + 4 800 + 290 ₽ of life insurance = 25 090 ₽ of 100 000 ₽.
    decision = decide(person(extra_services_kop=290 * RUB))
    assert decision.pdn_percent == Decimal("25.09")


def test_impossible_pdn_refuses_and_offers_no_amount_under_the_threshold() -> None:
    reports = clean_reports(
        BureauLoan("ПАО «Банк Пример»", Decimal("24.900"), True, 30_000 * RUB),
        BureauLoan("АО «Банк Образец»", Decimal("34.500"), True, 15_000 * RUB),
    )
    decision = decide(person(monthly_income_kop=60_000 * RUB, bureau_reports=reports))
    assert_refused(decision, "pdn")
    assert decision.reapply_after == TODAY + timedelta(days=30)
    # (45 000 + 24 800) / 60 000 = 116,33… %, rounded up.
    assert decision.pdn_percent == Decimal("116.34")
    assert decision.refusal_text == (
        "Ваша долговая нагрузка слишком высока: платежи по кредитам вместе с этим займом "
        f"составили бы 116,34{NB}% вашего ежемесячного дохода, а мы выдаём займы, только если "
        f"они не больше 50{NB}%. Подать новую заявку можно с 16.12.2026."
    )


def test_pdn_without_income_refuses() -> None:
    decision = decide(person(monthly_income_kop=None))
    assert_refused(decision, "pdn")
    assert decision.pdn_percent is None
    assert decision.reapply_after == TODAY


def test_low_income_gets_a_smaller_amount_than_asked() -> None:
    # 40 000 ₽ income, 3 dependants: 20 + 15 + 0 = 35 points, up to 15 000 ₽;
    # the ПДН alone would allow 16 000 ₽. The ПДН stored is that of the 15 000 ₽ approved.
    decision = decide(person(monthly_income_kop=40_000 * RUB, dependants=3))
    assert decision.approved
    assert decision.score == 35
    assert decision.amount_kop == 15_000 * RUB
    assert decision.pdn_percent == Decimal("46.50")
    assert decision.offer_text == (
        f"Мы одобрили 15{NB}000{NB}₽ вместо 20{NB}000{NB}₽: это наибольшая сумма, "
        "которую мы можем предложить по оценке вашей анкеты."
    )


def test_a_low_score_refuses_in_general_words() -> None:
    decision = decide(
        person(amount_kop=5_000 * RUB, monthly_income_kop=12_000 * RUB, employer=None, dependants=3)
    )
    assert_refused(decision, "score")
    assert decision.score == 0
    assert decision.reapply_after == TODAY + timedelta(days=30)
    assert "по нашей внутренней методике" in (decision.refusal_text or "")


def test_every_rule_is_logged_after_a_failure_and_the_first_failure_refuses() -> None:
    decision = decide(
        person(
            birth_date=date(2009, 6, 1),
            passport_issue_date=date(2023, 7, 1),
            snils="11223344596",
            open_loans_with_us=1,
        )
    )
    assert decision.refusal_code == "age"
    assert [r.code for r in decision.rules] == list(scoring.RULES)
    failed = [r.code for r in decision.rules if not r.passed]
    assert failed == ["age", "snils", "open_loan"]


def test_a_request_outside_the_tariff_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        decide(person(amount_kop=40_000 * RUB))  # first loan: 30 000 ₽ at most
    with pytest.raises(ValueError):
        decide(person(term_days=31))


# ----------------------------------------------------------------------------- properties

bureau_loans = st.builds(
    BureauLoan,
    lender=st.sampled_from(["А", "Б", "В"]),
    psk_percent=st.sampled_from([Decimal("20"), Decimal("150"), Decimal("250")]),
    unpaid=st.booleans(),
    monthly_payment_kop=st.integers(0, 60_000 * RUB),
)


@st.composite
def inputs(draw: st.DrawFn) -> ScoringInput:
    first = draw(st.booleans())
    return person(
        first_loan=first,
        amount_kop=draw(st.sampled_from(list(tariff.amount_range(first).values()))),
        term_days=draw(st.integers(tariff.TERM_MIN, tariff.TERM_MAX)),
        monthly_income_kop=draw(st.none() | st.integers(1_000 * RUB, 300_000 * RUB)),
        employer=draw(st.sampled_from([None, "ООО «Ромашка»"])),
        dependants=draw(st.none() | st.integers(0, 10)),
        loans_repaid_with_us=0 if first else draw(st.integers(0, 8)),
        loans_repaid_late_with_us=0 if first else draw(st.integers(0, 2)),
        bureau_reports=[
            BureauReport("НБКИ", False, tuple(draw(st.lists(bureau_loans, max_size=3))))
        ],
        extra_services_kop=draw(st.sampled_from([0, 99 * RUB, 579 * RUB])),
        today=draw(st.dates(date(2026, 9, 1), date(2027, 3, 1))),
    )


@settings(max_examples=300, deadline=None)
@given(inputs())
def test_an_approved_amount_is_on_the_step_within_the_tariff_and_not_above_the_request(
    inp: ScoringInput,
) -> None:
    decision = decide(inp)
    assert [r.code for r in decision.rules] == list(scoring.RULES)
    assert (decision.pdn_percent is not None) <= (inp.amount_kop >= tariff.PDN_THRESHOLD)
    if not decision.approved:
        assert decision.refusal_code == next(r.code for r in decision.rules if not r.passed)
        return
    assert all(r.passed for r in decision.rules)
    amount = decision.amount_kop
    assert amount is not None
    assert tariff.amount_range(inp.first_loan).allows(amount)
    assert amount <= inp.amount_kop
    if inp.amount_kop >= tariff.PDN_THRESHOLD:
        assert decision.pdn_percent is not None
        assert decision.pdn_percent <= 50
