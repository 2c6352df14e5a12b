"""Questions and answers `/faq`, from the tariff, with the hotline and the documents mailbox."""

from __future__ import annotations

import reflex as rx

from credit7_web import tariff
from credit7_web.faq import answers
from pages.components import card, page


def faq() -> rx.Component:
    return page(
        rx.vstack(
            *[
                card(
                    rx.heading(a.question, size="4", as_="h2"),
                    *[rx.text(p) for p in a.paragraphs],
                )
                for a in answers()
            ],
            card(
                rx.heading("Остались вопросы?", size="4", as_="h2"),
                rx.text(
                    "Горячая линия: ",
                    rx.link(tariff.HOTLINE, href=f"tel:{tariff.HOTLINE_TEL}"),
                    " — звонок по России бесплатный.",
                ),
                rx.text(
                    "Документы и заявления: ",
                    rx.link(tariff.DOCS_EMAIL, href=f"mailto:{tariff.DOCS_EMAIL}"),
                ),
            ),
            spacing="4",
            width="100%",
            max_width="720px",
        ),
        title="Вопросы и ответы",
    )
