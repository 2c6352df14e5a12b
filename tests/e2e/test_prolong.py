"""Prolongation and the cooling-off in Chromium: an overdue loan prolonged (paid on the acquirer's
page, the additional agreement and the new due date in the cabinet); a 50 000 ₽ repeat loan that
waits 4 hours and can be cancelled before."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import Engine
from sqlmodel import Session, select

from credit7_web import wiring
from credit7_web.clock import SystemClock, to_moscow
from credit7_web.identity.models import Borrower, OneTimeCode, Profile
from credit7_web.lending import loans, signing
from credit7_web.lending.models import Loan, LoanStatus
from credit7_web.russian import format_date
from credit7_web.sandbox import business_date
from credit7_web.sandbox.acquirer import SandboxAcquirer
from credit7_web.servicing import booking, debt
from tests.e2e.a11y import assert_accessible
from tests.e2e.test_account import CABINET, sign_in
from tests.jobs import instant_sms
from tests.state.lending_setup import give_loan


@pytest.fixture(autouse=True)
def as_the_app(app_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Set-up made here through the domain files its PDFs and codes as the app would."""
    for name in ("CREDIT7_DATA_DIR", "CREDIT7_SECRET_KEY"):
        monkeypatch.setenv(name, app_env[name])


@pytest.fixture
def clock_reset(app_engine: Engine):
    """Tests that move the sandbox business date put it back, whatever happens."""
    yield
    with Session(app_engine) as s:
        business_date.reset(s)


def borrower_id_of(engine: Engine, phone: str) -> int:
    with Session(engine) as s:
        return s.exec(select(Borrower.id).where(Borrower.phone == phone)).one()  # type: ignore[return-value]


def move(engine: Engine, days: int) -> None:
    with Session(engine) as s:
        business_date.move(s, days)


def test_an_overdue_loan_is_prolonged_with_an_additional_agreement(
    page: Page, borrower, sms_code, app_engine: Engine, clock_reset
) -> None:
    phone, password = borrower
    loan = give_loan(app_engine, borrower_id_of(app_engine, phone), 10_000_00)
    move(app_engine, 25)  # five days overdue
    today = SystemClock().today() + timedelta(days=25)
    new_due = format_date(today + timedelta(days=30))

    page.goto("/login")
    sign_in(page, phone, password)
    expect(page).to_have_url(CABINET)
    expect(page.get_by_test_id("loan-status")).to_have_text("Просрочен")
    page.get_by_role("link", name="Продлить").click()
    expect(page.get_by_role("heading", name="Продление займа", level=1)).to_be_visible()
    # 5 days at 0,8 % (the promo ended on the first overdue day) and 4 days of penalty.
    expect(page.get_by_test_id("prolong-interest")).to_have_text("400\u00a0₽")
    expect(page.get_by_test_id("prolong-penalty")).to_have_text("21,91\u00a0₽")
    expect(page.get_by_test_id("prolong-pay-now")).to_have_text("421,91\u00a0₽")
    expect(page.get_by_test_id("prolong-new-due")).to_have_text(new_due)
    expect(page.get_by_test_id("prolong-new-total")).to_have_text("12\u00a0400\u00a0₽")
    expect(page.get_by_test_id("prolong-psk")).to_have_text("292,000\u00a0%")
    expect(page.get_by_test_id("prolong-left")).to_have_text("ещё 4 раза")
    assert_accessible(page)

    page.get_by_role("button", name="Оплатить и продлить").click()
    expect(page.get_by_label("Код из SMS")).to_be_visible()
    page.get_by_label("Код из SMS").fill(sms_code(phone))
    page.get_by_role("button", name="Подписать и оплатить").click()
    expect(page).to_have_url(re.compile(r"/sandbox/acquirer/pay/"))
    page.get_by_role("button", name=re.compile("^Оплатить 421,91")).click()

    expect(page).to_have_url(re.compile(r"/cabinet/prolong/?\?order="))
    expect(page.get_by_test_id("prolong-done")).to_contain_text(f"Заём продлён до {new_due}")
    assert_accessible(page)
    page.get_by_role("link", name="Вернуться в кабинет").click()
    expect(page.get_by_test_id("loan-status")).to_have_text("Активен")
    expect(page.get_by_test_id("next-payment-date")).to_have_text(new_due)
    expect(page.get_by_test_id("debt-total")).to_have_text("10\u00a0000\u00a0₽")
    expect(page.get_by_test_id("schedule-row")).to_contain_text(new_due)
    agreement = page.get_by_role("link", name=re.compile("^Дополнительное соглашение № 1"))
    expect(agreement).to_have_count(1)
    expect(page.get_by_test_id("operation").filter(has_text="доп. соглашение № 1")).to_contain_text(
        "−421,91\u00a0₽"
    )
    expect(page.get_by_role("link", name="Продлить")).to_have_count(0)
    with Session(app_engine) as s:
        stored = s.get(Loan, loan.id)
        assert stored is not None and format_date(stored.due_date) == new_due  # type: ignore[arg-type]
    # The PDF itself, served to its owner.
    response = page.request.get(agreement.get_attribute("href") or "")
    assert response.ok and response.body().startswith(b"%PDF")


def _repeat_borrower(engine: Engine, phone: str) -> int:
    """Two loans repaid on time, a large income and no dependants: the 50 000 ₽ score row."""
    borrower_id = borrower_id_of(engine, phone)
    with Session(engine) as s:
        profile = s.get(Profile, borrower_id)
        assert profile is not None
        profile.monthly_income_kop, profile.dependants = 150_000_00, 0
        s.add(profile)
        s.commit()
    for _ in range(2):
        loan = give_loan(engine, borrower_id, 10_000_00)
        with Session(engine) as s:
            clock = business_date.clock_for(s)
            locked = loans.lock_loan(s, loan.id)  # type: ignore[arg-type]
            assert locked is not None
            owed = debt.loan_debt(s, locked, clock.today())
            booking.book_payment(
                s, clock, locked, owed.total_kop, key=f"e2e-{loan.number}", description="Погашение"
            )
            s.commit()
        codes_age(engine, phone)
    return borrower_id


def codes_age(engine: Engine, phone: str) -> None:
    """The last SMS code a minute older: the next one may be asked for at once."""
    with Session(engine) as s:
        for row in s.exec(select(OneTimeCode).where(OneTimeCode.phone == phone)):
            row.created_at -= timedelta(seconds=61)
            s.add(row)
        s.commit()


def sign_for_50_000(page: Page, phone: str, sms_code) -> None:
    page.goto("/apply")
    page.get_by_label("Сумма займа, ₽").fill("50000")
    page.get_by_role("button", name="Отправить заявку").click()
    expect(page.get_by_role("heading", name="Заём одобрен")).to_be_visible(timeout=20_000)
    expect(page.get_by_test_id("offer-amount")).to_have_text("50\u00a0000\u00a0₽")
    page.get_by_role("button", name="Подписать кодом из SMS").click()
    expect(page.get_by_label("Код из SMS")).to_be_visible()  # the code is sent by then
    page.get_by_label("Код из SMS").fill(sms_code(phone))
    page.get_by_role("button", name="Подписать и получить деньги").click()
    expect(page).to_have_url(CABINET)


def cooling_loan(engine: Engine, borrower_id: int) -> Loan:
    with Session(engine) as s:
        loan = s.exec(
            select(Loan).where(
                Loan.borrower_id == borrower_id, Loan.status == LoanStatus.COOLING_OFF
            )
        ).one()
        assert loan.disburse_after is not None
        return loan


def run_payouts(engine: Engine) -> int:
    """The periodic job's run, as the app makes it every few minutes."""
    with Session(engine) as s:
        clock = business_date.clock_for(s)
        acquirer = SandboxAcquirer(s, clock)
        return signing.disburse_due(s, clock, wiring.settings(), acquirer, instant_sms(s, clock))


def test_a_50_000_loan_waits_four_hours_and_can_be_cancelled(
    page: Page, borrower, sms_code, app_engine: Engine, clock_reset
) -> None:
    phone, password = borrower
    borrower_id = _repeat_borrower(app_engine, phone)
    page.goto("/login")
    sign_in(page, phone, password)
    expect(page).to_have_url(CABINET)

    # Signed: the cabinet says when the money comes and offers the way out.
    sign_for_50_000(page, phone, sms_code)
    loan = cooling_loan(app_engine, borrower_id)
    expect(page.get_by_text(re.compile("^Договор подписан"))).to_be_visible()
    money_at = to_moscow(loan.disburse_after).strftime("%d.%m.%Y %H:%M")  # type: ignore[arg-type]
    expect(page.get_by_test_id("money-at")).to_have_text(money_at)
    assert_accessible(page)
    assert run_payouts(app_engine) == 0  # not before the 4 hours
    page.get_by_role("button", name="Отказаться от займа").click()
    expect(page.get_by_text("Вы отказались от займа. Ничего платить не нужно.")).to_be_visible()
    expect(page.get_by_role("button", name="Отказаться от займа")).to_have_count(0)
    move(app_engine, 1)
    assert run_payouts(app_engine) == 0  # a cancelled loan is never paid out
    with Session(app_engine) as s:
        assert s.get(Loan, loan.id).status == LoanStatus.CANCELLED  # type: ignore[union-attr]

    # Signed again and left alone: paid out once the sandbox clock is 4 hours on.
    codes_age(app_engine, phone)
    sign_for_50_000(page, phone, sms_code)
    second = cooling_loan(app_engine, borrower_id)
    assert run_payouts(app_engine) == 0
    move(app_engine, 1)
    assert run_payouts(app_engine) == 1
    page.goto("/cabinet")
    expect(page.get_by_test_id("loan-status")).to_have_text("Активен")
    expect(page.get_by_test_id("debt-total")).to_have_text("50\u00a0000\u00a0₽")
    expect(page.get_by_test_id("operation").filter(has_text="Выдача займа").first).to_contain_text(
        "+50\u00a0000\u00a0₽"
    )
    with Session(app_engine) as s:
        assert s.get(Loan, second.id).start_date == business_date.clock_for(s).today()  # type: ignore[union-attr]
