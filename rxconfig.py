"""Reflex configuration: the embedded SQLite default, or PostgreSQL/Redis from the environment."""

import os

import reflex as rx

from credit7_web.db import app_db_url

config = rx.Config(
    app_name="credit7",
    app_module_import="web.app",
    db_url=app_db_url(),
    redis_url=os.environ.get("REFLEX_REDIS_URL") or None,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    cors_allowed_origins=os.environ.get(
        "CREDIT7_ORIGINS", "http://localhost:3000,http://127.0.0.1:3000"
    ).split(","),
    plugins=[rx.plugins.RadixThemesPlugin(theme=rx.theme(accent_color="green", radius="medium"))],
    disable_plugins=[rx.plugins.SitemapPlugin],
)
