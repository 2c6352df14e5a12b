"""Reflex configuration: the embedded SQLite default, or PostgreSQL/Redis from the environment.

The allowed origins (CORS and the websocket's origin check) follow the port the app serves on:
`reflex run --frontend-port P` puts P in REFLEX_FRONTEND_PORT and reads this file again before
the app starts, so `PORT=8080 make run` works without CREDIT7_ORIGINS. A plain `reflex run`
serves on 3000 and does not set it.
"""

import os

import reflex as rx

from credit7_web.db import app_db_url

_port = os.environ.get("REFLEX_FRONTEND_PORT") or os.environ.get("REFLEX_BACKEND_PORT") or "3000"

config = rx.Config(
    app_name="credit7",
    app_module_import="web.app",
    db_url=app_db_url(),
    redis_url=os.environ.get("REFLEX_REDIS_URL") or None,
    # Proxies in front whose X-Forwarded-For names the client (rate limits per address); with
    # none (the default) the header is ignored, so a client cannot choose its own address.
    trusted_proxy_hops=int(os.environ.get("CREDIT7_TRUSTED_PROXY_HOPS", "0")),
    telemetry_enabled=False,
    show_built_with_reflex=False,
    cors_allowed_origins=os.environ.get(
        "CREDIT7_ORIGINS", f"http://localhost:{_port},http://127.0.0.1:{_port}"
    ).split(","),
    # Solid panels: a translucent card blurs what lies behind it, which delays the first paint.
    plugins=[
        rx.plugins.RadixThemesPlugin(
            theme=rx.theme(accent_color="green", radius="medium", panel_background="solid")
        )
    ],
    disable_plugins=[rx.plugins.SitemapPlugin],
)
