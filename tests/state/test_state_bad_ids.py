"""No 500s on the file routes (issue 7, finding 6): an id is ASCII digits within the range of the
id column, and anything else answers 404 like a missing file. On PostgreSQL an id past INTEGER
raised in the database; on SQLite one past 2**63 raised in the driver; '²' passed isdigit()."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from credit7_web import urls
from credit7_web.backoffice.models import Role
from credit7_web.ids import MAX_ID, parse_id
from tests.state.harness import make_borrower, sign_in
from tests.state.lending_setup import NOT_FOUND, cookie, give_offer, give_photo, http_client
from tests.state.operator_setup import operator_token

HOSTILE = [
    "99999999999999999999999",
    str(MAX_ID + 1),
    str(2**63),
    "%C2%B2",  # '²'
    "%D9%A1",  # Arabic-Indic one: int() takes it
    "0",
    "-1",
    "1.0",
    "1e3",
    "%201",
    "1%20",
    "0x1",
    "+1",
    "%00",
    "9" * 5000,
]
ROUTES = ["/files/kyc/", "/files/documents/", "/operator/files/kyc/", "/operator/files/documents/"]


@pytest.mark.parametrize("raw", HOSTILE, ids=lambda r: r[:24])
@pytest.mark.parametrize("route", ROUTES)
def test_a_bad_id_is_a_404_for_the_owner_and_the_operator(
    app_db: Engine, route: str, raw: str
) -> None:
    borrower_id = make_borrower(app_db, active=True, filled=True)
    give_photo(app_db, borrower_id)
    headers = cookie(sign_in(app_db, borrower_id))
    role = Role.IDENTIFICATION if "kyc" in route else Role.SUPPORT
    headers["cookie"] += f"; c7_operator={operator_token(app_db, role)}"
    with http_client() as client:
        response = client.get(route + raw, headers=headers)
    assert (response.status_code, response.text) == (404, NOT_FOUND)


def test_the_photo_is_served_inline_as_a_jpeg_never_sniffed(app_db: Engine) -> None:
    borrower_id = make_borrower(app_db, active=True, filled=True)
    photo_id = give_photo(app_db, borrower_id)
    with http_client() as client:
        response = client.get(
            urls.photo_file(photo_id), headers=cookie(sign_in(app_db, borrower_id))
        )
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/jpeg"
    assert response.headers["content-disposition"].startswith("inline")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"


def test_the_operator_document_route_serves_the_pdf(app_db: Engine) -> None:
    """It raised on every request: the PDF's bytes shadowed the function that wraps them."""
    borrower_id = make_borrower(app_db, active=True, filled=True)
    give_offer(app_db, borrower_id)
    headers = {"cookie": f"c7_operator={operator_token(app_db, Role.SUPPORT)}"}
    with http_client() as client:
        response = client.get(urls.operator_document_file(1), headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        *[("1", 1), ("007", 7), (str(MAX_ID), MAX_ID), (5, 5)],
        *[("²", None), ("١", None), (True, None), (1.0, None), (None, None), ([1], None)],
        *[(0, None), (MAX_ID + 1, None), ("", None)],
    ],
)
def test_parse_id(raw: object, expected: int | None) -> None:
    assert parse_id(raw) == expected
