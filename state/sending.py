"""A form that shows it is busy from the moment it is sent."""

from __future__ import annotations

import reflex as rx

from state.forms import FormMixin


class SendingMixin(FormMixin, rx.State, mixin=True):
    """The page chains `sending` before the form's handler (`on_submit=[S.sending, S.submit]`):
    the button turns busy and disabled at once, and the handler clears it (`_ok`, `_fail`) on
    every path, a duplicate it ignores included.

    Name `rx.State` after the mixin in every subclass, as for `FormMixin`.
    """

    @rx.event
    def sending(self):
        self.busy = True
