"""Plain HTTP routes: the session cookie (only HTTP can set an HttpOnly one), the acquirer's
return address, and the borrower's own files (documents, passport photo), owner only.

The handlers are plain functions: Starlette runs them in its thread pool, so their database work
never holds up the event loop that carries every borrower's websocket."""

from __future__ import annotations

from contextlib import suppress

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from credit7_web import cards, documents, kyc, sessions
from credit7_web.business_clock import clock_for
from credit7_web.errors import FormError
from credit7_web.gateways.acquirer import SandboxAcquirer, valid_order_id
from credit7_web.sandbox.acquirer_pages import acquirer_routes
from state.context import CLOCK, SESSION_COOKIE, db, safe_next, settings

PRIVATE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def _borrower_id(request: Request) -> int | None:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    with db() as s:
        borrower = sessions.resolve(s, CLOCK, settings(), token)
        return borrower.id if borrower else None


def _not_found() -> Response:
    return Response("Не найдено", status_code=404, media_type="text/plain; charset=utf-8")


def claim(request: Request) -> RedirectResponse:
    """Trade the one-minute sign-in ticket for the session cookie.

    Only our own pages send a browser here: a cross-site request would sign the victim into the
    sender's account (login CSRF), so it is refused where the browser says where it came from.
    """
    if request.headers.get("sec-fetch-site", "same-origin") != "same-origin":
        return RedirectResponse("/login", status_code=303)
    ticket = request.query_params.get("ticket", "")[:100]
    with db() as s:
        token = sessions.claim(s, CLOCK, settings(), ticket) if ticket else None
    if token is None:
        return RedirectResponse("/login", status_code=303)
    response = RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=settings().session_hours * 3600,
        httponly=True,
        samesite="strict",
        secure=_secure(request),
        path="/",
    )
    return response


def logout(request: Request) -> RedirectResponse:
    """End the session on the server and drop the cookie."""
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        with db() as s:
            sessions.revoke(s, CLOCK, token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")
    return response


def card_return(request: Request) -> RedirectResponse:
    """Back from the acquirer's page: ask the acquirer what happened, never the browser."""
    borrower_id = _borrower_id(request)
    if borrower_id is None:
        return RedirectResponse("/login?next=%2Fapply", status_code=303)
    order = request.query_params.get("order", "")
    if not valid_order_id(order):
        return RedirectResponse("/apply", status_code=303)
    with db() as s:
        clock = clock_for(s)
        with suppress(FormError):  # the binding row keeps the reason; /apply shows it
            cards.finish_binding(s, clock, SandboxAcquirer(s, clock), borrower_id, order)
    return RedirectResponse(f"/apply?card={order}", status_code=303)


def document(request: Request) -> Response:
    borrower_id = _borrower_id(request)
    raw = request.path_params["document_id"]
    if borrower_id is None or not raw.isdigit():
        return _not_found()
    with db() as s:
        found = documents.read_document(s, settings(), borrower_id, int(raw))
    if found is None:
        return _not_found()
    _, pdf = found
    return Response(
        pdf,
        media_type="application/pdf",
        headers=PRIVATE | {"Content-Disposition": f'inline; filename="credit7-{raw}.pdf"'},
    )


def passport_photo(request: Request) -> Response:
    borrower_id = _borrower_id(request)
    raw = request.path_params["photo_id"]
    if borrower_id is None or not raw.isdigit():
        return _not_found()
    with db() as s:
        data = kyc.read_photo(s, settings(), borrower_id, int(raw))
    if data is None:
        return _not_found()
    return Response(data, media_type="image/jpeg", headers=PRIVATE)


def http_app() -> Starlette:
    return Starlette(
        routes=[
            Route("/auth/claim", claim, methods=["GET"]),
            Route("/auth/logout", logout, methods=["GET", "POST"]),
            Route("/cards/return", card_return, methods=["GET"]),
            Route("/files/documents/{document_id}", document, methods=["GET"]),
            Route("/files/kyc/{photo_id}", passport_photo, methods=["GET"]),
            *acquirer_routes(db, settings().secret_key),
        ]
    )
