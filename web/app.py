"""The Reflex app: pages with their titles and loaders, the plain HTTP routes, the jobs.

The sandbox's pages are mounted only while the sandbox gateways are on (`settings.sandbox`).
"""

from __future__ import annotations

import reflex as rx

from credit7_web import urls, wiring
from credit7_web.settings import Settings
from pages.account import login, recover, register
from pages.apply import apply
from pages.cabinet import cabinet
from pages.faq import faq
from pages.gosuslugi import gosuslugi
from pages.info import pay, personal_data
from pages.landing import landing
from pages.profile import profile
from pages.questionnaire import questionnaire
from pages.restore import restore
from state.apply import ApplyState
from state.cabinet import CabinetState
from state.calculator import CalculatorState
from state.gosuslugi import GosuslugiState
from state.login import LoginState
from state.profile import ProfileState
from state.questionnaire import QuestionnaireState
from state.recover import RecoverState
from state.register import RegisterState
from state.restore import RestoreState
from web import redis_locks
from web.jobs import periodic_loop
from web.routes import http_app


def _add_sandbox_pages(app: rx.App) -> None:
    from pages.sandbox import business_clock, sms_outbox
    from state.sandbox import SmsOutboxState
    from state.sandbox_clock import BusinessDateState

    app.add_page(
        sms_outbox, route=urls.SANDBOX_SMS, title="SMS — песочница", on_load=SmsOutboxState.load
    )
    app.add_page(
        business_clock,
        route=urls.SANDBOX_CLOCK,
        title="Рабочая дата — песочница",
        on_load=BusinessDateState.load,
    )


def build(settings: Settings) -> rx.App:
    app = rx.App(
        stylesheets=["/styles.css"],
        head_components=[rx.el.meta(name="theme-color", content="#2f9e44")],
        api_transformer=http_app(),
    )
    app.add_page(
        landing, route=urls.HOME, title="Credit7 — займы на карту", on_load=CalculatorState.load
    )
    app.add_page(
        register, route=urls.REGISTER, title="Регистрация — Credit7", on_load=RegisterState.load
    )
    app.add_page(
        questionnaire,
        route=urls.QUESTIONNAIRE,
        title="Анкета — Credit7",
        on_load=QuestionnaireState.load,
    )
    app.add_page(login, route=urls.LOGIN, title="Вход — Credit7", on_load=LoginState.load)
    app.add_page(
        recover,
        route=urls.RECOVER,
        title="Восстановление пароля — Credit7",
        on_load=RecoverState.load,
    )
    app.add_page(
        cabinet, route=urls.CABINET, title="Личный кабинет — Credit7", on_load=CabinetState.load
    )
    app.add_page(apply, route=urls.APPLY, title="Заявка на заём — Credit7", on_load=ApplyState.load)
    app.add_page(profile, route=urls.PROFILE, title="Профиль — Credit7", on_load=ProfileState.load)
    app.add_page(pay, route=urls.PAY, title="Внести платёж — Credit7")
    app.add_page(faq, route=urls.FAQ, title="Вопросы и ответы — Credit7")
    app.add_page(
        gosuslugi,
        route=urls.GOSUSLUGI,
        title="Заём через Госуслуги — Credit7",
        on_load=GosuslugiState.load,
    )
    app.add_page(
        restore,
        route=urls.RESTORE,
        title="Восстановление аккаунта — Credit7",
        on_load=RestoreState.load,
    )
    app.add_page(personal_data, route=urls.PERSONAL_DATA, title="Персональные данные")
    if settings.sandbox:
        _add_sandbox_pages(app)
    app.register_lifespan_task(periodic_loop)
    return app


redis_locks.install()
app = build(wiring.settings())
