"""ASGI middleware around the whole app (pages, routes, files): the security headers on every
answer, and the browser key every browser gets once.

The browser key is a random HttpOnly, SameSite=Strict cookie that dies with the browser
session. A sign-in ticket is bound to it (`sessions.open_session(..., browser=...)`), so a
ticket made in one browser cannot be claimed in another: the login CSRF of chaining someone
else's ticket into a victim's sign-in finds nothing to claim.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from pathlib import Path

from reflex.utils import prerequisites
from reflex_base import constants
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from credit7_web import wiring
from credit7_web.identity import hashing, sessions

# Scripts: this site's files, and the inline scripts of the built pages by their hashes (React
# Router's boot and streaming scripts, the theme switch), never any other inline script.
# 'unsafe-eval' stays: Reflex's frontend evaluates the scripts the backend sends
# (`rx.call_script`: the full page loads to /auth/claim and to the acquirer). Styles: Radix and
# Emotion set them inline. Everything else: this site only, and no page of it in a frame.
CSP_REST = (
    "default-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self' ws: wss:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
)
HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
}
_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S)


def inline_script_hashes(build: Path) -> list[str]:
    """The CSP sources of every inline script in the built pages ('sha256-…'), sorted."""
    found = {
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
        for page in build.rglob("*.html")
        for body in _INLINE_SCRIPT.findall(page.read_text(errors="replace"))
    }
    return sorted(found)


@functools.cache
def csp() -> str:
    """The policy, read once the frontend is built (the first answer comes after the build)."""
    build = prerequisites.get_web_dir() / constants.Dirs.STATIC
    scripts = " ".join(["'self'", "'unsafe-eval'", *inline_script_hashes(build)])
    return "; ".join((f"script-src {scripts}", *CSP_REST))


def _browser_cookie(scope: Scope) -> str:
    secure = scope.get("scheme") == "https" or wiring.settings().public_url.startswith("https://")
    flags = "; Secure" if secure else ""
    return (
        f"{sessions.BROWSER_COOKIE}={hashing.new_token()}; Path=/; HttpOnly; SameSite=Strict"
        + flags
    )


class Guard:
    """Adds the security headers (unless a route set its own) and the browser key cookie."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cookie_header = next(
            (v.decode("latin-1") for k, v in scope.get("headers", ()) if k == b"cookie"), ""
        )
        new_key = "" if sessions.browser_from_cookies(cookie_header) else _browser_cookie(scope)

        async def send_guarded(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in (HEADERS | {"content-security-policy": csp()}).items():
                    if name not in headers:
                        headers[name] = value
                if new_key:
                    headers.append("set-cookie", new_key)
            await send(message)

        await self.app(scope, receive, send_guarded)
