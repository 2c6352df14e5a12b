"""The borrower questionnaire: filled section by section; a half-filled one resumes as it was."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session

from credit7_web import russian
from credit7_web.clock import Clock
from credit7_web.errors import Refusal
from credit7_web.identity import fields as v
from credit7_web.identity.models import Borrower, BorrowerStatus, Profile
from credit7_web.money import rub

DRAFT_VALUE_MAX = 300
LOCKED = "Это поле заполнено из Госуслуг, изменить его нельзя"


@dataclass(frozen=True)
class Section:
    title: str
    fields: tuple[str, ...]


SECTIONS: tuple[Section, ...] = (
    Section(
        "Личные данные",
        ("last_name", "first_name", "middle_name", "birth_date", "birth_place", "citizenship"),
    ),
    Section(
        "Паспорт",
        (
            "passport_series",
            "passport_number",
            "passport_issue_date",
            "passport_issuer",
            "passport_division_code",
        ),
    ),
    Section("Адреса", ("reg_address", "res_same_as_reg", "res_address")),
    Section("СНИЛС и почта", ("snils", "email")),
    Section(
        "Работа, семья и доход",
        ("employer", "position", "family_status", "dependants", "monthly_income"),
    ),
)
FIELDS = frozenset(name for section in SECTIONS for name in section.fields)
CITIZENSHIPS = {"RUS": "Российская Федерация", "other": "Другое гражданство"}


def profile_of(db: Session, borrower_id: int) -> Profile:
    profile = db.get(Profile, borrower_id)
    if profile is None:
        profile = Profile(borrower_id=borrower_id)
        db.add(profile)
        db.flush()
    return profile


def resume(db: Session, borrower_id: int) -> Profile:
    """The questionnaire where the borrower left it (an empty one is made the first time)."""
    profile = profile_of(db, borrower_id)
    db.commit()
    return profile


def draft(profile: Profile) -> dict[str, str]:
    """What the borrower typed so far, field by field, as they typed it."""
    try:
        data = json.loads(profile.draft or "{}")
    except ValueError:
        return {}
    return {k: str(val) for k, val in data.items() if k in FIELDS} if isinstance(data, dict) else {}


def save_draft(db: Session, borrower_id: int, field: str, value: str) -> None:
    """Keep one typed value, unchecked, so leaving the page loses nothing."""
    if field not in FIELDS or not isinstance(value, str):
        raise Refusal.one("", "Неизвестное поле анкеты")
    profile = profile_of(db, borrower_id)
    if field in verified(profile):
        raise Refusal.one(field, LOCKED)
    data = draft(profile)
    data[field] = value[:DRAFT_VALUE_MAX]
    profile.draft = json.dumps(data, ensure_ascii=False)
    db.add(profile)
    db.commit()


def _cleaners(birth_date: date | None, today: date) -> dict[str, Callable[[str], Any]]:
    def issue_date(text: str) -> date:
        if birth_date is None:
            raise Refusal.one("passport_issue_date", "Сначала укажите дату рождения")
        return v.clean_passport_issue_date(text, birth_date, today)

    return {
        "last_name": v.clean_name,
        "first_name": lambda t: v.clean_name(t, "first_name"),
        "middle_name": v.clean_middle_name,
        "birth_date": lambda t: v.clean_birth_date(t, today),
        "birth_place": v.clean_birth_place,
        "citizenship": v.clean_citizenship,
        "passport_series": v.clean_passport_series,
        "passport_number": v.clean_passport_number,
        "passport_issue_date": issue_date,
        "passport_issuer": v.clean_issuer,
        "passport_division_code": v.clean_division_code,
        "reg_address": v.clean_address,
        "res_same_as_reg": lambda t: t in {"on", "true", "1"},
        "res_address": lambda t: v.clean_address(t, "res_address"),
        "snils": v.clean_snils,
        "email": v.clean_email,
        "employer": v.clean_employer,
        "position": v.clean_position,
        "family_status": v.clean_family_status,
        "dependants": v.clean_dependants,
        "monthly_income": v.clean_income,
    }


def _column(field: str) -> str:
    return "monthly_income_kop" if field == "monthly_income" else field


def check_fields(typed: dict[str, str], birth_date: date | None, today: date) -> dict[str, Any]:
    """The stored form of each typed field, or one Refusal naming every problem at once.

    A passport's issue date is judged against the birth date typed with it, else `birth_date`.
    """
    if "birth_date" in typed:
        with suppress(Refusal):
            birth_date = v.clean_birth_date(typed["birth_date"], today)
    cleaners = _cleaners(birth_date, today)
    same_address = cleaners["res_same_as_reg"](typed.get("res_same_as_reg", ""))
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, text in typed.items():
        if name == "res_address" and "res_same_as_reg" in typed and same_address:
            continue
        try:
            clean[name] = cleaners[name](text)
        except Refusal as error:
            errors.update(error.errors)
    if errors:
        raise Refusal(errors)
    return clean


def store(profile: Profile, clean: dict[str, Any]) -> None:
    """Put checked values (from `check_fields`) into their columns."""
    for name, value in clean.items():
        setattr(profile, _column(name), value)


def verified(profile: Profile) -> frozenset[str]:
    """The fields Gosuslugi confirmed for this profile: locked."""
    try:
        names = json.loads(profile.verified_fields or "[]")
    except ValueError:
        return frozenset()
    return frozenset(n for n in names if n in FIELDS) if isinstance(names, list) else frozenset()


def locked_changes(locked: dict[str, str], typed: dict[str, str]) -> dict[str, str]:
    """An error for each locked field typed differently from its confirmed value."""
    return {
        name: LOCKED
        for name, text in typed.items()
        if name in locked and text.strip() != locked[name]
    }


def submit_section(
    db: Session, clock: Clock, borrower_id: int, step: int, values: dict[str, str]
) -> int:
    """Check one section whole (every message at once), store it, and return the next step."""
    profile = profile_of(db, borrower_id)
    if not 0 <= step <= min(profile.step, len(SECTIONS) - 1):
        raise Refusal.one("", "Сначала заполните предыдущие разделы анкеты")
    section = SECTIONS[step]
    typed = {name: (values.get(name) or "").strip()[:DRAFT_VALUE_MAX] for name in section.fields}
    shown = shown_values(profile)
    errors = locked_changes({n: shown.get(n, "") for n in verified(profile)}, typed)
    clean: dict[str, Any] = {}
    try:
        clean = check_fields(typed, profile.birth_date, clock.today())
    except Refusal as error:
        errors = error.errors | errors
    data = draft(profile) | typed
    profile.draft = json.dumps(data, ensure_ascii=False)
    if errors:
        db.add(profile)
        db.commit()
        raise Refusal(errors)
    if clean.get("res_same_as_reg"):
        clean["res_address"] = clean.get("reg_address", profile.reg_address)
    store(profile, clean)
    profile.step = max(profile.step, step + 1)
    if profile.step >= len(SECTIONS) and profile.completed_at is None:
        profile.completed_at = clock.now()
        borrower = db.get(Borrower, borrower_id)
        if borrower is not None:
            borrower.status = BorrowerStatus.ACTIVE
            db.add(borrower)
    db.add(profile)
    db.commit()
    return profile.step


def shown_values(profile: Profile) -> dict[str, str]:
    """Values to put back in the form: the draft, else what was stored, formatted for reading."""
    stored: dict[str, str] = {}
    for name in FIELDS:
        value = getattr(profile, _column(name), None)
        if value is None:
            continue
        if isinstance(value, bool):
            stored[name] = "on" if value else ""
        elif isinstance(value, date):
            stored[name] = russian.format_date(value)
        elif name == "monthly_income":
            stored[name] = rub(value).removesuffix("\u00a0₽")
        elif name == "snils":
            stored[name] = russian.format_snils(value)
        else:
            stored[name] = str(value)
    return stored | draft(profile)
