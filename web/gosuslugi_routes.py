"""The way to Gosuslugi and back: the sign-up's browser cookie and the OAuth callback."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import BaseRoute, Route

from credit7_web import urls, wiring
from credit7_web.identity import gosuslugi
from web.responses import secure


def gosuslugi_start(request: Request) -> RedirectResponse:
    """To Gosuslugi's sign-in, the browser marked by a cookie that finds this sign-up again.

    Lax, not Strict: the browser comes back from Gosuslugi's site, and must bring it along.
    """
    callback = f"{request.url.scheme}://{request.url.netloc}{urls.GOSUSLUGI_CALLBACK}"
    with wiring.unit() as u:
        token, target = gosuslugi.start(u.db, u.clock, u.esia, callback)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        gosuslugi.SIGNUP_COOKIE,
        token,
        max_age=int(gosuslugi.SIGNUP_TTL.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=secure(request),
        path="/",
    )
    return response


def gosuslugi_callback(request: Request) -> RedirectResponse:
    """Back from Gosuslugi: the sign-up reads the person (server to server) and the page shows
    what came of it."""
    token = request.cookies.get(gosuslugi.SIGNUP_COOKIE)
    with wiring.unit() as u:
        known = gosuslugi.come_back(u.db, u.clock, u.esia, token, str(request.url))
    target = urls.GOSUSLUGI if known else urls.with_query(urls.GOSUSLUGI, lost=1)
    return RedirectResponse(target, status_code=303)


def routes() -> list[BaseRoute]:
    return [
        Route(urls.GOSUSLUGI_START, gosuslugi_start, methods=["GET"]),
        Route(urls.GOSUSLUGI_CALLBACK, gosuslugi_callback, methods=["GET"]),
    ]
