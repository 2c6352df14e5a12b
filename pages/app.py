"""The Reflex app: routes, page titles and the HTTP routes for the session cookie."""

from __future__ import annotations

import reflex as rx

from pages.account import login, recover, register
from pages.apply import apply
from pages.cabinet import cabinet
from pages.info import gosuslugi, pay, personal_data
from pages.landing import landing
from pages.questionnaire import questionnaire
from pages.sandbox import business_clock, sms_outbox
from state import redis_locks
from state.apply import ApplyState
from state.auth import LoginState
from state.cabinet import CabinetState
from state.calculator import CalculatorState
from state.jobs import reminder_loop
from state.questionnaire import QuestionnaireState
from state.recover import RecoverState
from state.register import RegisterState
from state.routes import http_app
from state.sandbox import SandboxSmsState
from state.sandbox_clock import SandboxClockState

redis_locks.install()
app = rx.App(
    stylesheets=["/styles.css"],
    head_components=[rx.el.meta(name="theme-color", content="#2f9e44")],
    api_transformer=http_app(),
)
app.add_page(landing, route="/", title="Credit7 — займы на карту", on_load=CalculatorState.load)
app.add_page(register, route="/register", title="Регистрация — Credit7", on_load=RegisterState.load)
app.add_page(
    questionnaire,
    route="/register/questionnaire",
    title="Анкета — Credit7",
    on_load=QuestionnaireState.load,
)
app.add_page(login, route="/login", title="Вход — Credit7", on_load=LoginState.load)
app.add_page(
    recover, route="/recover", title="Восстановление пароля — Credit7", on_load=RecoverState.load
)
app.add_page(cabinet, route="/cabinet", title="Личный кабинет — Credit7", on_load=CabinetState.load)
app.add_page(apply, route="/apply", title="Заявка на заём — Credit7", on_load=ApplyState.load)
app.add_page(pay, route="/pay", title="Внести платёж — Credit7")
app.add_page(gosuslugi, route="/gosuslugi", title="Госуслуги — Credit7")
app.add_page(personal_data, route="/documents/personal-data", title="Персональные данные")
app.add_page(
    sms_outbox, route="/sandbox/sms", title="SMS — песочница", on_load=SandboxSmsState.load
)
app.add_page(
    business_clock,
    route="/sandbox/clock",
    title="Рабочая дата — песочница",
    on_load=SandboxClockState.load,
)
app.register_lifespan_task(reminder_loop)
