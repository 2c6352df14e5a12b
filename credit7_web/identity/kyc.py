"""The photo of the borrower holding the open passport: checked, cleaned, kept out of public reach.

What arrives is judged by its content, never by its name: only JPEG and PNG that Pillow decodes
are taken (phones send HEIC as JPEG; a real HEIC is refused with a hint to send JPEG). The
stored file is always a fresh JPEG, turned upright by its EXIF orientation and stripped of every
piece of metadata (EXIF with GPS, XMP, ICC, comments), under settings.data_dir/kyc with 0600.
"""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageOps
from sqlmodel import Session, col, select

from credit7_web.clock import Clock
from credit7_web.errors import Refusal
from credit7_web.identity.models import PassportPhoto, PhotoReview
from credit7_web.private_files import PrivateFolder
from credit7_web.settings import Settings

FIELD = "photo"
MAX_MEGABYTES = 10
MAX_BYTES = MAX_MEGABYTES * 1024 * 1024
# The upright photo must be at least this large, in either orientation (portrait is common).
MIN_LONG_SIDE = 600
MIN_SHORT_SIDE = 400
# 24 megapixels is far more than a passport needs to be read (phones save 12 MP by default);
# anything larger is refused from its header, before decoding: decoding costs memory and CPU
# in proportion to the pixels (an 8000×8000 PNG of 249 KB took 1 GB and 3 s), not the bytes.
MAX_PIXELS = 24_000_000
# Pillow warns above MAX_IMAGE_PIXELS and raises above twice it; ours are turned into errors.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
# Stored photos are scaled down to this long side: plenty to read a passport, bounded on disk.
MAX_STORED_SIDE = 4096
JPEG_QUALITY = 90

# Pillow's names for what a phone or a computer sends as JPEG or PNG ("MPO" is a JPEG with a
# second picture appended, as many phones write).
_ACCEPTED_FORMATS = {"JPEG", "MPO", "PNG"}
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif"}
PHOTOS = PrivateFolder("kyc", "jpg")

EMPTY_MESSAGE = "Файл пустой: выберите фото"
TOO_LARGE_MESSAGE = f"Файл больше {MAX_MEGABYTES} МБ: сделайте фото с меньшим разрешением"
UNREADABLE_MESSAGE = "Не удалось открыть изображение: загрузите фото в формате JPEG или PNG"
FORMAT_MESSAGE = "Загрузите фото в формате JPEG или PNG"
HEIC_MESSAGE = (
    "Фото в формате HEIC не поддерживается: сохраните его в JPEG "
    "(на iPhone: Настройки → Камера → Форматы → «Наиболее совместимый») и загрузите снова"
)
TOO_SMALL_MESSAGE = (
    f"Фото слишком маленькое: нужно не меньше {MIN_LONG_SIDE}×{MIN_SHORT_SIDE} точек, "
    "чтобы данные паспорта читались"
)
TOO_MANY_PIXELS_MESSAGE = "Слишком большое разрешение фото: уменьшите его и загрузите снова"


def _is_heif(data: bytes) -> bool:
    """An ISO-BMFF file (HEIC/HEIF/AVIF): 'ftyp' box at offset 4 with a HEIF brand."""
    return len(data) >= 12 and data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS


def _decode(data: bytes) -> Image.Image:
    """Open, check and fully decode; raises Refusal on anything but a sane JPEG or PNG."""
    if _is_heif(data):
        raise Refusal.one(FIELD, HEIC_MESSAGE)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise Refusal.one(FIELD, TOO_MANY_PIXELS_MESSAGE) from None
        except Exception:
            raise Refusal.one(FIELD, UNREADABLE_MESSAGE) from None
        if image.format not in _ACCEPTED_FORMATS:
            raise Refusal.one(FIELD, FORMAT_MESSAGE)
        if image.width * image.height > MAX_PIXELS:
            raise Refusal.one(FIELD, TOO_MANY_PIXELS_MESSAGE)
        try:
            if image.format in ("JPEG", "MPO"):
                # Let libjpeg decode at a reduced scale when the photo is far larger than kept.
                image.draft("RGB", (MAX_STORED_SIDE, MAX_STORED_SIDE))
            image.load()
            upright = ImageOps.exif_transpose(image)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise Refusal.one(FIELD, TOO_MANY_PIXELS_MESSAGE) from None
        except Exception:
            raise Refusal.one(FIELD, UNREADABLE_MESSAGE) from None
    return upright


def _original_size(data: bytes) -> tuple[int, int]:
    """Width and height as the borrower sees the photo: the header size, turned by EXIF."""
    with Image.open(io.BytesIO(data)) as image:
        width, height = image.size
        orientation = image.getexif().get(0x0112, 1)
    return (height, width) if orientation in (5, 6, 7, 8) else (width, height)


def _to_rgb(image: Image.Image) -> Image.Image:
    """RGB pixels only; transparency is laid on white (a PNG screenshot, say)."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        image = image.point(lambda v: v / 256).convert("L")
    return image.convert("RGB")


def _clean_jpeg(image: Image.Image) -> bytes:
    """A new JPEG from the pixels alone: nothing of the original's metadata can ride along."""
    rgb = _to_rgb(image)
    if max(rgb.size) > MAX_STORED_SIDE:
        rgb.thumbnail((MAX_STORED_SIDE, MAX_STORED_SIDE), Image.Resampling.LANCZOS)
    clean = Image.new("RGB", rgb.size)
    clean.paste(rgb)
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


def clean_photo(data: bytes) -> bytes:
    """The JPEG to keep for an upload (checked, upright, stripped), or Refusal("photo")."""
    return _clean_jpeg(check_photo(data))


def check_photo(data: bytes) -> Image.Image:
    """The upright, decoded photo, or Refusal("photo") saying what is wrong with the file."""
    if not data:
        raise Refusal.one(FIELD, EMPTY_MESSAGE)
    if len(data) > MAX_BYTES:
        raise Refusal.one(FIELD, TOO_LARGE_MESSAGE)
    image = _decode(data)
    # The size check uses the header size, before any reduced-scale decoding.
    width, height = _original_size(data)
    if max(width, height) < MIN_LONG_SIDE or min(width, height) < MIN_SHORT_SIDE:
        raise Refusal.one(FIELD, TOO_SMALL_MESSAGE)
    return image


def save_passport_photo(
    db: Session,
    clock: Clock,
    settings: Settings,
    borrower_id: int,
    data: bytes,
    filename: str,
    *,
    commit: bool = True,
) -> PassportPhoto:
    """Check the upload, store a clean JPEG, record it; commits unless `commit=False` (flush).

    `filename` is what the browser said; it is not trusted and not stored.
    """
    del filename  # the content decides, not the name
    image = check_photo(data)
    jpeg = _clean_jpeg(image)
    with Image.open(io.BytesIO(jpeg)) as stored:
        width, height = stored.size
    return PHOTOS.save(
        db,
        settings,
        jpeg,
        lambda name, sha256: PassportPhoto(
            borrower_id=borrower_id,
            file_name=name,
            width=width,
            height=height,
            size_bytes=len(jpeg),
            sha256=sha256,
            uploaded_at=clock.now(),
        ),
        commit,
    )


def latest_photo(db: Session, borrower_id: int) -> PassportPhoto | None:
    query = (
        select(PassportPhoto)
        .where(PassportPhoto.borrower_id == borrower_id)
        .order_by(col(PassportPhoto.uploaded_at).desc(), col(PassportPhoto.id).desc())
    )
    return db.exec(query).first()


def is_usable(photo: PassportPhoto) -> bool:
    """A photo counts for applying unless an operator rejected it; scoring does not wait for a
    review, and a rejected one counts as none until the borrower uploads a new one."""
    return photo.review != PhotoReview.REJECTED


def usable_photo(db: Session, borrower_id: int) -> PassportPhoto | None:
    """The latest photo, if it counts."""
    photo = latest_photo(db, borrower_id)
    return photo if photo is not None and is_usable(photo) else None


def read_photo(db: Session, settings: Settings, borrower_id: int, photo_id: int) -> bytes | None:
    """The stored JPEG, only for its owner and only if it still matches its sha256."""
    photo = db.get(PassportPhoto, photo_id)
    if photo is None or photo.borrower_id != borrower_id:
        return None
    return PHOTOS.read(settings, photo.file_name, photo.sha256)
