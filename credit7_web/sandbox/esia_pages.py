"""The sandbox Gosuslugi provider's HTTP side, on its own routes under `urls.SANDBOX_ESIA`:

- `GET /aas/oauth2/ac`: the sign-in page, listing the test persons; `POST` the choice (or the
  refusal) and the browser goes back to the client's redirect address with a code or an error;
- `POST /aas/oauth2/te`: the token endpoint (client_secret_basic or client_secret_post);
- `GET /rs/prns/{oid}` and `/docs`, `/addrs`, `/ctts`: the person, by bearer token.

Mount: `*esia_routes(db, client)`; `db` is a callable giving a sqlmodel Session usable as a
context manager. The provider keeps real time unless a test passes a clock.
"""

from __future__ import annotations

import base64
import binascii
import secrets
from collections.abc import Callable
from html import escape
from typing import Any

from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from credit7_web import urls
from credit7_web.clock import Clock, SystemClock
from credit7_web.sandbox.esia import (
    BY_OID,
    PERSONAS,
    Client,
    GrantError,
    Persona,
    SandboxEsia,
    authorization_problem,
    back_to_client,
)

AUTHORIZE_PATH = urls.SANDBOX_ESIA + "/aas/oauth2/ac"
TOKEN_PATH = urls.SANDBOX_ESIA + "/aas/oauth2/te"
PERSON_PATH = urls.SANDBOX_ESIA + "/rs/prns/{oid}"
PARAMS = (
    "client_id",
    "redirect_uri",
    "response_type",
    "scope",
    "state",
    "code_challenge",
    "code_challenge_method",
)
MAX_FORM_FIELDS = 20
TITLE = "Госуслуги (песочница) — вход"

SessionFactory = Callable[[], Session]


def esia_routes(db: SessionFactory, client: Client, clock: Clock | None = None) -> list[Route]:
    now_clock: Clock = clock or SystemClock()

    def provider(session: Session) -> SandboxEsia:
        return SandboxEsia(session, now_clock, client)

    def grant(params: dict[str, str], oid: str) -> str:
        with db() as session:
            return provider(session).grant(params, oid)

    def exchange(client_id: str, secret: str, form: dict[str, str]) -> dict[str, Any]:
        with db() as session:
            return provider(session).exchange(client_id, secret, form)

    def person_for(token: str, oid: str) -> Persona | None:
        with db() as session:
            return provider(session).person_for(token, oid)

    async def authorize(request: Request) -> Response:
        if request.method == "GET":
            params = {k: request.query_params.get(k, "") for k in PARAMS}
        else:
            form = await request.form(max_files=0, max_fields=MAX_FORM_FIELDS)
            params = {k: str(form.get(k) or "") for k in PARAMS}
        problem = authorization_problem(client, params)
        if problem is not None:
            return _page(f"<h1>Ошибка запроса</h1><p>{escape(problem)}</p>", status=400)
        if request.method == "GET":
            return sign_in_page(params)
        oid = str(form.get("oid") or "")
        if form.get("action") == "deny" or oid not in BY_OID:
            target = back_to_client(
                params,
                error="access_denied",
                error_description="Пользователь отказался предоставить данные",
            )
        else:
            target = await run_in_threadpool(grant, params, oid)
        return RedirectResponse(target, status_code=303)

    async def token(request: Request) -> Response:
        form = await request.form(max_files=0, max_fields=MAX_FORM_FIELDS)
        values = {k: str(v) for k, v in form.items() if isinstance(v, str)}
        client_id, secret = _client_credentials(request, values)
        try:
            answer = await run_in_threadpool(exchange, client_id, secret, values)
        except GrantError as error:
            status = 401 if error.error == "invalid_client" else 400
            body = {"error": error.error, "error_description": error.description}
            return JSONResponse(body, status_code=status, headers=NO_STORE)
        return JSONResponse(answer, headers=NO_STORE)

    def resource(part: str) -> Callable[[Request], Response]:
        def read(request: Request) -> Response:
            header = request.headers.get("authorization", "")
            bearer = header[7:] if header.lower().startswith("bearer ") else ""
            person = person_for(bearer, request.path_params["oid"])
            if person is None:
                return JSONResponse(
                    {"error": "invalid_token"},
                    status_code=401,
                    headers={"WWW-Authenticate": "Bearer"} | NO_STORE,
                )
            return JSONResponse(_shape(person, part), headers=NO_STORE)

        return read

    return [
        Route(AUTHORIZE_PATH, authorize, methods=["GET", "POST"], name="sandbox_esia_authorize"),
        Route(TOKEN_PATH, token, methods=["POST"], name="sandbox_esia_token"),
        Route(PERSON_PATH, resource("person"), methods=["GET"]),
        Route(PERSON_PATH + "/docs", resource("docs"), methods=["GET"]),
        Route(PERSON_PATH + "/addrs", resource("addrs"), methods=["GET"]),
        Route(PERSON_PATH + "/ctts", resource("ctts"), methods=["GET"]),
    ]


NO_STORE = {"Cache-Control": "no-store"}


def _client_credentials(request: Request, form: dict[str, str]) -> tuple[str, str]:
    """client_secret_basic (the Authorization header) or client_secret_post (the form)."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("basic "):
        try:
            client_id, _, secret = base64.b64decode(header[6:]).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return "", ""
        return client_id, secret
    return form.get("client_id", ""), form.get("client_secret", "")


def _shape(person: Persona, part: str) -> dict[str, Any]:
    if part == "person":
        return {"oid": person.oid, **person.person}
    elements = {"docs": person.documents, "addrs": person.addresses, "ctts": person.contacts}
    return {"size": len(elements[part]), "elements": list(elements[part])}


# ----------------------------------------------------------------------------- HTML

_CSS = """
*{box-sizing:border-box}
body{margin:0;background:#edf2fe;color:#0b1f33;font:16px/1.45 system-ui,-apple-system,"Segoe UI",
Roboto,Arial,sans-serif}
main{max-width:560px;margin:0 auto;padding:16px}
.brand{font-weight:700;color:#0d4cd3;margin:4px 0 12px}
.card{background:#fff;border-radius:12px;padding:16px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
h1{font-size:22px;line-height:1.25;margin:0 0 8px}
p{margin:0 0 12px}
.note{font-size:14px;color:#3a4a5c}
ul{list-style:none;margin:0 0 12px;padding:0}
li{border-top:1px solid #dfe5ef;padding:10px 0}
li p{margin:4px 0 8px;font-size:14px;color:#3a4a5c}
button{width:100%;font-size:16px;padding:12px;border-radius:8px;border:0;cursor:pointer}
.primary{background:#0d4cd3;color:#fff;font-weight:600}
.secondary{background:transparent;color:#0d4cd3;text-decoration:underline}
button:focus-visible{outline:3px solid #8ab4f8;outline-offset:2px}
"""


def _page(body: str, status: int = 200) -> HTMLResponse:
    nonce = secrets.token_urlsafe(16)
    html = (
        "<!doctype html>\n"
        '<html lang="ru"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="robots" content="noindex">'
        f"<title>{escape(TITLE)}</title>"
        f'<style nonce="{nonce}">{_CSS}</style></head><body><main>'
        '<div class="brand">Госуслуги · песочница</div>'
        f'<div class="card">{body}</div></main></body></html>'
    )
    headers = {
        "Content-Security-Policy": (
            f"default-src 'none'; style-src 'nonce-{nonce}'; form-action 'self'; "
            "base-uri 'none'; frame-ancestors 'none'"
        ),
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }
    return HTMLResponse(html, status_code=status, headers=headers)


def _form(params: dict[str, str], fields: dict[str, str], button: str, css: str) -> str:
    hidden = "".join(
        f'<input type="hidden" name="{k}" value="{escape(v)}">'
        for k, v in (params | fields).items()
    )
    return (
        f'<form method="post" action="{escape(AUTHORIZE_PATH)}">{hidden}'
        f'<button type="submit" class="{css}">{escape(button)}</button></form>'
    )


def sign_in_page(params: dict[str, str]) -> HTMLResponse:
    persons = "".join(
        f"<li><strong>{escape(p.name)}</strong><p>{escape(p.outcome)}</p>"
        + _form(params, {"oid": p.oid, "action": "allow"}, f"Войти как {p.name}", "primary")
        + "</li>"
        for p in PERSONAS
    )
    body = (
        f"<h1>{escape(TITLE)}</h1>"
        '<p class="note">Это тестовый вход: выберите человека, от имени которого Госуслуги '
        "передадут данные в Credit7 (ФИО, дата рождения, СНИЛС, паспорт, адреса, телефон, "
        "почта). Нажимая «Войти», вы соглашаетесь на передачу данных.</p>"
        f'<ul aria-label="Тестовые пользователи">{persons}</ul>'
        + _form(params, {"action": "deny"}, "Отказаться и вернуться", "secondary")
    )
    return _page(body)
