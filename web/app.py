"""The Reflex app: pages with their titles and loaders, the plain HTTP routes, the jobs.

Russian throughout (`lang="ru"`, the 404 page, the connection toast, the notifications label);
the input masks are a static script, so no inline script is needed. The sandbox's pages are
mounted only while the sandbox gateways are on (`settings.sandbox`).
"""

from __future__ import annotations

import reflex as rx

from credit7_web import urls, wiring
from credit7_web.settings import Settings
from pages.account import login, recover, register
from pages.apply import apply
from pages.cabinet import cabinet
from pages.info import gosuslugi, pay, personal_data
from pages.landing import landing
from pages.questionnaire import questionnaire
from pages.shell import TOASTER_LABELS, connection_overlay, not_found
from state.apply import ApplyState
from state.cabinet import CabinetState
from state.calculator import CalculatorState
from state.login import LoginState
from state.questionnaire import QuestionnaireState
from state.recover import RecoverState
from state.register import RegisterState
from web import redis_locks
from web.jobs import periodic_loop
from web.routes import http_app


def _add_sandbox_pages(app: rx.App) -> None:
    from pages.sandbox import business_clock, sms_outbox
    from state.sandbox import SmsOutboxState
    from state.sandbox_clock import BusinessDateState

    app.add_page(
        sms_outbox,
        route=urls.SANDBOX_SMS,
        title="SMS — песочница Credit7",
        on_load=SmsOutboxState.load,
    )
    app.add_page(
        business_clock,
        route=urls.SANDBOX_CLOCK,
        title="Рабочая дата — песочница Credit7",
        on_load=BusinessDateState.load,
    )


def build(settings: Settings) -> rx.App:
    app = rx.App(
        html_lang="ru",
        stylesheets=["/styles.css"],
        head_components=[
            rx.el.meta(name="theme-color", content="#18794e"),
            rx.el.link(rel="icon", href="/favicon.ico", sizes="any"),
            rx.el.script(src="/masks.js", defer=True),
        ],
        toaster=rx.toast.provider(custom_attrs=TOASTER_LABELS),
        api_transformer=http_app(),
    )
    # Only the overlay is replaced: passing app_wraps= would drop the error boundary and others.
    app.app_wraps[(5, "Overlay")] = lambda stateful: connection_overlay() if stateful else None
    app.add_page(not_found, route="404", title="Страница не найдена — Credit7")
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
    app.add_page(pay, route=urls.PAY, title="Внести платёж — Credit7")
    app.add_page(gosuslugi, route=urls.GOSUSLUGI, title="Госуслуги — Credit7")
    app.add_page(personal_data, route=urls.PERSONAL_DATA, title="Персональные данные — Credit7")
    if settings.sandbox:
        _add_sandbox_pages(app)
    app.register_lifespan_task(periodic_loop)
    return app


redis_locks.install()
app = build(wiring.settings())
