"""What each state lets a browser see and call.

Frontend vars (`State.base_vars` plus non-backend computed vars: Reflex's
`_frontend_var_names`) are sent to the browser; fields whose names start with `_` stay on the
server. Event handlers are what a client may call, by name, with any arguments.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from reflex.state import BaseState
from sqlalchemy import Engine

from state.apply import ApplyState
from state.cabinet import CabinetState
from state.calculator import CalculatorState
from state.gosuslugi import GosuslugiState
from state.login import LoginState
from state.operator_audit import AuditLogState
from state.operator_console import ConsoleHomeState
from state.operator_deletions import DeletionQueueState
from state.operator_identification import IdentificationState
from state.operator_login import OperatorLoginState
from state.operator_restorations import RestorationQueueState
from state.operator_search import BorrowerSearchState
from state.profile import ProfileState
from state.prolong import ProlongState
from state.questionnaire import QuestionnaireState
from state.quick_pay import QuickPayState
from state.recover import RecoverState
from state.register import RegisterState
from state.repay import RepayState
from state.restore import RestoreState
from state.sandbox import SmsOutboxState
from state.sandbox_clock import BusinessDateState
from tests.state.harness import PHONE, Browser, form, sms_code

CONSOLE = {"who", "role_title", "sections"}  # the console's frame, on every console page
FRONTEND: dict[type[BaseState], set[str]] = {
    LoginState: {"errors", "answered", "notice", "unlock", "phone_display", "resend_timer"},
    RegisterState: {"errors", "answered", "step", "phone_display", "resend_timer", "notice"},
    RecoverState: {"errors", "answered", "step", "phone_display", "resend_timer", "notice"},
    QuestionnaireState: {"errors", "answered", "step", "values", "same_address", "loaded"},
    CabinetState: {"name", "phone", "requested", "pending", "refusal", "reapply", "loaded"}
    | {"loan", "schedule", "documents", "operations", "payment_note", "payment_failed"}
    | {"money_at", "services_bought", "errors", "answered"},
    RepayState: {"errors", "answered", "number", "total", "minimum", "card", "step", "amount"},
    QuickPayState: {"errors", "answered", "name", "total", "due", "minimum", "found", "note"}
    | {"note_failed"},
    ApplyState: {"errors", "answered", "stage", "has_photo", "photo_url", "has_card"}
    | {"card_label", "priced", "resend_timer", "notice", "photo_rejection"}
    | {"card_notice", "card_failed", "upload_progress", "amount", "term", "amount_min"}
    | {
        "amount_max",
        "chosen",
        "services",
        "figures",
        "refusal",
        "reapply",
        "offer",
        "signature_requested",
    },
    BusinessDateState: {"enabled", "today", "shift", "error"},
    CalculatorState: {"due_dates", "signed_in"},
    SmsOutboxState: {"enabled", "messages"},
    OperatorLoginState: {"errors", "answered"},
    ConsoleHomeState: CONSOLE,
    IdentificationState: CONSOLE | {"errors", "answered", "photo", "waiting", "notice"},
    BorrowerSearchState: CONSOLE
    | {"errors", "answered", "found", "person", "loans", "operations", "documents"},
    AuditLogState: CONSOLE | {"entries"},
    DeletionQueueState: CONSOLE | {"errors", "answered", "waiting", "notice", "request"},
    RestorationQueueState: CONSOLE | {"errors", "answered", "waiting", "notice", "request"},
    GosuslugiState: {"errors", "answered", "stage", "notice", "refusal", "registered", "locked"}
    | {"to_fill", "phone_display"},
    ProfileState: {"errors", "answered", "loaded", "profile", "editing", "new_phone_display"}
    | {"deletion_due", "notice"},
    RestoreState: {"errors", "answered", "sent", "passport_ready", "selfie_ready"},
    ProlongState: {"errors", "answered", "loaded", "loan_number", "offer", "unavailable"}
    | {"signing", "done", "notice", "resend_timer"},
}
BACKEND: dict[type[BaseState], set[str]] = {
    LoginState: {"_phone"},
    RegisterState: {"_phone", "_confirmed_at", "_consent_at", "_requested"},
    RecoverState: {"_phone", "_confirmed_at"},
    QuestionnaireState: {"_owner"},
    CabinetState: {"_owner"},
    RepayState: {"_key", "_amount_kop", "_bound", "_owner"},
    QuickPayState: {"_loan_id", "_key"},
    ApplyState: {"_owner"},
    BusinessDateState: set(),
    CalculatorState: set(),
    SmsOutboxState: set(),
    OperatorLoginState: set(),
    ConsoleHomeState: set(),
    IdentificationState: set(),
    BorrowerSearchState: set(),
    AuditLogState: set(),
    DeletionQueueState: set(),
    RestorationQueueState: set(),
    GosuslugiState: set(),
    ProfileState: {"_new_phone", "_owner"},
    RestoreState: {"_passport", "_selfie"},
    ProlongState: {"_key", "_loan_id"},
}
HANDLERS: dict[type[BaseState], set[str]] = {
    LoginState: {"load", "submit", "send_unlock_code", "submit_unlock"},
    RegisterState: {"load", "submit_phone", "resend", "submit_code", "submit_password"}
    | {"change_phone"},
    RecoverState: {"load", "submit_phone", "resend", "submit_code", "submit_password"}
    | {"change_phone"},
    QuestionnaireState: {"load", "save_field", "set_same_address", "back", "submit"},
    CabinetState: {"load", "cancel_loan", "refuse_service"},
    RepayState: {"load", "submit", "confirm", "change"},
    QuickPayState: {"load", "find", "pay", "again"},
    ApplyState: {"load", "set_amount", "set_term", "toggle_service", "upload_photo"}
    | {"upload_progressed", "bind_card", "submit", "watch_decision", "send_code", "sign"},
    BusinessDateState: {"load", "move", "reset_clock"},
    CalculatorState: {"load"},
    SmsOutboxState: {"load"},
    OperatorLoginState: {"load", "submit"},
    ConsoleHomeState: {"load"},
    IdentificationState: {"load", "confirm", "reject"},
    BorrowerSearchState: {"load", "search"},
    AuditLogState: {"load"},
    DeletionQueueState: {"load", "carry_out"},
    RestorationQueueState: {"load", "approve", "reject"},
    GosuslugiState: {"load", "submit", "submit_code", "resend", "back"},
    ProfileState: {"load", "edit", "cancel", "start_phone_change"}
    | {"resend_phone_code", "confirm_phone_change", "change_email", "change_password"}
    | {"request_deletion", "cancel_deletion"},
    RestoreState: {"load", "upload_passport", "upload_selfie", "submit"},
    ProlongState: {"load", "send_code", "confirm"},
}
SECRET_WORDS = re.compile(
    r"code|token|ticket|passw|secret|hash|confirm|consent|proof|otp|session|cookie|key", re.I
)
STATES = list(FRONTEND)


def own_fields(cls: type[BaseState]) -> dict[str, Any]:
    return {name: f for name, f in cls.get_fields().items() if f._owner is cls}


@pytest.mark.parametrize("cls", STATES, ids=lambda c: c.__name__)
def test_the_frontend_vars_are_exactly_these(cls: type[BaseState]) -> None:
    assert set(cls.base_vars) == FRONTEND[cls]
    assert cls.computed_vars == {}
    assert set(cls._frontend_var_names) == FRONTEND[cls]


@pytest.mark.parametrize("cls", STATES, ids=lambda c: c.__name__)
def test_no_frontend_var_is_named_like_a_secret(cls: type[BaseState]) -> None:
    assert [name for name in cls._frontend_var_names if SECRET_WORDS.search(name)] == []


@pytest.mark.parametrize("cls", STATES, ids=lambda c: c.__name__)
def test_the_backend_vars_are_exactly_these_and_private(cls: type[BaseState]) -> None:
    fields = own_fields(cls)
    backend = {name for name, f in fields.items() if f._backend}
    assert backend == BACKEND[cls]
    assert all(name.startswith("_") for name in backend)
    assert {name for name, f in fields.items() if not f._backend} == FRONTEND[cls]


@pytest.mark.parametrize("cls", STATES, ids=lambda c: c.__name__)
def test_a_client_can_call_only_these_handlers(cls: type[BaseState]) -> None:
    assert set(cls.event_handlers) == HANDLERS[cls] | {"setvar"}


@pytest.mark.parametrize(
    ("cls", "var"),
    [
        (RegisterState, "step"),
        (RegisterState, "_phone"),
        (RegisterState, "_confirmed_at"),
        (RegisterState, "_consent_at"),
        (RegisterState, "errors"),
        (RecoverState, "_phone"),
        (RecoverState, "step"),
        (QuestionnaireState, "step"),
        (QuestionnaireState, "values"),
        (CabinetState, "name"),
        (LoginState, "rx_router_headers"),
        (LoginState, "router_data"),
    ],
)
async def test_setvar_cannot_set_a_var(
    browser: Browser, app_db: Engine, cls: type[BaseState], var: str
) -> None:
    """No state has auto setters: `setvar` reaches only an explicit `set_*` handler."""
    before = browser.state(cls).dict()
    with pytest.raises(AttributeError):
        await browser.send(cls, "setvar", var_name=var, value="password")
    assert browser.state(cls).dict() == before


async def test_setvar_reaches_only_the_checked_setter(browser: Browser, app_db: Engine) -> None:
    await browser.send(QuestionnaireState, "setvar", var_name="same_address", value="no")
    assert browser.state(QuestionnaireState).same_address is True
    await browser.send(QuestionnaireState, "setvar", var_name="same_address", value=False)
    assert browser.state(QuestionnaireState).same_address is False


async def test_the_confirmation_survives_a_state_round_trip_but_never_leaves_the_server(
    browser: Browser, app_db: Engine
) -> None:
    browser.at("/register", "amount=5000&term=10")
    await browser.send(RegisterState, "load")
    await browser.send(RegisterState, "submit_phone", form=form(phone=PHONE, consent="on"))
    code = sms_code(app_db)
    await browser.send(RegisterState, "submit_code", form=form(code=code))
    state = browser.state(RegisterState)  # unpickled after every event by the harness
    assert (state.step, state._phone, state._requested) == ("password", PHONE, (500_000, 10))
    assert state._confirmed_at is not None and state._consent_at is not None
    sent = browser.sent_text()
    for secret in ("_phone", "_confirmed_at", "_consent_at", "_requested", code, PHONE):
        assert secret not in sent
    assert "+7 (900) 123-45-67" in sent  # phone_display: what the borrower typed, for reading
