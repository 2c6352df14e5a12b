"""Plain HTTP routes: the borrower's session cookie (only HTTP can set an HttpOnly one), the
acquirer's return address and the borrower's own files (documents, passport photo), owner only;
with them the Gosuslugi and operator console routes of their own modules.

The handlers are plain functions: Starlette runs them in its thread pool, so their database work
never holds up the event loop that carries every borrower's websocket."""

from __future__ import annotations

from contextlib import suppress

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from credit7_web import urls, wiring
from credit7_web.documents import archive
from credit7_web.errors import Refusal
from credit7_web.gateways.acquirer import valid_order_id
from credit7_web.identity import kyc, sessions
from credit7_web.lending import cards
from credit7_web.servicing import payments
from web import gosuslugi_routes, operator_routes
from web.responses import forbidden, jpeg, not_found, path_id, pdf, same_origin, secure


def _borrower_id(request: Request) -> int | None:
    token = request.cookies.get(sessions.SESSION_COOKIE)
    if not token:
        return None
    with wiring.unit() as u:
        borrower = sessions.resolve(u.db, u.clock, u.settings, token)
        return borrower.id if borrower else None


def claim(request: Request) -> RedirectResponse:
    """Trade the one-minute sign-in ticket for the session cookie.

    Only our own pages send a browser here, and only the browser that signed in holds the key
    its ticket is bound to: anything else could sign a victim into the sender's account (login
    CSRF), so a request that does not say it comes from this site is refused too.
    """
    browser = sessions.browser_from_cookies(request.headers.get("cookie", ""))
    if not same_origin(request) or not browser:
        return RedirectResponse(urls.LOGIN, status_code=303)
    ticket = request.query_params.get("ticket", "")[:100]
    with wiring.unit() as u:
        token = sessions.claim(u.db, u.clock, u.settings, ticket, browser) if ticket else None
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
        secure=secure(request),
        path="/",
    )
    return response


def logout(request: Request) -> Response:
    """End the session on the server, then drop the cookie: a POST from a page of this site
    (the cabinet's «Выйти» form). Anything else changes nothing, so no other site can sign a
    borrower out, or drop the cookie while the session lives on."""
    if not same_origin(request):
        return forbidden()
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


def payment_return(request: Request) -> RedirectResponse:
    """Back from the acquirer's page after a payment: ask the acquirer how it ended (never the
    browser), book it, and land on the page the payment came from. Only the order id, a secret
    the payer's browser holds, names the attempt; nothing about it is shown here."""
    order = request.query_params.get("order", "")
    if not valid_order_id(order):
        return RedirectResponse(urls.PAY, status_code=303)
    with wiring.unit() as u:
        outcome = payments.finish_order(u.db, u.clock, u.settings, u.acquirer, u.sms, order)
    if outcome is None:
        return RedirectResponse(urls.PAY, status_code=303)
    return RedirectResponse(payments.returned_to(outcome.attempt), status_code=303)


def document(request: Request) -> Response:
    document_id = path_id(request, "document_id")
    borrower_id = _borrower_id(request) if document_id else None
    if borrower_id is None or document_id is None:
        return not_found()
    with wiring.unit() as u:
        found = archive.read_document(u.db, u.settings, borrower_id, document_id)
    if found is None:
        return not_found()
    return pdf(found[1], str(document_id))


def passport_photo(request: Request) -> Response:
    photo_id = path_id(request, "photo_id")
    borrower_id = _borrower_id(request) if photo_id else None
    if borrower_id is None or photo_id is None:
        return not_found()
    with wiring.unit() as u:
        data = kyc.read_photo(u.db, u.settings, borrower_id, photo_id)
    return not_found() if data is None else jpeg(data)


def http_app() -> Starlette:
    return Starlette(
        routes=[
            Route(urls.AUTH_CLAIM, claim, methods=["GET"]),
            Route(urls.AUTH_LOGOUT, logout, methods=["POST"]),
            Route(urls.CARD_RETURN, card_return, methods=["GET"]),
            Route(urls.PAYMENT_RETURN, payment_return, methods=["GET"]),
            Route(urls.DOCUMENT_FILE, document, methods=["GET"]),
            Route(urls.PHOTO_FILE, passport_photo, methods=["GET"]),
            *gosuslugi_routes.routes(),
            *operator_routes.routes(),
            *wiring.sandbox_routes(),
        ]
    )
