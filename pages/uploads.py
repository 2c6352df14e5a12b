"""A labelled dropzone for one photo (JPEG or PNG), as the passport-photo pages use it."""

from __future__ import annotations

import reflex as rx

from credit7_web.identity import kyc

IMAGES = {"image/jpeg": [".jpg", ".jpeg"], "image/png": [".png"]}


def photo_dropzone(label: str, upload_id: str) -> rx.Component:
    """The dropzone's file input has no id to point at, so the label wraps it; the label's own
    click opens the file picker (no_click stops the dropzone opening a second one). The dropzone
    itself is a tab stop: Enter or Space opens the picker from the keyboard."""
    return rx.el.label(
        rx.text(label, class_name="c7-label"),
        rx.upload(
            rx.vstack(
                rx.text("Перетащите фото сюда или нажмите (Enter), чтобы выбрать файл"),
                rx.foreach(
                    rx.selected_files(upload_id),
                    lambda f: rx.text(f, size="2", data_testid="chosen-file"),
                ),
                align="center",
            ),
            id=upload_id,
            accept=IMAGES,
            max_files=1,
            max_size=kyc.MAX_BYTES,
            multiple=False,
            no_click=True,
            class_name="c7-dropzone",
        ),
        width="100%",
    )
