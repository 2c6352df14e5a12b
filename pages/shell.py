"""What Reflex puts around every page, in Russian: the 404 page inside the app's layout and the
toast shown when the connection to the server is lost (Reflex's own are in English)."""

from __future__ import annotations

import reflex as rx
from reflex_base.components.memo import memo
from reflex_base.constants import Hooks
from reflex_base.vars import VarData
from reflex_base.vars.base import Var
from reflex_base.vars.function import FunctionStringVar
from reflex_base.vars.sequence import LiteralArrayVar
from reflex_components_core.core.banner import (
    connect_errors,
    has_hydration_payload_error,
    has_too_many_connection_errors,
)
from reflex_components_sonner.toast import toast_ref

from credit7_web import urls
from pages.components import card, link_button, page

NO_CONNECTION = "Нет связи с сервером. Проверьте интернет — страница переподключится сама."
BAD_PAYLOAD = "Не удалось загрузить данные страницы. Обновите её."
# The notifications region and its close button, named for a screen reader (sonner's props).
TOASTER_LABELS = {
    "containerAriaLabel": "Уведомления",
    "toastOptions": {"closeButtonAriaLabel": "Закрыть уведомление"},
}


def not_found() -> rx.Component:
    return page(
        card(
            rx.text("Такой страницы у нас нет: возможно, в адресе опечатка или ссылка устарела."),
            link_button("На главную", urls.HOME),
            max_width="560px",
        ),
        title="Страница не найдена",
    )


class RuConnectionToaster(rx.Fragment):
    """Reflex's ConnectionToaster (same hooks, same toast id) with Russian words."""

    def add_hooks(self) -> list[str | Var]:
        toast_id = "websocket-error"
        return [
            Hooks.CONNECT_ERRORS,
            Var(f"const toast = {toast_ref};"),
            "const [userDismissed, setUserDismissed] = useState(false);",
            FunctionStringVar(
                "useEffect", _var_data=VarData(imports={"react": ("useEffect", "useState")})
            ).call(
                Var(
                    _js_expr=f"""
() => {{
    if ({has_hydration_payload_error!s}) {{
        toast?.error({BAD_PAYLOAD!r}, {{id: "hydration-payload-error", closeButton: true,
                                        duration: Infinity}});
    }} else if ({has_too_many_connection_errors!s}) {{
        if (!userDismissed) {{
            toast?.error({NO_CONNECTION!r}, {{id: "{toast_id}", closeButton: true,
                                              duration: 120000,
                                              onDismiss: () => setUserDismissed(true)}});
        }}
    }} else {{
        toast?.dismiss("{toast_id}");
        setUserDismissed(false);
    }}
}}"""
                ),
                LiteralArrayVar.create([connect_errors]),
            ),
        ]


def connection_overlay() -> rx.Component:
    """In place of Reflex's overlay (its pulsing icon is titled in English)."""

    def overlay() -> rx.Component:
        return rx.fragment(RuConnectionToaster.create())

    return rx.fragment(memo(overlay)())
