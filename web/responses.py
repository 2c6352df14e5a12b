"""What the plain HTTP routes answer with (private files, the 404, cookie flags) and the ids
they read from a path."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

PRIVATE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
ID_DIGITS = 18  # a longer id is no row's, and would not fit the database's integer


def secure(request: Request) -> bool:
    return request.url.scheme == "https"


def not_found() -> Response:
    return Response("Не найдено", status_code=404, media_type="text/plain; charset=utf-8")


def pdf(pdf: bytes, raw_id: str) -> Response:
    return Response(
        pdf,
        media_type="application/pdf",
        headers=PRIVATE | {"Content-Disposition": f'inline; filename="credit7-{raw_id}.pdf"'},
    )


def path_id(request: Request, name: str) -> int | None:
    """A path id of ASCII digits only (`isdigit` alone lets «²» and «١» through), else None."""
    raw = request.path_params[name]
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= ID_DIGITS else None
