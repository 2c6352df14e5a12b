"""QuestionnaireState: one section at a time, drafts on blur, only for its own borrower."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from credit7_web.identity.models import Borrower, BorrowerStatus, Profile
from state.questionnaire import QuestionnaireState
from tests.state.harness import (
    OTHER_PHONE,
    SECTIONS,
    Browser,
    form,
    make_borrower,
    redirect_to,
    section_form,
    sign_in,
    snapshot,
)

PAGE = "/register/questionnaire"
TO_SIGN_IN = "/login?next=%2Fregister%2Fquestionnaire"


def profile(engine: Engine, borrower_id: int) -> Profile:
    with Session(engine) as s:
        row = s.get(Profile, borrower_id)
    assert row is not None
    return row


def borrower_status(engine: Engine, borrower_id: int) -> str:
    with Session(engine) as s:
        row = s.get(Borrower, borrower_id)
    assert row is not None
    return row.status


def draft(engine: Engine, borrower_id: int) -> dict[str, str]:
    return json.loads(profile(engine, borrower_id).draft)


async def signed_in_tab(browser: Browser, engine: Engine, **borrower: Any) -> int:
    borrower_id = make_borrower(engine, **borrower)
    browser.at(PAGE).with_cookie(sign_in(engine, borrower_id))
    return borrower_id


# ----------------------------------------------------------------------------- load


async def test_load_for_an_anonymous_visitor_asks_to_sign_in(
    browser: Browser, app_db: Engine
) -> None:
    browser.at(PAGE)
    before = snapshot(app_db)
    assert redirect_to(await browser.send(QuestionnaireState, "load")) == TO_SIGN_IN
    state = browser.state(QuestionnaireState)
    assert (state.loaded, state.values, state.step) == (False, {}, 0)
    assert snapshot(app_db) == before


async def test_load_sends_a_finished_borrower_to_the_cabinet(
    browser: Browser, app_db: Engine
) -> None:
    await signed_in_tab(browser, app_db, active=True)
    assert redirect_to(await browser.send(QuestionnaireState, "load")) == "/cabinet"
    assert browser.state(QuestionnaireState).values == {}


async def test_load_resumes_a_half_filled_questionnaire(browser: Browser, app_db: Engine) -> None:
    borrower_id = await signed_in_tab(browser, app_db)
    await browser.send(QuestionnaireState, "load")
    await browser.send(QuestionnaireState, "submit", form=section_form(0, **SECTIONS[0]))
    await browser.send(QuestionnaireState, "save_field", name="passport_series", value="45 1")

    tab = Browser().at(PAGE)
    tab.cookie = browser.cookie
    assert await tab.send(QuestionnaireState, "load") == []
    state = tab.state(QuestionnaireState)
    assert (state.loaded, state.step, state.errors) == (True, 1, {})
    assert state.values == SECTIONS[0] | {"passport_series": "45 1", "res_same_as_reg": "on"}
    assert profile(app_db, borrower_id).step == 1


# ----------------------------------------------------------------------------- save_field


async def test_save_field_keeps_a_draft(browser: Browser, app_db: Engine) -> None:
    borrower_id = await signed_in_tab(browser, app_db)
    await browser.send(QuestionnaireState, "load")
    assert await browser.send(QuestionnaireState, "save_field", name="email", value="a@b") == []
    assert draft(app_db, borrower_id) == {"email": "a@b"}
    assert browser.state(QuestionnaireState).values["email"] == "a@b"
    assert '"a@b"' in browser.deltas[-1]


async def test_save_field_cuts_an_overlong_value(browser: Browser, app_db: Engine) -> None:
    borrower_id = await signed_in_tab(browser, app_db)
    await browser.send(QuestionnaireState, "save_field", name="employer", value="Я" * 100_000)
    assert draft(app_db, borrower_id) == {"employer": "Я" * 300}
    assert browser.state(QuestionnaireState).values["employer"] == "Я" * 300


@pytest.mark.parametrize(
    ("name", "value"),
    [
        (None, "Иванов"),
        (1, "Иванов"),
        (["last_name"], "Иванов"),
        ({"last_name": 1}, "Иванов"),
        ("last_name", None),
        ("last_name", 42),
        ("last_name", ["Иванов"]),
        ("last_name", {"$set": "Иванов"}),
        ("unknown", "x"),
        ("draft", "{}"),
        ("step", "4"),
        ("borrower_id", "2"),
        ("completed_at", "2020-01-01"),
        ("__proto__", "x"),
        ("", "x"),
        ("last_name" * 1000, "x"),
    ],
)
async def test_save_field_refuses_odd_names_and_values(
    browser: Browser, app_db: Engine, name: Any, value: Any
) -> None:
    borrower_id = await signed_in_tab(browser, app_db)
    await browser.send(QuestionnaireState, "save_field", name="last_name", value="Петров")
    before = snapshot(app_db)
    assert await browser.send(QuestionnaireState, "save_field", name=name, value=value) == []
    assert browser.state(QuestionnaireState).values == {"last_name": "Петров"}
    assert snapshot(app_db) == before
    assert profile(app_db, borrower_id).step == 0


async def test_save_field_anonymously_asks_to_sign_in_and_saves_nothing(
    browser: Browser, app_db: Engine
) -> None:
    make_borrower(app_db)
    browser.at(PAGE)
    before = snapshot(app_db)
    events = await browser.send(QuestionnaireState, "save_field", name="last_name", value="Х")
    assert redirect_to(events) == TO_SIGN_IN
    assert browser.state(QuestionnaireState).values == {}
    assert snapshot(app_db) == before


async def test_each_tab_saves_only_into_its_own_borrowers_draft(
    browser: Browser, new_browser: Any, app_db: Engine
) -> None:
    mine = await signed_in_tab(browser, app_db)
    other_tab: Browser = new_browser()
    theirs = await signed_in_tab(other_tab, app_db, phone=OTHER_PHONE)
    await browser.send(QuestionnaireState, "save_field", name="last_name", value="Иванов")
    await other_tab.send(QuestionnaireState, "save_field", name="last_name", value="Петров")
    assert draft(app_db, mine) == {"last_name": "Иванов"}
    assert draft(app_db, theirs) == {"last_name": "Петров"}
    assert browser.state(QuestionnaireState).values == {"last_name": "Иванов"}
    assert other_tab.state(QuestionnaireState).values == {"last_name": "Петров"}


async def test_a_finished_questionnaire_takes_no_more_drafts_or_sections(
    browser: Browser, app_db: Engine
) -> None:
    await signed_in_tab(browser, app_db, active=True, first_name="Иван")
    before = snapshot(app_db)
    events = await browser.send(QuestionnaireState, "save_field", name="first_name", value="Пётр")
    assert redirect_to(events) == TO_SIGN_IN
    events = await browser.send(QuestionnaireState, "submit", form=section_form(0, **SECTIONS[0]))
    assert redirect_to(events) == TO_SIGN_IN
    assert snapshot(app_db) == before


# ----------------------------------------------------------------------------- submit


async def test_a_bad_section_gets_russian_messages_and_keeps_the_draft(
    browser: Browser, app_db: Engine
) -> None:
    borrower_id = await signed_in_tab(browser, app_db)
    await browser.send(QuestionnaireState, "load")
    typed = {
        "last_name": "Ivanov",
        "first_name": "",
        "middle_name": "",
        "birth_date": "31.02.1990",
        "birth_place": "М",
        "citizenship": "UKR",
    }
    assert await browser.send(QuestionnaireState, "submit", form=section_form(0, **typed)) == []
    state = browser.state(QuestionnaireState)
    assert state.errors == {
        "last_name": "Русские буквы, дефис, пробел или апостроф, не больше 60 символов",
        "first_name": "Заполните поле",
        "birth_date": "Введите дату в формате дд.мм.гггг",
        "birth_place": "Место рождения — от 2 до 200 символов",
        "citizenship": "Займы выдаются только гражданам Российской Федерации",
    }
    assert state.step == 0
    assert state.values == {"res_same_as_reg": "on"} | typed  # as loaded, then as typed
    row = profile(app_db, borrower_id)
    assert (row.step, row.last_name, row.birth_date) == (0, None, None)
    assert json.loads(row.draft) == typed


async def test_an_underage_borrower_is_told_why(browser: Browser, app_db: Engine) -> None:
    await signed_in_tab(browser, app_db)
    today = date.today()
    young = SECTIONS[0] | {"birth_date": f"01.01.{today.year - 17}"}
    await browser.send(QuestionnaireState, "submit", form=section_form(0, **young))
    assert browser.state(QuestionnaireState).errors == {
        "birth_date": "Займы выдаются только с 18 лет"
    }


@pytest.mark.parametrize("bad_form", [{"section": "0"}, {"section": "0", "last_name": ["Иванов"]}])
async def test_a_malformed_submit_is_an_empty_section(
    browser: Browser, app_db: Engine, bad_form: Any
) -> None:
    borrower_id = await signed_in_tab(browser, app_db)
    await browser.send(QuestionnaireState, "submit", form=form(**bad_form))
    errors = browser.state(QuestionnaireState).errors
    assert errors["last_name"] == "Заполните поле"
    assert errors["first_name"] == "Заполните поле"
    row = profile(app_db, borrower_id)
    assert (row.step, row.last_name) == (0, None)


@pytest.mark.parametrize(
    "bad_form", [None, 0, [], "section=0", form(**SECTIONS[0]), form(section=0, **SECTIONS[0])]
)
async def test_a_form_that_names_no_section_is_ignored(
    browser: Browser, app_db: Engine, bad_form: Any
) -> None:
    await signed_in_tab(browser, app_db)
    await browser.send(QuestionnaireState, "load")
    before = snapshot(app_db)
    assert await browser.send(QuestionnaireState, "submit", form=bad_form) == []
    state = browser.state(QuestionnaireState)
    assert (state.step, state.errors) == (0, {})
    assert snapshot(app_db) == before


async def test_a_double_click_does_not_judge_the_next_section(
    browser: Browser, app_db: Engine
) -> None:
    """The second copy of section 0 arrives after the step moved on: it is dropped, silently."""
    borrower_id = await signed_in_tab(browser, app_db)
    await browser.send(QuestionnaireState, "load")
    await browser.send(QuestionnaireState, "submit", form=section_form(0, **SECTIONS[0]))
    await browser.send(QuestionnaireState, "submit", form=section_form(0, **SECTIONS[0]))
    state = browser.state(QuestionnaireState)
    assert (state.step, state.errors) == (1, {})
    assert profile(app_db, borrower_id).step == 1


async def test_submit_anonymously_asks_to_sign_in_and_stores_nothing(
    browser: Browser, app_db: Engine
) -> None:
    make_borrower(app_db)
    browser.at(PAGE)
    before = snapshot(app_db)
    events = await browser.send(QuestionnaireState, "submit", form=section_form(0, **SECTIONS[0]))
    assert redirect_to(events) == TO_SIGN_IN
    assert browser.state(QuestionnaireState).values == {}
    assert snapshot(app_db) == before


async def test_the_whole_questionnaire_activates_the_borrower(
    browser: Browser, app_db: Engine
) -> None:
    borrower_id = await signed_in_tab(browser, app_db)
    await browser.send(QuestionnaireState, "load")
    for step, section in enumerate(SECTIONS):
        assert browser.state(QuestionnaireState).step == step
        sent = section_form(step, **section)
        events = await browser.send(QuestionnaireState, "submit", form=sent)
        assert browser.state(QuestionnaireState).errors == {}
        if step < len(SECTIONS) - 1:
            assert events == []
    assert redirect_to(events) == "/cabinet"
    assert borrower_status(app_db, borrower_id) == BorrowerStatus.ACTIVE
    row = profile(app_db, borrower_id)
    assert (row.last_name, row.first_name, row.middle_name) == ("Иванов", "Иван", "Иванович")
    assert (row.birth_date, row.citizenship) == (date(1990, 3, 15), "RUS")
    assert (row.passport_series, row.passport_number) == ("4510", "123456")
    assert (row.passport_issue_date, row.passport_division_code) == (date(2010, 3, 20), "770-001")
    assert row.reg_address == row.res_address == "г. Москва, ул. Ленина, д. 1, кв. 2"
    assert row.res_same_as_reg is True
    assert (row.snils, row.email) == ("11223344595", "Ivan@mail.ru")
    assert (row.family_status, row.dependants, row.monthly_income_kop) == ("married", 1, 5_000_000)
    assert row.completed_at is not None and row.step == len(SECTIONS)


async def test_a_section_cannot_be_skipped(browser: Browser, app_db: Engine) -> None:
    """`step` has no setter: a client cannot jump ahead, and the service checks it anyway."""
    borrower_id = await signed_in_tab(browser, app_db)
    await browser.send(QuestionnaireState, "load")
    with pytest.raises(AttributeError):
        await browser.send(QuestionnaireState, "setvar", var_name="step", value=4)
    assert browser.state(QuestionnaireState).step == 0
    browser.state(QuestionnaireState).step = 4  # as if it had been
    before = snapshot(app_db)
    await browser.send(QuestionnaireState, "submit", form=section_form(4, **SECTIONS[4]))
    assert browser.state(QuestionnaireState).errors == {
        "": "Сначала заполните предыдущие разделы анкеты"
    }
    assert profile(app_db, borrower_id).step == 0
    assert borrower_status(app_db, borrower_id) == BorrowerStatus.QUESTIONNAIRE
    assert json.loads(profile(app_db, borrower_id).draft) == json.loads(
        before["Profile"][0]["draft"]
    )


async def test_back_steps_down_but_not_below_the_first_section(
    browser: Browser, app_db: Engine
) -> None:
    await signed_in_tab(browser, app_db)
    await browser.send(QuestionnaireState, "submit", form=section_form(0, **SECTIONS[0]))
    await browser.send(QuestionnaireState, "submit", form=section_form(1, passport_series="x"))
    assert browser.state(QuestionnaireState).errors != {}
    await browser.send(QuestionnaireState, "back")
    state = browser.state(QuestionnaireState)
    assert (state.step, state.errors) == (0, {})
    await browser.send(QuestionnaireState, "back")
    assert browser.state(QuestionnaireState).step == 0


@pytest.mark.parametrize(("value", "expected"), [(False, False), (True, True)])
async def test_set_same_address_takes_a_bool(
    browser: Browser, app_db: Engine, value: bool, expected: bool
) -> None:
    await browser.send(QuestionnaireState, "set_same_address", same=not value)
    await browser.send(QuestionnaireState, "set_same_address", same=value)
    assert browser.state(QuestionnaireState).same_address is expected


@pytest.mark.parametrize("value", [None, "false", "", 0, 1, [], {"same": False}])
async def test_set_same_address_ignores_anything_but_a_bool(
    browser: Browser, app_db: Engine, value: Any
) -> None:
    await browser.send(QuestionnaireState, "set_same_address", same=value)
    assert browser.state(QuestionnaireState).same_address is True
