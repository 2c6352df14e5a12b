"""The Reflex app: pages with their titles and loaders, the plain HTTP routes, the job worker.

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
from pages.faq import faq
from pages.gosuslugi import gosuslugi
from pages.info import personal_data
from pages.landing import landing
from pages.operator import (
    audit_log,
    borrower_search,
    console_home,
    identification_queue,
    operator_login,
)
from pages.operator_queues import deletion_queue, restoration_queue
from pages.profile import profile
from pages.prolong import prolong
from pages.questionnaire import questionnaire
from pages.quick_pay import quick_pay
from pages.repay import repay
from pages.restore import restore
from pages.shell import TOASTER_LABELS, connection_overlay, not_found
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
from web import redis_locks, state_files
from web.guard import Guard
from web.routes import http_app
from web.worker import embedded


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


def _add_operator_console(app: rx.App) -> None:
    app.add_page(
        operator_login,
        route=urls.OPERATOR_LOGIN,
        title="Вход для сотрудников — Credit7",
        on_load=OperatorLoginState.load,
    )
    app.add_page(
        console_home,
        route=urls.OPERATOR,
        title="Консоль оператора — Credit7",
        on_load=ConsoleHomeState.load,
    )
    app.add_page(
        identification_queue,
        route=urls.OPERATOR_IDENTIFICATION,
        title="Идентификация — консоль Credit7",
        on_load=IdentificationState.load,
    )
    app.add_page(
        borrower_search,
        route=urls.OPERATOR_SEARCH,
        title="Поиск клиента — консоль Credit7",
        on_load=BorrowerSearchState.load,
    )
    app.add_page(
        audit_log,
        route=urls.OPERATOR_AUDIT,
        title="Журнал действий — консоль Credit7",
        on_load=AuditLogState.load,
    )
    app.add_page(
        deletion_queue,
        route=urls.OPERATOR_DELETIONS,
        title="Удаление аккаунтов — консоль Credit7",
        on_load=DeletionQueueState.load,
    )
    app.add_page(
        restoration_queue,
        route=urls.OPERATOR_RESTORATIONS,
        title="Восстановление аккаунтов — консоль Credit7",
        on_load=RestorationQueueState.load,
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
        api_transformer=[http_app(), Guard],
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
    app.add_page(
        prolong, route=urls.PROLONG, title="Продление займа — Credit7", on_load=ProlongState.load
    )
    app.add_page(apply, route=urls.APPLY, title="Заявка на заём — Credit7", on_load=ApplyState.load)
    app.add_page(profile, route=urls.PROFILE, title="Профиль — Credit7", on_load=ProfileState.load)
    app.add_page(
        quick_pay, route=urls.PAY, title="Внести платёж — Credit7", on_load=QuickPayState.load
    )
    app.add_page(
        repay, route=urls.REPAY, title="Погашение займа — Credit7", on_load=RepayState.load
    )
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
    app.add_page(personal_data, route=urls.PERSONAL_DATA, title="Персональные данные — Credit7")
    _add_operator_console(app)
    if settings.sandbox:
        _add_sandbox_pages(app)
    app.register_lifespan_task(embedded)
    return app


redis_locks.install()
state_files.install()
app = build(wiring.settings())
