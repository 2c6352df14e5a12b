"""What the plain HTTP routes answer with: private files, the 404, cookie flags."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

PRIVATE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


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
