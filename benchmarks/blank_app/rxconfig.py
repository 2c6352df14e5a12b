"""A blank Reflex app to measure the landing against (benchmarks/landing.py): one heading, one
button, Reflex's defaults. Start it from this folder:
    ../../.venv/bin/reflex run --env prod --single-port --frontend-port 3100 --backend-port 3100
"""

import reflex as rx

config = rx.Config(app_name="blank_app", telemetry_enabled=False)
