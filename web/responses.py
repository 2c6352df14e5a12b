"""What the plain HTTP routes answer with (private files, the 404, cookie flags), where a request
came from, and the ids they read from a path."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from credit7_web import wiring
from credit7_web.ids import parse_id

PRIVATE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


def secure(request: Request) -> bool:
    """Cookies are Secure when the app is public over https (configured: behind a proxy the
    request itself may say http) or this request came over https."""
    return wiring.settings().public_url.startswith("https://") or request.url.scheme == "https"


def same_origin(request: Request) -> bool:
    """The browser says the request comes from a page of this very site. A request that says
    nothing (no Sec-Fetch-Site) is not trusted: a browser too old to say it cannot sign in."""
    return request.headers.get("sec-fetch-site") == "same-origin"


def not_found() -> Response:
    return Response("Не найдено", status_code=404, media_type="text/plain; charset=utf-8")


def forbidden() -> Response:
    return Response("Запрещено", status_code=403, media_type="text/plain; charset=utf-8")


def pdf(pdf: bytes, raw_id: str) -> Response:
    return Response(
        pdf,
        media_type="application/pdf",
        headers=PRIVATE | {"Content-Disposition": f'inline; filename="credit7-{raw_id}.pdf"'},
    )


def jpeg(data: bytes) -> Response:
    """A passport photo: always the JPEG it was re-encoded to, shown in the page, never sniffed."""
    return Response(
        data,
        media_type="image/jpeg",
        headers=PRIVATE | {"Content-Disposition": 'inline; filename="photo.jpg"'},
    )


def path_id(request: Request, name: str) -> int | None:
    """A path id: ASCII digits within the id column's range (`credit7_web.ids`), else None."""
    return parse_id(request.path_params[name])
