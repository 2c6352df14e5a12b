"""What a client sends is refused unless it is what the page sends: no crash, no row, no change.

The page sends the range inputs' values as strings of digits, a checkbox's `checked` as a bool,
one file from the upload field and one of the clock's four buttons; a crafted client can put
anything else on the websocket, JSON's NaN and Infinity included.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import Engine

from credit7_web.identity import kyc
from credit7_web.identity.models import PassportPhoto
from credit7_web.money import rub
from credit7_web.wiring import settings
from state.apply import ApplyState
from state.sandbox_clock import BusinessDateState
from tests.state.harness import Browser, all_rows, make_borrower, sign_in, snapshot_all
from tests.state.lending_setup import APPLY, give_card, give_photo, jpeg, upload

# The frontend vars a refused call must leave as they were.
SHOWN = ("stage", "amount", "term", "chosen", "figures", "services", "errors", "upload_progress")

NOT_NUMBERS: list[Any] = [
    None,
    "",
    "abc",
    "10 000",
    "1e4",
    "12.5",
    "0x10",
    "9" * 5000,  # more digits than int() takes from a string
    12_345.6,
    20.0,
    float("nan"),
    float("inf"),
    float("-inf"),
    True,
    False,
    [15_000],
    {"value": 15_000},
]


def short(value: Any) -> str:
    """A readable test id, however long the value."""
    text = repr(value)
    return text if len(text) <= 24 else f"{text[:12]}...({len(text)} chars)"


def shown(browser: Browser) -> dict[str, Any]:
    state = browser.state(ApplyState)
    return {name: getattr(state, name) for name in SHOWN}


async def tab_for(browser: Browser, engine: Engine, *, photo: bool) -> Browser:
    borrower_id = make_borrower(engine, filled=True)
    give_card(engine, borrower_id)
    if photo:
        give_photo(engine, borrower_id)
    browser.at(APPLY).with_cookie(sign_in(engine, borrower_id))
    await browser.send(ApplyState, "load")
    assert browser.state(ApplyState).stage == ("form" if photo else "prepare")
    return browser


@pytest.fixture
async def form_tab(browser: Browser, app_db: Engine) -> Browser:
    """A borrower with the photo and the card, on the amount-and-term form."""
    return await tab_for(browser, app_db, photo=True)


@pytest.fixture
async def photo_tab(browser: Browser, app_db: Engine) -> Browser:
    """A borrower with the card bound, about to upload the photo."""
    return await tab_for(browser, app_db, photo=False)


# ----------------------------------------------------------------------------- amount and term


@pytest.mark.parametrize("handler", ["set_amount", "set_term"])
@pytest.mark.parametrize("value", NOT_NUMBERS, ids=short)
async def test_amount_and_term_take_no_non_number(
    form_tab: Browser, app_db: Engine, handler: str, value: Any
) -> None:
    was, before = shown(form_tab), snapshot_all(app_db)
    assert await form_tab.send(ApplyState, handler, value=value) == []
    assert shown(form_tab) == was
    assert snapshot_all(app_db) == before


@pytest.mark.parametrize(
    ("value", "amount"),
    [
        ("15000", 15_000),
        (" 15000 ", 15_000),
        (15_000, 15_000),
        ("15200", 15_000),  # to the 500 ₽ step
        ("15300", 15_500),
        ("0", 1_000),
        (-5, 1_000),
        ("-999999", 1_000),
        ("31000", 30_000),  # a first loan: at most 30 000 ₽
        (10**12, 30_000),
        (10**400, 30_000),  # a JSON integer of any size
        ("9" * 4000, 30_000),
    ],
    ids=short,
)
async def test_an_amount_lands_on_the_step_within_the_bounds(
    form_tab: Browser, app_db: Engine, value: Any, amount: int
) -> None:
    before = snapshot_all(app_db)
    assert await form_tab.send(ApplyState, "set_amount", value=value) == []
    state = form_tab.state(ApplyState)
    assert (state.amount, state.errors) == (amount, {})
    assert state.figures.amount == rub(amount * 100)
    assert snapshot_all(app_db) == before


@pytest.mark.parametrize(
    ("value", "term"),
    [("25", 25), (25, 25), ("7", 7), ("6", 7), (0, 7), ("-3", 7), ("31", 30), (10**400, 30)],
    ids=short,
)
async def test_a_term_stays_within_7_to_30_days(
    form_tab: Browser, app_db: Engine, value: Any, term: int
) -> None:
    before = snapshot_all(app_db)
    assert await form_tab.send(ApplyState, "set_term", value=value) == []
    state = form_tab.state(ApplyState)
    assert (state.term, state.errors) == (term, {})
    assert state.figures.term.startswith(f"{term} ")
    assert snapshot_all(app_db) == before


# ----------------------------------------------------------------------------- extra services


@pytest.mark.parametrize(
    ("code", "on"),
    [
        ("unknown", True),
        ("", True),
        ("LIFE", True),
        ("life ", True),
        (None, True),
        (1, True),
        (["life"], True),
        ({"code": "life"}, True),
        ("life", "true"),
        ("life", "on"),
        ("life", 1),
        ("life", 0),
        ("life", None),
        ("life", [True]),
    ],
    ids=repr,
)
async def test_a_service_toggle_takes_only_a_known_code_and_a_bool(
    form_tab: Browser, app_db: Engine, code: Any, on: Any
) -> None:
    was, before = shown(form_tab), snapshot_all(app_db)
    assert await form_tab.send(ApplyState, "toggle_service", code=code, on=on) == []
    assert shown(form_tab) == was
    assert snapshot_all(app_db) == before


async def test_a_service_goes_on_and_off(form_tab: Browser, app_db: Engine) -> None:
    before = snapshot_all(app_db)
    total = form_tab.state(ApplyState).figures.total
    await form_tab.send(ApplyState, "toggle_service", code="life", on=True)
    await form_tab.send(ApplyState, "toggle_service", code="life", on=True)
    assert form_tab.state(ApplyState).chosen == ["life"]
    assert form_tab.state(ApplyState).figures.total != total
    await form_tab.send(ApplyState, "toggle_service", code="life", on=False)
    assert form_tab.state(ApplyState).chosen == []
    assert form_tab.state(ApplyState).figures.total == total
    assert snapshot_all(app_db) == before


# ----------------------------------------------------------------------------- the photo


def picture(fmt: str, size: tuple[int, int] = (1200, 900)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 20, 30)).save(out, fmt)
    return out.getvalue()


ONE_PHOTO = "Выберите одну фотографию"
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64

BAD_UPLOADS: list[tuple[str, Any, str]] = [
    ("no file", lambda: [], ONE_PHOTO),
    ("two files", lambda: [upload(jpeg()), upload(jpeg(), "b.jpg")], ONE_PHOTO),
    ("not a list", lambda: upload(jpeg()), ONE_PHOTO),
    ("None", lambda: None, ONE_PHOTO),
    ("a string, not a file", lambda: ["selfie.jpg"], ONE_PHOTO),
    ("bytes, not a file", lambda: [jpeg()], ONE_PHOTO),
    ("an empty file", lambda: [upload(b"")], kyc.EMPTY_MESSAGE),
    ("text named .jpg", lambda: [upload(b"hello, world" * 100)], kyc.UNREADABLE_MESSAGE),
    ("a PDF named .jpg", lambda: [upload(b"%PDF-1.4\n" + b"x" * 1000)], kyc.UNREADABLE_MESSAGE),
    ("a GIF", lambda: [upload(picture("GIF"), "a.gif")], kyc.FORMAT_MESSAGE),
    ("a HEIC", lambda: [upload(HEIC, "a.heic")], kyc.HEIC_MESSAGE),
    ("a small JPEG", lambda: [upload(jpeg(300, 200))], kyc.TOO_SMALL_MESSAGE),
    (
        "over 10 MB",
        lambda: [upload(jpeg() + b"\x00" * (kyc.MAX_BYTES + 1))],
        kyc.TOO_LARGE_MESSAGE,
    ),
    (
        "far over 10 MB",
        lambda: [upload(b"\xff\xd8" + b"\x00" * (3 * kyc.MAX_BYTES))],
        kyc.TOO_LARGE_MESSAGE,
    ),
    ("a path in the name", lambda: [upload(b"junk", "../../etc/passwd")], kyc.UNREADABLE_MESSAGE),
]


def kyc_files() -> list[Path]:
    folder = settings().data_dir / "kyc"
    return sorted(folder.iterdir()) if folder.exists() else []


@pytest.mark.parametrize(
    ("files", "message"),
    [(f, m) for _, f, m in BAD_UPLOADS],
    ids=[name for name, _, _ in BAD_UPLOADS],
)
async def test_an_upload_that_is_not_one_photo_is_refused(
    photo_tab: Browser, app_db: Engine, files: Any, message: str
) -> None:
    before = snapshot_all(app_db)
    assert await photo_tab.send(ApplyState, "upload_photo", files=files()) == []
    state = photo_tab.state(ApplyState)
    assert state.errors == {"photo": message}
    assert (state.has_photo, state.photo_url, state.stage) == (False, "", "prepare")
    assert snapshot_all(app_db) == before
    assert kyc_files() == []


async def test_a_png_is_taken_and_kept_as_a_clean_jpeg(photo_tab: Browser, app_db: Engine) -> None:
    assert await photo_tab.send(ApplyState, "upload_photo", files=[upload(picture("PNG"))]) == []
    [photo] = all_rows(app_db, PassportPhoto)
    [stored] = kyc_files()
    assert stored.name == photo.file_name
    assert stored.read_bytes().startswith(b"\xff\xd8")
    assert stored.stat().st_mode & 0o777 == 0o600
    state = photo_tab.state(ApplyState)
    assert (state.has_photo, state.stage, state.errors) == (True, "form", {})


@pytest.mark.parametrize(
    "progress",
    [
        None,
        {},
        {"progress": None},
        {"progress": "0.5"},
        {"progress": True},
        {"progress": float("nan")},
        {"progress": float("inf")},
        {"progress": float("-inf")},
        {"progress": [0.5]},
        [0.5],
        0.5,
    ],
    ids=repr,
)
async def test_upload_progress_takes_only_a_finite_share(
    photo_tab: Browser, app_db: Engine, progress: Any
) -> None:
    before = snapshot_all(app_db)
    assert await photo_tab.send(ApplyState, "upload_progressed", progress=progress) == []
    assert photo_tab.state(ApplyState).upload_progress == 0
    assert snapshot_all(app_db) == before


@pytest.mark.parametrize(
    ("share", "percent"),
    [(0.5, 50), (1, 100), (7, 100), (-1, 0), (1e300, 100), (10**400, 100), (-(10**400), 0)],
    ids=lambda v: str(v)[:12],
)
async def test_upload_progress_is_a_percentage(
    photo_tab: Browser, share: float, percent: int
) -> None:
    assert await photo_tab.send(ApplyState, "upload_progressed", progress={"progress": share}) == []
    assert photo_tab.state(ApplyState).upload_progress == percent


async def test_a_photo_going_up_takes_the_old_photos_error_away(
    photo_tab: Browser, app_db: Engine
) -> None:
    await photo_tab.send(ApplyState, "upload_photo", files=[upload(jpeg(300, 200), "small.jpg")])
    assert list(photo_tab.state(ApplyState).errors) == ["photo"]
    await photo_tab.send(ApplyState, "upload_progressed", progress={"progress": 1})
    assert list(photo_tab.state(ApplyState).errors) == ["photo"]  # a late report of that one
    await photo_tab.send(ApplyState, "upload_progressed", progress={"progress": 0.25})
    state = photo_tab.state(ApplyState)
    assert (state.errors, state.upload_progress) == ({}, 25)


# ----------------------------------------------------------------------------- the sandbox clock


@pytest.mark.parametrize(
    "days", [-1, 0, 2, 1000, 366, "1", "7", 1.0, 3.0, None, [1], {"days": 1}, True, False]
)
async def test_the_clock_moves_only_by_its_four_buttons(
    browser: Browser, app_db: Engine, days: Any
) -> None:
    await browser.send(BusinessDateState, "load")
    today = browser.state(BusinessDateState).today
    before = snapshot_all(app_db)
    assert await browser.send(BusinessDateState, "move", days=days) == []
    state = browser.state(BusinessDateState)
    assert (state.shift, state.today) == (0, today)
    assert snapshot_all(app_db) == before
    assert before["sandboxsetting"] == []


async def test_the_clock_buttons_move_it_and_reset_brings_it_back(
    browser: Browser, app_db: Engine
) -> None:
    await browser.send(BusinessDateState, "load")
    for days, shift in ((1, 1), (3, 4), (7, 11), (30, 41)):
        await browser.send(BusinessDateState, "move", days=days)
        assert (browser.state(BusinessDateState).shift, browser.state(BusinessDateState).error) == (
            shift,
            "",
        )
    assert snapshot_all(app_db)["sandboxsetting"] == [{"name": "clock_shift_days", "value": "41"}]
    await browser.send(BusinessDateState, "reset_clock")
    assert browser.state(BusinessDateState).shift == 0
    assert snapshot_all(app_db)["sandboxsetting"] == [{"name": "clock_shift_days", "value": "0"}]
