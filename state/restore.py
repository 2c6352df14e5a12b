"""Restoring a deleted account `/restore`: the phone, a passport photo and a selfie with it,
for an operator to check. The reply is the same whatever the phone: it never tells a stranger
whether an account was deleted."""

from __future__ import annotations

import reflex as rx

from credit7_web import wiring
from credit7_web.errors import Refusal
from credit7_web.identity import kyc, restoration
from state.forms import FormMixin, answers, text
from state.off_loop import off_loop

PASSPORT_UPLOAD = "restore-passport"
SELFIE_UPLOAD = "restore-selfie"
ONE_FILE = "Выберите одну фотографию"


class RestoreState(FormMixin, rx.State):
    sent: bool = False
    passport_ready: bool = False
    selfie_ready: bool = False
    _passport: tuple[str, str] | None = None  # the staged photo's file name and SHA-256
    _selfie: tuple[str, str] | None = None

    @rx.event
    def load(self):
        self.reset()

    async def _stage(self, files: list[rx.UploadFile], field: str) -> tuple[str, str] | None:
        if (
            not isinstance(files, list)
            or len(files) != 1
            or not isinstance(files[0], rx.UploadFile)
        ):
            self.errors = self.errors | {field: ONE_FILE}
            return None
        data = await files[0].read(kyc.MAX_BYTES + 1)
        try:
            staged = await off_loop(restoration.stage_photo, wiring.settings(), data, field)
        except Refusal as error:
            self.errors = self.errors | error.errors
            return None
        self.errors = {k: v for k, v in self.errors.items() if k != field}
        return staged

    @rx.event
    async def upload_passport(self, files: list[rx.UploadFile]):
        self._passport = await self._stage(files, "passport_photo")
        self.passport_ready = self._passport is not None

    @rx.event
    async def upload_selfie(self, files: list[rx.UploadFile]):
        self._selfie = await self._stage(files, "selfie")
        self.selfie_ready = self._selfie is not None

    @rx.event
    @answers
    def submit(self, form: dict):
        if self.sent:
            self._ok()
            return
        with wiring.unit() as u:
            try:
                restoration.request_staged(
                    u.db, u.clock, u.settings, text(form, "phone", 40), self._passport, self._selfie
                )
            except Refusal as error:
                self._fail(error)
                return
        self._ok()
        self.sent = True
        self._passport = self._selfie = None
        self.passport_ready = self.selfie_ready = False
