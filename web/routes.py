"""Plain HTTP routes: the session cookies (only HTTP can set an HttpOnly one), the acquirer's
return address, the borrower's own files (documents, passport photo), owner only, and the same
files for operators (the passport photo for the identification role only).

The handlers are plain functions: Starlette runs them in its thread pool, so their database work
never holds up the event loop that carries every borrower's websocket."""

from __future__ import annotations

from contextlib import suppress

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from credit7_web import urls, wiring
from credit7_web.backoffice import identification, search
from credit7_web.backoffice import sessions as operator_sessions
from credit7_web.backoffice.models import Operator, Role
from credit7_web.documents import archive
from credit7_web.errors import Refusal
from credit7_web.gateways.acquirer import valid_order_id
from credit7_web.identity import kyc, sessions
from credit7_web.lending import cards

PRIVATE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def _borrower_id(request: Request) -> int | None:
    token = request.cookies.get(sessions.SESSION_COOKIE)
    if not token:
        return None
    with wiring.unit() as u:
        borrower = sessions.resolve(u.db, u.clock, u.settings, token)
        return borrower.id if borrower else None


def _not_found() -> Response:
    return Response("Не найдено", status_code=404, media_type="text/plain; charset=utf-8")


def claim(request: Request) -> RedirectResponse:
    """Trade the one-minute sign-in ticket for the session cookie.

    Only our own pages send a browser here: a cross-site request would sign the victim into the
    sender's account (login CSRF), so it is refused where the browser says where it came from.
    """
    if request.headers.get("sec-fetch-site", "same-origin") != "same-origin":
        return RedirectResponse(urls.LOGIN, status_code=303)
    ticket = request.query_params.get("ticket", "")[:100]
    with wiring.unit() as u:
        token = sessions.claim(u.db, u.clock, u.settings, ticket) if ticket else None
        max_age = u.settings.session_hours * 3600
    if token is None:
        return RedirectResponse(urls.LOGIN, status_code=303)
    response = RedirectResponse(
        urls.after_sign_in(request.query_params.get("next")), status_code=303
    )
    response.set_cookie(
        sessions.SESSION_COOKIE,
        token,
        max_age=max_age,
        httponly=True,
        samesite="strict",
        secure=_secure(request),
        path="/",
    )
    return response


def logout(request: Request) -> RedirectResponse:
    """End the session on the server and drop the cookie."""
    token = request.cookies.get(sessions.SESSION_COOKIE)
    if token:
        with wiring.unit() as u:
            sessions.revoke(u.db, u.clock, token)
    response = RedirectResponse(urls.LOGIN, status_code=303)
    response.delete_cookie(sessions.SESSION_COOKIE, path="/", httponly=True, samesite="strict")
    return response


def card_return(request: Request) -> RedirectResponse:
    """Back from the acquirer's page: ask the acquirer what happened, never the browser."""
    borrower_id = _borrower_id(request)
    if borrower_id is None:
        return RedirectResponse(urls.login_then(urls.APPLY), status_code=303)
    order = request.query_params.get("order", "")
    if not valid_order_id(order):
        return RedirectResponse(urls.APPLY, status_code=303)
    with wiring.unit() as u, suppress(Refusal):  # the binding keeps the reason; the page shows it
        cards.finish_binding(u.db, u.clock, u.acquirer, borrower_id, order)
    return RedirectResponse(urls.with_query(urls.APPLY, card=order), status_code=303)


def document(request: Request) -> Response:
    borrower_id = _borrower_id(request)
    raw = request.path_params["document_id"]
    if borrower_id is None or not raw.isdigit():
        return _not_found()
    with wiring.unit() as u:
        found = archive.read_document(u.db, u.settings, borrower_id, int(raw))
    if found is None:
        return _not_found()
    return _pdf(found[1], raw)


def _pdf(pdf: bytes, raw_id: str) -> Response:
    return Response(
        pdf,
        media_type="application/pdf",
        headers=PRIVATE | {"Content-Disposition": f'inline; filename="credit7-{raw_id}.pdf"'},
    )


def passport_photo(request: Request) -> Response:
    borrower_id = _borrower_id(request)
    raw = request.path_params["photo_id"]
    if borrower_id is None or not raw.isdigit():
        return _not_found()
    with wiring.unit() as u:
        data = kyc.read_photo(u.db, u.settings, borrower_id, int(raw))
    if data is None:
        return _not_found()
    return Response(data, media_type="image/jpeg", headers=PRIVATE)


def _operator(request: Request) -> Operator | None:
    """The operator of the operator cookie (never the borrower's), or None."""
    token = request.cookies.get(operator_sessions.OPERATOR_COOKIE)
    if not token:
        return None
    with wiring.unit() as u:
        return operator_sessions.resolve(u.db, u.clock, token)


def operator_claim(request: Request) -> RedirectResponse:
    """Trade the operator's sign-in ticket for the operator cookie (as `claim` for borrowers)."""
    if request.headers.get("sec-fetch-site", "same-origin") != "same-origin":
        return RedirectResponse(urls.OPERATOR_LOGIN, status_code=303)
    ticket = request.query_params.get("ticket", "")[:100]
    with wiring.unit() as u:
        token = operator_sessions.claim(u.db, u.clock, ticket) if ticket else None
    if token is None:
        return RedirectResponse(urls.OPERATOR_LOGIN, status_code=303)
    response = RedirectResponse(urls.OPERATOR, status_code=303)
    response.set_cookie(
        operator_sessions.OPERATOR_COOKIE,
        token,
        max_age=operator_sessions.SESSION_HOURS * 3600,
        httponly=True,
        samesite="strict",
        secure=_secure(request),
        path="/",
    )
    return response


def operator_logout(request: Request) -> RedirectResponse:
    token = request.cookies.get(operator_sessions.OPERATOR_COOKIE)
    if token:
        with wiring.unit() as u:
            operator_sessions.sign_out(u.db, u.clock, token)
    response = RedirectResponse(urls.OPERATOR_LOGIN, status_code=303)
    response.delete_cookie(
        operator_sessions.OPERATOR_COOKIE, path="/", httponly=True, samesite="strict"
    )
    return response


def operator_photo(request: Request) -> Response:
    operator = _operator(request)
    raw = request.path_params["photo_id"]
    if operator is None or operator.role != Role.IDENTIFICATION or not raw.isdigit():
        return _not_found()
    with wiring.unit() as u:
        data = identification.photo_file(u.db, u.settings, int(raw))
    if data is None:
        return _not_found()
    return Response(data, media_type="image/jpeg", headers=PRIVATE)


def operator_document(request: Request) -> Response:
    raw = request.path_params["document_id"]
    if _operator(request) is None or not raw.isdigit():
        return _not_found()
    with wiring.unit() as u:
        pdf = search.document_file(u.db, u.settings, int(raw))
    return _not_found() if pdf is None else _pdf(pdf, raw)


def http_app() -> Starlette:
    return Starlette(
        routes=[
            Route(urls.AUTH_CLAIM, claim, methods=["GET"]),
            Route(urls.AUTH_LOGOUT, logout, methods=["GET", "POST"]),
            Route(urls.CARD_RETURN, card_return, methods=["GET"]),
            Route(urls.DOCUMENT_FILE, document, methods=["GET"]),
            Route(urls.PHOTO_FILE, passport_photo, methods=["GET"]),
            Route(urls.OPERATOR_CLAIM, operator_claim, methods=["GET"]),
            Route(urls.OPERATOR_LOGOUT, operator_logout, methods=["GET", "POST"]),
            Route(urls.OPERATOR_PHOTO_FILE, operator_photo, methods=["GET"]),
            Route(urls.OPERATOR_DOCUMENT_FILE, operator_document, methods=["GET"]),
            *wiring.sandbox_routes(),
        ]
    )
