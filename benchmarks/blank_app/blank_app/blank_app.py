"""One heading and one button: what any Reflex 0.10.1 page costs before it holds anything."""

import reflex as rx


class BlankState(rx.State):
    clicks: int = 0

    @rx.event
    def click(self):
        self.clicks += 1


def index() -> rx.Component:
    return rx.container(
        rx.heading("Пустое приложение", size="8"),
        rx.button("Нажать", on_click=BlankState.click),
    )


app = rx.App()
app.add_page(index)
