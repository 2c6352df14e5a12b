"""What the domain says when it refuses a request: Russian text, per input.

A `Refusal` is a business answer, not a crash: the web layer shows each message beside the input
it names ("" for the request as a whole), and nothing of the refused operation is stored.
"""

from __future__ import annotations


class Refusal(Exception):
    """One or more messages keyed by the input they are about; "" means the whole request."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors

    @classmethod
    def one(cls, field: str, message: str) -> Refusal:
        return cls({field: message})
