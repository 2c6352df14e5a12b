"""Pages of text: paying without signing in, the personal data policy."""

from __future__ import annotations

import reflex as rx

from credit7_web import urls
from credit7_web.tariff import DOCS_EMAIL, HOTLINE
from pages.components import card, link_button, page


def pay() -> rx.Component:
    return page(
        card(
            rx.text(
                "Погасить или продлить заём проще всего в личном кабинете: там видны сумма "
                "долга на сегодня и дата платежа."
            ),
            link_button("Войти в личный кабинет", urls.LOGIN),
            rx.text(f"Вопросы об оплате — по телефону {HOTLINE}, звонок бесплатный."),
            max_width="560px",
        ),
        title="Внести платёж",
    )


def personal_data() -> rx.Component:
    return page(
        card(
            rx.text(
                "ООО МКК «Кредит Севен» обрабатывает персональные данные заёмщиков по "
                "Федеральному закону № 152-ФЗ «О персональных данных»: чтобы рассмотреть "
                "заявку, заключить и исполнить договор займа и выполнить требования закона."
            ),
            rx.text(
                "Обрабатываются: ФИО, дата и место рождения, паспортные данные, СНИЛС, адреса, "
                "телефон, электронная почта, сведения о работе, доходе и семье, фотография с "
                "паспортом. Данные передаются в бюро кредитных историй и только по закону."
            ),
            rx.text(
                "Договоры и платёжные документы хранятся 5 лет. Согласие можно отозвать, "
                f"написав на {DOCS_EMAIL}; после этого аккаунт удаляется, если нет открытых "
                "займов и просроченных долгов."
            ),
            max_width="720px",
        ),
        title="Согласие на обработку персональных данных",
    )
