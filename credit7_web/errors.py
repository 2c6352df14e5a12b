"""Errors a service raises for the borrower to read: Russian text, tied to a form field."""

from __future__ import annotations


class FormError(Exception):
    """One or more field messages; `field` "" means a message for the whole form."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors

    @classmethod
    def one(cls, field: str, message: str) -> FormError:
        return cls({field: message})
