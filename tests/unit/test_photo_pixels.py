"""Decoded pixels are capped (issue 7, finding 3): an 8000×8000 PNG of 249 KB held the event
loop 3 s and took 1 GB. Cost follows the pixels, not the bytes, so the header's size decides,
before anything is decoded."""

from __future__ import annotations

import pytest
from PIL import Image
from sqlmodel import Session

from credit7_web.clock import FixedClock
from credit7_web.identity import kyc
from credit7_web.settings import Settings
from tests.unit.test_kyc import png_header_only, refused


@pytest.mark.parametrize(("width", "height"), [(8000, 8000), (5000, 5000), (6000, 4001)])
def test_a_photo_over_24_megapixels_is_refused_before_any_decoding(
    db: Session,
    clock: FixedClock,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    width: int,
    height: int,
) -> None:
    decoded: list[tuple[int, int]] = []
    load = Image.Image.load

    def counted_load(image: Image.Image):
        decoded.append(image.size)
        return load(image)

    monkeypatch.setattr(Image.Image, "load", counted_load)
    data = png_header_only(width, height)
    assert refused(db, clock, settings, data, "big.png") == kyc.TOO_MANY_PIXELS_MESSAGE
    assert decoded == []


def test_the_cap_is_24_megapixels() -> None:
    assert kyc.MAX_PIXELS == 24_000_000
