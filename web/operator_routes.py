"""The operator console's HTTP routes: its own session cookie (never the borrower's) and the
files operators may open (the passport photo for the identification role only, a restoration
request's photos for the accounts role only, documents for any operator)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from credit7_web import urls, wiring
from credit7_web.backoffice import identification, restorations, search
from credit7_web.backoffice import sessions as operator_sessions
from credit7_web.backoffice.models import Operator, Role
from credit7_web.identity import sessions
from web.responses import forbidden, jpeg, not_found, path_id, pdf, same_origin, secure


def _operator(request: Request) -> Operator | None:
    """The operator of the operator cookie (never the borrower's), or None."""
    token = request.cookies.get(operator_sessions.OPERATOR_COOKIE)
    if not token:
        return None
    with wiring.unit() as u:
        return operator_sessions.resolve(u.db, u.clock, token)


def operator_claim(request: Request) -> RedirectResponse:
    """Trade the operator's sign-in ticket for the operator cookie (as `claim` for borrowers)."""
    browser = sessions.browser_from_cookies(request.headers.get("cookie", ""))
    if not same_origin(request) or not browser:
        return RedirectResponse(urls.OPERATOR_LOGIN, status_code=303)
    ticket = request.query_params.get("ticket", "")[:100]
    with wiring.unit() as u:
        token = operator_sessions.claim(u.db, u.clock, ticket, browser) if ticket else None
    if token is None:
        return RedirectResponse(urls.OPERATOR_LOGIN, status_code=303)
    response = RedirectResponse(urls.OPERATOR, status_code=303)
    response.set_cookie(
        operator_sessions.OPERATOR_COOKIE,
        token,
        max_age=operator_sessions.SESSION_HOURS * 3600,
        httponly=True,
        samesite="strict",
        secure=secure(request),
        path="/",
    )
    return response


def operator_logout(request: Request) -> Response:
    """As the borrowers' sign-out: a same-origin POST ends the session, then drops the cookie."""
    if not same_origin(request):
        return forbidden()
    token = request.cookies.get(operator_sessions.OPERATOR_COOKIE)
    if token:
        with wiring.unit() as u:
            operator_sessions.sign_out(u.db, u.clock, token)
    response = RedirectResponse(urls.OPERATOR_LOGIN, status_code=303)
    response.delete_cookie(
        operator_sessions.OPERATOR_COOKIE, path="/", httponly=True, samesite="strict"
    )
    return response


def _jpeg(data: bytes | None) -> Response:
    return not_found() if data is None else jpeg(data)


def operator_photo(request: Request) -> Response:
    operator, photo_id = _operator(request), path_id(request, "photo_id")
    if operator is None or operator.role != Role.IDENTIFICATION or photo_id is None:
        return not_found()
    with wiring.unit() as u:
        return _jpeg(identification.photo_file(u.db, u.settings, photo_id))


def operator_restoration_photo(request: Request) -> Response:
    operator, request_id = _operator(request), path_id(request, "request_id")
    which = request.path_params["which"]
    if (
        operator is None
        or operator.role != Role.ACCOUNTS
        or request_id is None
        or which not in ("passport", "selfie")
    ):
        return not_found()
    with wiring.unit() as u:
        return _jpeg(restorations.photo(u.db, u.settings, request_id, which))


def operator_document(request: Request) -> Response:
    document_id = path_id(request, "document_id")
    if _operator(request) is None or document_id is None:
        return not_found()
    with wiring.unit() as u:
        data = search.document_file(u.db, u.settings, document_id)
    return not_found() if data is None else pdf(data, str(document_id))


def routes() -> list[BaseRoute]:
    return [
        Route(urls.OPERATOR_CLAIM, operator_claim, methods=["GET"]),
        Route(urls.OPERATOR_LOGOUT, operator_logout, methods=["POST"]),
        Route(urls.OPERATOR_PHOTO_FILE, operator_photo, methods=["GET"]),
        Route(urls.OPERATOR_DOCUMENT_FILE, operator_document, methods=["GET"]),
        Route(urls.OPERATOR_RESTORATION_FILE, operator_restoration_photo, methods=["GET"]),
    ]
