"""The profile's handlers: only the signed-in borrower, one form at a time, and the phone, e-mail
and password changes and the deletion request as the domain makes them."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from credit7_web import wiring
from credit7_web.identity import accounts, sessions
from credit7_web.identity.models import Borrower, DeletionRequest, Profile
from credit7_web.sandbox.sms import outbox
from state.profile import ProfileState
from tests.state.harness import (
    CLOCK,
    OTHER_PHONE,
    PASSWORD,
    PHONE,
    Browser,
    all_rows,
    claim_link,
    form,
    make_borrower,
    redirect_to,
    sign_in,
    sms_code,
    snapshot_all,
)
from tests.state.lending_setup import give_loan

S = ProfileState
TO_SIGN_IN = "/login?next=%2Fprofile"


@pytest.fixture
def me(app_db: Engine) -> int:
    return make_borrower(app_db, active=True, filled=True)


async def open_profile(browser: Browser, engine: Engine, borrower_id: int) -> Browser:
    browser.with_cookie(sign_in(engine, borrower_id)).at("/profile")
    assert await browser.send(S, "load") == []
    return browser


def resolves(engine: Engine, token: str) -> bool:
    with Session(engine) as s:
        return sessions.resolve(s, CLOCK, wiring.settings(), token) is not None


def borrower(engine: Engine, borrower_id: int) -> Borrower:
    with Session(engine) as s:
        found = s.get(Borrower, borrower_id)
        assert found is not None
        return found


@pytest.mark.parametrize(
    ("handler", "payload"),
    [
        ("load", {}),
        ("start_phone_change", {"form": form(password=PASSWORD, new_phone=OTHER_PHONE)}),
        ("resend_phone_code", {}),
        ("confirm_phone_change", {"form": form(code="123456")}),
        ("change_email", {"form": form(email="new@mail.ru")}),
        (
            "change_password",
            {"form": form(current_password=PASSWORD, password="New12345", password2="New12345")},
        ),
        ("request_deletion", {"form": form()}),
        ("cancel_deletion", {}),
    ],
)
async def test_a_stranger_is_sent_to_sign_in(
    browser: Browser, app_db: Engine, me: int, handler: str, payload: dict
) -> None:
    before = snapshot_all(app_db)
    events = await browser.at("/profile").send(S, handler, **payload)
    assert redirect_to(events) == TO_SIGN_IN
    assert snapshot_all(app_db) == before


async def test_the_profile_shows_contacts_and_masked_documents(
    browser: Browser, app_db: Engine, me: int
) -> None:
    await open_profile(browser, app_db, me)
    shown = browser.state(S).profile
    assert shown.phone == "+7 (900) 123-45-67"
    assert shown.email == "Ivan@mail.ru"
    assert shown.name == "Иванов Иван Иванович"
    assert (shown.passport, shown.snils) == ("•••• ••3456", "•••-•••-•45 95")
    sent = browser.sent_text()
    assert "123456" not in sent and "11223344595" not in sent and "112-233-445 95" not in sent


async def test_a_questionnaire_half_done_goes_back_to_it(browser: Browser, app_db: Engine) -> None:
    unfinished = make_borrower(app_db)
    browser.with_cookie(sign_in(app_db, unfinished)).at("/profile")
    assert redirect_to(await browser.send(S, "load")) == "/register/questionnaire"


async def test_a_form_not_opened_is_not_sent(browser: Browser, app_db: Engine, me: int) -> None:
    await open_profile(browser, app_db, me)
    before = snapshot_all(app_db)
    await browser.send(S, "start_phone_change", form=form(password=PASSWORD, new_phone=OTHER_PHONE))
    await browser.send(S, "change_email", form=form(email="new@mail.ru"))
    assert snapshot_all(app_db) == before
    await browser.send(S, "edit", which="nonsense")
    assert browser.state(S).editing == ""


async def test_the_phone_moves_after_a_code_to_the_new_number(
    browser: Browser, app_db: Engine, me: int
) -> None:
    await open_profile(browser, app_db, me)
    elsewhere = sign_in(app_db, me)  # another device
    await browser.send(S, "edit", which="phone")
    await browser.send(
        S, "start_phone_change", form=form(password="Wrong123", new_phone=OTHER_PHONE)
    )
    assert browser.state(S).errors == {"password": "Неверный пароль"}
    await browser.send(S, "start_phone_change", form=form(password=PASSWORD, new_phone=PHONE))
    assert browser.state(S).errors == {"new_phone": "Это ваш текущий номер"}
    await browser.send(S, "start_phone_change", form=form(password=PASSWORD, new_phone=OTHER_PHONE))
    state = browser.state(S)
    assert (state.editing, state.new_phone_display) == ("phone_code", "+7 (900) 765-43-21")
    assert state._new_phone == OTHER_PHONE
    code = sms_code(app_db, OTHER_PHONE)

    await browser.send(
        S, "confirm_phone_change", form=form(code="000000" if code != "000000" else "111111")
    )
    assert "Неверный код" in browser.state(S).errors["code"]
    events = await browser.send(S, "confirm_phone_change", form=form(code=code))
    _, next_path = claim_link(events)
    assert next_path == "/profile?done=phone"

    assert borrower(app_db, me).phone == OTHER_PHONE
    assert not resolves(app_db, elsewhere)  # every other session ended
    with Session(app_db) as s:
        told = outbox(s, limit=1, phone=PHONE)[0].text
        assert "+7 (900) 765-43-21" in told and "больше не действует" in told
        with pytest.raises(accounts.Refusal):
            accounts.authenticate(s, CLOCK, wiring.settings(), PHONE, PASSWORD)
        assert accounts.authenticate(s, CLOCK, wiring.settings(), OTHER_PHONE, PASSWORD).id == me


async def test_a_number_someone_else_has_gets_a_notice_not_a_code(
    browser: Browser, app_db: Engine, me: int
) -> None:
    make_borrower(app_db, OTHER_PHONE)
    await open_profile(browser, app_db, me)
    await browser.send(S, "edit", which="phone")
    await browser.send(S, "start_phone_change", form=form(password=PASSWORD, new_phone=OTHER_PHONE))
    assert browser.state(S).editing == "phone_code"  # the screen is the same as for a free one
    with Session(app_db) as s:
        notice = outbox(s, limit=1, phone=OTHER_PHONE)[0].text
    assert "уже зарегистрирован" in notice
    assert re.search(r"\b\d{6}\b", notice) is None
    await browser.send(S, "confirm_phone_change", form=form(code="123456"))
    assert "code" in browser.state(S).errors
    assert borrower(app_db, me).phone == PHONE


async def test_the_email_changes(browser: Browser, app_db: Engine, me: int) -> None:
    await open_profile(browser, app_db, me)
    await browser.send(S, "edit", which="email")
    await browser.send(S, "change_email", form=form(email="not an email"))
    assert "email" in browser.state(S).errors
    await browser.send(S, "change_email", form=form(email="Maria@Example.RU"))
    state = browser.state(S)
    assert (state.editing, state.profile.email) == ("", "Maria@example.ru")
    with Session(app_db) as s:
        profile = s.get(Profile, me)
        assert profile is not None and profile.email == "Maria@example.ru"


async def test_the_password_changes_and_other_sessions_end(
    browser: Browser, app_db: Engine, me: int
) -> None:
    await open_profile(browser, app_db, me)
    elsewhere = sign_in(app_db, me)
    await browser.send(S, "edit", which="password")
    await browser.send(
        S,
        "change_password",
        form=form(current_password="Wrong123", password="New12345", password2="New12345"),
    )
    assert browser.state(S).errors == {"current_password": "Неверный пароль"}
    await browser.send(
        S,
        "change_password",
        form=form(current_password=PASSWORD, password="New12345", password2="Other123"),
    )
    assert browser.state(S).errors == {"password2": "Пароли не совпадают"}
    events = await browser.send(
        S,
        "change_password",
        form=form(current_password=PASSWORD, password="New12345", password2="New12345"),
    )
    assert claim_link(events)[1] == "/profile?done=password"
    assert not resolves(app_db, elsewhere)
    with Session(app_db) as s:
        assert accounts.authenticate(s, CLOCK, wiring.settings(), PHONE, "New12345").id == me
        assert "пароль от личного кабинета изменён" in outbox(s, limit=1, phone=PHONE)[0].text


async def test_deletion_is_asked_and_can_be_cancelled(
    browser: Browser, app_db: Engine, me: int
) -> None:
    await open_profile(browser, app_db, me)
    await browser.send(S, "edit", which="delete")
    await browser.send(S, "request_deletion", form=form())
    state = browser.state(S)
    assert state.deletion_due != "" and "не позднее" in state.notice
    [request] = all_rows(app_db, DeletionRequest)
    assert request.borrower_id == me and request.status == "pending"
    await browser.send(S, "cancel_deletion")
    assert browser.state(S).deletion_due == ""
    assert [r.status for r in all_rows(app_db, DeletionRequest)] == ["cancelled"]


async def test_deletion_with_a_loan_open_is_refused_with_the_reason(
    browser: Browser, app_db: Engine, me: int
) -> None:
    loan = give_loan(app_db, me)
    await open_profile(browser, app_db, me)
    await browser.send(S, "edit", which="delete")
    await browser.send(S, "request_deletion", form=form())
    assert browser.state(S).errors == {
        "": f"По договору № {loan.number} заём ещё не погашен. "
        "Удалить аккаунт можно после погашения."
    }
    assert all_rows(app_db, DeletionRequest) == []
