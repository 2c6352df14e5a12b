"""Security in Chromium (issue 7): the Content-Security-Policy the app keeps working under, the
headers on every answer, the login CSRF chain, the owner's unlock by SMS."""

from __future__ import annotations

import re
import urllib.request
import uuid
from urllib.error import HTTPError
from urllib.parse import quote, urlencode

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import Engine
from sqlmodel import Session, select

from credit7_web.clock import SystemClock
from credit7_web.identity import accounts, sessions
from credit7_web.identity.models import AuthSession, Borrower
from credit7_web.russian import format_phone
from credit7_web.settings import Settings
from tests.e2e.test_account import CABINET, sign_in

WATCH = """document.addEventListener('securitypolicyviolation', e => {
  (window.__csp = window.__csp || []).push(e.violatedDirective + ' ' + e.blockedURI);
});"""
ANONYMOUS = [
    "/",
    "/register",
    "/login",
    "/recover",
    "/pay",
    "/faq",
    "/gosuslugi",
    "/restore",
    "/documents/personal-data",
    "/sandbox/sms",
    "/sandbox/clock",
    "/operator/login",
    "/no/such/page",
]
SIGNED_IN = ["/cabinet", "/apply", "/profile"]


def violations(page: Page) -> list[str]:
    return page.evaluate("window.__csp || []")


def visit(page: Page, path: str) -> None:
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    page.wait_for_load_state("networkidle")


def test_no_page_reports_a_csp_violation(page: Page, borrower) -> None:
    """Every page, anonymous and signed in, and the sign-in and sign-out between them."""
    page.add_init_script(WATCH)
    for path in ANONYMOUS:
        visit(page, path)
        assert violations(page) == [], path
    phone, password = borrower
    visit(page, "/login")
    sign_in(page, phone, password)
    expect(page).to_have_url(CABINET)
    assert violations(page) == []
    for path in SIGNED_IN:
        visit(page, path)
        assert violations(page) == [], path
    visit(page, "/cabinet")
    page.get_by_role("button", name="Выйти").click()
    expect(page).to_have_url(re.compile(r"/login/?$"))
    assert violations(page) == []


def test_an_injected_inline_script_is_refused_and_reported(page: Page) -> None:
    """The watch above can see a violation: a script the build does not hold never runs."""
    page.add_init_script(WATCH)
    visit(page, "/login")
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.__ran = 1'; document.body.append(s); }"
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.__ran") is None
    assert any(v.startswith("script-src") for v in violations(page))


def headers_of(url: str) -> dict[str, str]:
    try:
        with urllib.request.urlopen(url) as answer:  # noqa: S310
            return {k.lower(): v for k, v in answer.headers.items()}
    except HTTPError as answer:
        return {k.lower(): v for k, v in answer.headers.items()}


@pytest.mark.parametrize(
    "path", ["/", "/login/", "/cabinet/", "/files/kyc/1", "/auth/claim", "/ping", "/masks.js"]
)
def test_every_answer_carries_the_security_headers(base_url: str, path: str) -> None:
    headers = headers_of(base_url + path)
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert "'unsafe-inline'" not in headers["content-security-policy"].split(";")[0]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"


def other_borrowers_ticket(app_engine: Engine) -> tuple[int, str]:
    """The attacker: a borrower of their own, signed in in their own browser, ticket kept."""
    phone, clock = "9" + str(uuid.uuid4().int)[:9], SystemClock()
    settings = Settings(secret_key=b"unused-for-passwords", bcrypt_rounds=4)
    with Session(app_engine) as s:
        attacker = accounts.create_borrower(
            s, clock, settings, phone, "Secret123", "Secret123", clock.now()
        )
        assert attacker.id is not None
        ticket = sessions.open_session(s, clock, settings, attacker.id, "attackers-browser-key-00")
        return attacker.id, ticket


def test_a_chained_claim_of_someone_elses_ticket_leaves_the_victim_in_their_own_account(
    page: Page, borrower, app_engine: Engine
) -> None:
    attacker_id, ticket = other_borrowers_ticket(app_engine)
    chained = "/auth/claim?" + urlencode({"ticket": ticket, "next": "/cabinet"})
    page.goto("/login?next=" + quote(chained, safe=""))
    phone, password = borrower
    sign_in(page, phone, password)
    expect(page).to_have_url(CABINET)
    page.goto("/auth/claim?" + urlencode({"ticket": ticket, "next": "/cabinet"}))
    expect(page).to_have_url(re.compile(r"/(login|cabinet)/?"))
    with Session(app_engine) as s:
        rows = s.exec(select(AuthSession).where(AuthSession.borrower_id == attacker_id)).all()
        victim = s.exec(select(Borrower).where(Borrower.phone == phone)).one()
    assert [row.claimed_at for row in rows] == [None]  # the attacker's ticket never claimed
    assert victim.id != attacker_id
    visit(page, "/cabinet")
    expect(page.get_by_text(format_phone(phone))).to_be_visible()  # the victim's own cabinet


def test_the_owner_of_a_locked_phone_unlocks_it_by_sms(page: Page, borrower, read_sms) -> None:
    phone, password = borrower
    page.goto("/login")
    for _ in range(accounts.MAX_FAILURES):
        sign_in(page, phone, "Wrong12345")
    expect(page.get_by_text(re.compile("Вход заблокирован"))).to_be_visible()
    page.get_by_role("button", name="Разблокировать по SMS").click()
    expect(page.get_by_label("Код из SMS")).to_be_visible()  # the code is on its way
    code = re.search(r"\b\d{6}\b", read_sms(phone))
    assert code is not None and "разблокировки" in read_sms(phone)
    page.get_by_label("Код из SMS").fill(code[0])
    page.get_by_role("button", name="Разблокировать вход").click()
    expect(page.get_by_text("Вход разблокирован. Войдите с паролем.")).to_be_visible()
    sign_in(page, phone, password)
    expect(page).to_have_url(CABINET)
