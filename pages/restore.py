"""Restoring a deleted account `/restore`: the phone, a passport photo and a selfie with it."""

from __future__ import annotations

import reflex as rx

from credit7_web import urls
from pages.components import (
    card,
    error_text,
    form_error,
    page,
    phone_field,
    stacked_form,
    submit,
)
from pages.uploads import photo_dropzone
from state.restore import PASSPORT_UPLOAD, SELFIE_UPLOAD
from state.restore import RestoreState as S


def _photo(label: str, upload_id: str, field: str, ready: rx.Var, handler) -> rx.Component:
    return rx.vstack(
        photo_dropzone(label, upload_id),
        rx.hstack(
            rx.button(
                rx.cond(ready, "Загрузить другое фото", "Загрузить фото"),
                type="button",
                variant="outline",
                on_click=handler(rx.upload_files(upload_id=upload_id)),
            ),
            rx.cond(ready, rx.text("Фото загружено", color_scheme="green", size="2")),
            align="center",
            wrap="wrap",
        ),
        error_text(S.errors, field),
        spacing="2",
        width="100%",
    )


def restore() -> rx.Component:
    return page(
        card(
            rx.cond(
                S.sent,
                rx.vstack(
                    rx.callout(
                        "Заявка отправлена. Если с этим номером был удалённый аккаунт, оператор "
                        "сверит фото с данными договоров и ответит по SMS. После одобрения "
                        "задайте новый пароль через «Забыли пароль?».",
                        icon="check",
                        color_scheme="green",
                        role="status",
                    ),
                    rx.link("Вернуться ко входу", href=urls.LOGIN),
                ),
                stacked_form(
                    S,
                    S.submit,
                    rx.text(
                        "Укажите номер, по которому входили в удалённый аккаунт, и загрузите "
                        "два фото: разворот паспорта с фотографией и селфи, где вы держите "
                        "этот паспорт открытым. Аккаунт вернётся со всей историей займов."
                    ),
                    phone_field(S.errors),
                    _photo(
                        "Фото разворота паспорта",
                        PASSPORT_UPLOAD,
                        "passport_photo",
                        S.passport_ready,
                        S.upload_passport,
                    ),
                    _photo(
                        "Селфи с паспортом в руке",
                        SELFIE_UPLOAD,
                        "selfie",
                        S.selfie_ready,
                        S.upload_selfie,
                    ),
                    form_error(S.errors),
                    submit("Отправить заявку", S),
                ),
            ),
            max_width="560px",
        ),
        title="Восстановление удалённого аккаунта",
    )
