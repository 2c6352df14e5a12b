from __future__ import annotations

import io
import stat
import struct
import zlib
from datetime import timedelta

import pytest
from PIL import Image
from sqlmodel import Session, select

from credit7_web.clock import FixedClock
from credit7_web.errors import Refusal
from credit7_web.identity import kyc
from credit7_web.identity.models import PassportPhoto
from credit7_web.settings import Settings
from tests.factories import add_borrower

ORIENTATION = 0x0112
GPS_IFD = 0x8825


def jpeg(width: int = 800, height: int = 600, orientation: int | None = None, gps=True) -> bytes:
    """A JPEG, optionally with EXIF orientation, camera make and a GPS position."""
    image = Image.new("RGB", (width, height), (200, 40, 40))
    image.paste((20, 20, 200), (0, 0, width // 4, height // 4))  # a blue top-left corner
    exif = Image.Exif()
    exif[0x010F] = "Apple"
    if orientation is not None:
        exif[ORIENTATION] = orientation
    if gps:
        exif[GPS_IFD] = {1: "N", 2: (55.0, 45.0, 21.5), 3: "E", 4: (37.0, 37.0, 3.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), quality=85)
    return out.getvalue()


def png(width: int = 900, height: int = 700) -> bytes:
    image = Image.new("RGBA", (width, height), (10, 120, 10, 128))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def gif(width: int = 800, height: int = 600) -> bytes:
    out = io.BytesIO()
    Image.new("P", (width, height)).save(out, "GIF")
    return out.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims a huge size in a few dozen bytes: a decompression bomb's header."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def borrower(db: Session, clock: FixedClock, phone: str = "9001234567") -> int:
    borrower_id = add_borrower(db, clock, phone).id
    assert borrower_id is not None
    return borrower_id


def refused(db, clock, settings, data: bytes, filename: str = "photo.jpg") -> str:
    owner = borrower(db, clock)
    with pytest.raises(Refusal) as e:
        kyc.save_passport_photo(db, clock, settings, owner, data, filename)
    assert list(e.value.errors) == ["photo"]
    # Nothing is kept of a refused upload.
    assert db.exec(select(PassportPhoto)).all() == []
    assert not (settings.data_dir / "kyc").exists() or not any(
        (settings.data_dir / "kyc").iterdir()
    )
    return e.value.errors["photo"]


# ----------------------------------------------------------------------------- accepted


def test_jpeg_is_turned_upright_and_stripped(
    db: Session, clock: FixedClock, settings: Settings
) -> None:
    original = jpeg(800, 600, orientation=6)
    assert b"Apple" in original
    owner = borrower(db, clock)
    photo = kyc.save_passport_photo(db, clock, settings, owner, original, "IMG_0001.HEIC")
    # Orientation 6 means "rotate 90° clockwise to view": 800×600 stored is 600×800 upright.
    assert (photo.width, photo.height) == (600, 800)
    path = settings.data_dir / "kyc" / photo.file_name
    stored = path.read_bytes()
    assert photo.size_bytes == len(stored)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG"
        assert image.size == (600, 800)
        assert "exif" not in image.info
        assert len(image.getexif()) == 0
        assert "icc_profile" not in image.info
        # The blue corner, top-left before rotation, is now at the top right.
        r, _g, b = image.convert("RGB").getpixel((590, 10))
        assert b > 150 and r < 80
    assert b"Exif" not in stored
    assert b"Apple" not in stored
    assert photo.uploaded_at == clock.now()


def test_png_is_stored_as_jpeg(db: Session, clock: FixedClock, settings: Settings) -> None:
    owner = borrower(db, clock)
    photo = kyc.save_passport_photo(db, clock, settings, owner, png(900, 700), "scan.png")
    assert (photo.width, photo.height) == (900, 700)
    data = kyc.read_photo(db, settings, owner, photo.id or 0)
    assert data is not None
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        assert image.mode == "RGB"


def test_portrait_photo_is_large_enough(db: Session, clock: FixedClock, settings: Settings) -> None:
    owner = borrower(db, clock)
    photo = kyc.save_passport_photo(db, clock, settings, owner, jpeg(450, 700), "a.jpg")
    assert (photo.width, photo.height) == (450, 700)


def test_extension_is_not_trusted(db: Session, clock: FixedClock, settings: Settings) -> None:
    owner = borrower(db, clock)
    photo = kyc.save_passport_photo(db, clock, settings, owner, png(), "photo.gif")
    assert photo.file_name.endswith(".jpg")


def test_large_photo_is_scaled_down(db: Session, clock: FixedClock, settings: Settings) -> None:
    owner = borrower(db, clock)
    big = jpeg(5000, 3000, gps=False)
    photo = kyc.save_passport_photo(db, clock, settings, owner, big, "big.jpg")
    assert max(photo.width, photo.height) <= kyc.MAX_STORED_SIDE
    assert photo.width > photo.height


# ----------------------------------------------------------------------------- refused


def test_empty_file(db: Session, clock: FixedClock, settings: Settings) -> None:
    assert refused(db, clock, settings, b"") == kyc.EMPTY_MESSAGE


def test_over_ten_megabytes(db: Session, clock: FixedClock, settings: Settings) -> None:
    payload = b"\xff\xd8\xff\xe0" + b"\0" * (11 * 1024 * 1024)
    assert refused(db, clock, settings, payload) == kyc.TOO_LARGE_MESSAGE


def test_text_file_named_jpg(db: Session, clock: FixedClock, settings: Settings) -> None:
    text = "Это не фото, а текст.\n".encode() * 100
    assert refused(db, clock, settings, text, "passport.jpg") == kyc.UNREADABLE_MESSAGE


def test_truncated_jpeg(db: Session, clock: FixedClock, settings: Settings) -> None:
    data = jpeg(1200, 900, gps=False)
    assert refused(db, clock, settings, data[: len(data) // 3]) == kyc.UNREADABLE_MESSAGE


def test_gif_is_refused(db: Session, clock: FixedClock, settings: Settings) -> None:
    assert refused(db, clock, settings, gif(), "photo.jpg") == kyc.FORMAT_MESSAGE


def test_heic_is_refused_with_a_hint(db: Session, clock: FixedClock, settings: Settings) -> None:
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\0" * 500
    message = refused(db, clock, settings, heic, "IMG_0002.HEIC")
    assert message == kyc.HEIC_MESSAGE
    assert "JPEG" in message


def test_too_small(db: Session, clock: FixedClock, settings: Settings) -> None:
    assert refused(db, clock, settings, jpeg(300, 200)) == kyc.TOO_SMALL_MESSAGE
    assert kyc.MIN_LONG_SIDE == 600 and kyc.MIN_SHORT_SIDE == 400


def test_too_small_after_orientation_either_way(
    db: Session, clock: FixedClock, settings: Settings
) -> None:
    # 900×380 turned upright is 380×900: too narrow whichever way it is held.
    assert refused(db, clock, settings, jpeg(900, 380, orientation=6)) == kyc.TOO_SMALL_MESSAGE


@pytest.mark.parametrize("side", [9_000, 13_000])  # 81 MP warns, 169 MP errors in Pillow
def test_decompression_bomb(db: Session, clock: FixedClock, settings: Settings, side: int) -> None:
    data = png_header_only(side, side)
    assert len(data) < 200
    assert refused(db, clock, settings, data, "bomb.png") == kyc.TOO_MANY_PIXELS_MESSAGE


# ----------------------------------------------------------------------------- reading


def test_owner_only_read_and_latest(db: Session, clock: FixedClock, settings: Settings) -> None:
    owner = borrower(db, clock)
    other = borrower(db, clock, "9007654321")
    assert kyc.latest_photo(db, owner) is None
    first = kyc.save_passport_photo(db, clock, settings, owner, jpeg(), "1.jpg")
    clock.advance(timedelta(minutes=1))
    second = kyc.save_passport_photo(db, clock, settings, owner, png(), "2.png")
    latest = kyc.latest_photo(db, owner)
    assert latest is not None and latest.id == second.id
    assert kyc.latest_photo(db, other) is None
    assert first.id is not None and second.id is not None

    data = kyc.read_photo(db, settings, owner, first.id)
    assert data is not None and data[:2] == b"\xff\xd8"
    assert kyc.read_photo(db, settings, other, first.id) is None
    assert kyc.read_photo(db, settings, owner, second.id + 100) is None


def test_tampered_photo_reads_nothing(db: Session, clock: FixedClock, settings: Settings) -> None:
    owner = borrower(db, clock)
    photo = kyc.save_passport_photo(db, clock, settings, owner, jpeg(), "1.jpg")
    assert photo.id is not None
    path = settings.data_dir / "kyc" / photo.file_name
    path.write_bytes(path.read_bytes() + b"\0")
    assert kyc.read_photo(db, settings, owner, photo.id) is None
