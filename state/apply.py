"""The loan application: identification, card, amount and services, the decision, the signature."""

from __future__ import annotations

import asyncio
import json
import logging
from math import isfinite
from typing import Any

import reflex as rx
from sqlmodel import select

from credit7_web import cards, documents, kyc, lending, pricing, tariff
from credit7_web.business_clock import clock_for
from credit7_web.errors import FormError
from credit7_web.gateways.acquirer import SandboxAcquirer
from credit7_web.gateways.bureaus import sandbox_bureaus
from credit7_web.models import (
    ApplicationStatus,
    CardBinding,
    Loan,
    LoanApplication,
    LoanStatus,
)
from credit7_web.money import percent, rub
from credit7_web.validators import format_date
from credit7_web.words import days
from state.auth import current_borrower, query_param, require_sign_in
from state.context import db, settings, sms
from state.forms import FormMixin, text

log = logging.getLogger(__name__)


def _rub_int(kop: int) -> int:
    return kop // tariff.KOPECKS_PER_RUBLE


class ApplyState(FormMixin, rx.State):
    stage: str = "loading"
    has_photo: bool = False
    photo_url: str = ""
    has_card: bool = False
    card_label: str = ""
    card_notice: str = ""
    card_failed: bool = False
    upload_progress: int = 0

    amount: int = 10_000
    term: int = 20
    amount_min: int = 1_000
    amount_max: int = 30_000
    chosen: list[str] = []
    services: list[dict[str, str]] = []
    figures: dict[str, str] = {}

    refusal: str = ""
    reapply: str = ""
    offer: dict[str, str] = {}
    signature_requested: bool = False

    def _who(self, s) -> int | None:
        borrower = current_borrower(self, s)
        return borrower.id if borrower is not None else None

    @rx.event
    def load(self):
        self._ok()
        self.stage = "loading"
        with db() as s:
            borrower = current_borrower(self, s)
            if borrower is None:
                self.reset()  # the tab outlives the session: forget whose contract it showed
                return require_sign_in(self)
            ready = lending.readiness(s, borrower.id)
            if not ready.profile_complete:
                return rx.redirect("/register/questionnaire")
            if borrower.requested_amount_kop and borrower.requested_term_days:
                self.amount = _rub_int(borrower.requested_amount_kop)
                self.term = borrower.requested_term_days
            self._load_prerequisites(s, borrower.id)
            self._card_outcome(s, borrower.id)
            return self._load_stage(s, borrower.id)

    def _load_prerequisites(self, s, borrower_id: int) -> None:
        photo = kyc.latest_photo(s, borrower_id)
        self.has_photo = photo is not None
        self.photo_url = f"/files/kyc/{photo.id}" if photo else ""
        card = cards.active_card(s, borrower_id)
        self.has_card = card is not None
        self.card_label = cards.card_label(card) if card else ""

    def _card_outcome(self, s, borrower_id: int) -> None:
        """Coming back from the acquirer's page: say how the binding went."""
        self.card_notice, self.card_failed = "", False
        order = query_param(self, "card")
        if not order:
            return
        binding = s.exec(
            select(CardBinding).where(
                CardBinding.order_id == order, CardBinding.borrower_id == borrower_id
            )
        ).first()
        if binding is None:
            return
        if binding.failure:
            self.card_notice, self.card_failed = binding.failure, True
        elif binding.card_id:
            self.card_notice = "Карта привязана. Проверочное списание возвращено на карту."

    def _load_stage(self, s, borrower_id: int):
        loan = lending.open_loan(s, borrower_id)
        if loan is not None and loan.status == LoanStatus.ACTIVE:
            return rx.redirect("/cabinet")
        if loan is not None:
            self._show_offer(s, loan)
            return None
        application = lending.latest_application(s, borrower_id)
        if application and application.status == ApplicationStatus.SCORING:
            self.stage = "scoring"
            return ApplyState.watch_decision
        clock = clock_for(s)
        if (
            application
            and application.status == ApplicationStatus.REFUSED
            and application.reapply_after
            and application.reapply_after > clock.today()
        ):
            self._show_refusal(application)
            return None
        first = lending.is_first_loan(s, borrower_id)
        bounds = tariff.amount_range(first)
        self.amount_min, self.amount_max = _rub_int(bounds.min), _rub_int(bounds.max)
        self.amount = min(max(self.amount, self.amount_min), self.amount_max)
        self.stage = "form" if self.has_photo and self.has_card else "prepare"
        self._price(s, borrower_id)
        return None

    def _show_refusal(self, application: LoanApplication) -> None:
        self.stage = "refused"
        self.refusal = application.refusal_text or "Заявка отклонена."
        self.reapply = format_date(application.reapply_after) if application.reapply_after else ""

    def _show_offer(self, s, loan: Loan) -> None:
        draft = next(iter(documents.documents_of(s, loan.borrower_id, loan.id)), None)
        quote = pricing.quote(
            loan.principal_kop,
            loan.term_days,
            clock_for(s).today(),
            loan.first_loan,
            loan.services_kop,
        )
        application = s.get(LoanApplication, loan.application_id)
        asked = application.amount_kop if application else loan.principal_kop
        self.stage = "offer"
        self.offer = _quote_view(quote) | {
            "id": str(loan.id),
            "number": loan.number,
            "asked": rub(asked) if asked != loan.principal_kop else "",
            "draft": f"/files/documents/{draft.id}" if draft else "",
            "card": self.card_label,
        }

    def _price(self, s, borrower_id: int) -> None:
        """Figures and the services that fit under the caps, for the current choice."""
        clock = clock_for(s)
        amount_kop = self.amount * tariff.KOPECKS_PER_RUBLE
        try:
            quote = lending.offer(s, clock, borrower_id, amount_kop, self.term, self.chosen)
        except FormError as error:
            self.errors = dict(error.errors)
            quote = lending.offer(s, clock, borrower_id, amount_kop, self.term, [])
            self.chosen = []
        self.figures = _quote_view(quote)
        self.services = []
        for service in tariff.EXTRA_SERVICES:
            with_it = [*self.chosen, service.code] if service.code not in self.chosen else []
            fits = True
            if with_it:
                try:
                    lending.offer(s, clock, borrower_id, amount_kop, self.term, with_it)
                except FormError:
                    fits = False
            self.services.append(
                {
                    "code": service.code,
                    "title": service.title,
                    "price": rub(service.price_kop),
                    "about": service.about,
                    "fits": "1" if fits else "",
                }
            )

    def _reprice(self):
        with db() as s:
            borrower_id = self._who(s)
            if borrower_id is None:
                return require_sign_in(self)
            self._price(s, borrower_id)
        return None

    @rx.event
    def set_amount(self, value: Any):
        rubles = _whole(value)
        if rubles is None:
            return None
        step = tariff.AMOUNT_STEP // tariff.KOPECKS_PER_RUBLE
        # Clamp first: a huge int overflows `/`; the bounds are on the step, so rounding stays in.
        rubles = min(max(rubles, self.amount_min), self.amount_max)
        self.amount = round(rubles / step) * step
        self.errors = {}
        return self._reprice()

    @rx.event
    def set_term(self, value: Any):
        days = _whole(value)
        if days is None:
            return None
        self.term = min(max(days, tariff.TERM_MIN), tariff.TERM_MAX)
        self.errors = {}
        return self._reprice()

    @rx.event
    def toggle_service(self, code: Any, on: Any):
        if not isinstance(code, str) or code not in tariff.SERVICES_BY_CODE:
            return None
        if not isinstance(on, bool):
            return None
        rest = [c for c in self.chosen if c != code]
        self.chosen = [*rest, code] if on else rest
        self.errors = {}
        return self._reprice()

    @rx.event
    async def upload_photo(self, files: list[rx.UploadFile]):
        with db() as s:
            borrower_id = self._who(s)
        if borrower_id is None:
            return require_sign_in(self)
        if (
            not isinstance(files, list)
            or len(files) != 1
            or not isinstance(files[0], rx.UploadFile)
        ):
            self.errors = {"photo": "Выберите одну фотографию"}
            return None
        upload = files[0]
        data = await upload.read(kyc.MAX_BYTES + 1)
        with db() as s:
            try:
                kyc.save_passport_photo(
                    s, clock_for(s), settings(), borrower_id, data, upload.name or ""
                )
            except FormError as error:
                self._fail(error)
                return None
            self._load_prerequisites(s, borrower_id)
            self.errors = {}
            if self.has_card and self.stage == "prepare":
                self.stage = "form"
        self.upload_progress = 0
        return None

    @rx.event
    def upload_progressed(self, progress: Any):
        share = progress.get("progress") if isinstance(progress, dict) else None
        if isinstance(share, int | float) and not isinstance(share, bool) and isfinite(share):
            self.upload_progress = int(min(max(share, 0), 1) * 100)

    @rx.event
    def bind_card(self):
        with db() as s:
            borrower_id = self._who(s)
            if borrower_id is None:
                return require_sign_in(self)
            clock = clock_for(s)
            url = cards.start_binding(
                s, clock, SandboxAcquirer(s, clock), borrower_id, "/cards/return"
            )
        return rx.call_script(f"window.location.assign({json.dumps(url)})")

    @rx.event
    def submit(self):
        with db() as s:
            borrower_id = self._who(s)
            if borrower_id is None:
                return require_sign_in(self)
            try:
                lending.apply(
                    s,
                    clock_for(s),
                    borrower_id,
                    self.amount * tariff.KOPECKS_PER_RUBLE,
                    self.term,
                    list(self.chosen),
                )
            except FormError as error:
                self._fail(error)
                return None
        self._ok()
        self.stage = "scoring"
        return ApplyState.watch_decision

    @rx.event(background=True)
    async def watch_decision(self):
        """Run the decision for this borrower's pending application and show it when it lands."""
        async with self:
            with db() as s:
                borrower_id = self._who(s)
                application = lending.open_application(s, borrower_id) if borrower_id else None
            if application is None:
                return
        try:
            await asyncio.to_thread(_decide, application.id)
        except Exception:
            log.exception("the decision on application %s failed", application.id)
            async with self:
                self.errors = {"": "Не удалось получить решение. Обновите страницу через минуту."}
            return
        async with self:
            with db() as s:
                refreshed = s.get(LoanApplication, application.id)
                if refreshed is None:
                    return
                if refreshed.status == ApplicationStatus.REFUSED:
                    self._show_refusal(refreshed)
                    return
                loan = lending.open_loan(s, refreshed.borrower_id)
                if loan is not None:
                    self._load_prerequisites(s, refreshed.borrower_id)
                    self._show_offer(s, loan)

    @rx.event
    def send_code(self):
        with db() as s:
            borrower_id = self._who(s)
            if borrower_id is None:
                return require_sign_in(self)
            try:
                lending.send_sign_code(
                    s, clock_for(s), settings(), sms(s), borrower_id, _int(self.offer.get("id"))
                )
            except FormError as error:
                self._fail(error)
                return None
        self._ok()
        self.signature_requested = True
        return None

    @rx.event
    def sign(self, form: dict):
        with db() as s:
            borrower_id = self._who(s)
            if borrower_id is None:
                return require_sign_in(self)
            clock = clock_for(s)
            try:
                lending.sign(
                    s,
                    clock,
                    settings(),
                    SandboxAcquirer(s, clock),
                    borrower_id,
                    _int(self.offer.get("id")),
                    text(form, "code", 10),
                )
            except FormError as error:
                self._fail(error)
                return None
        self._ok()
        self.signature_requested = False
        return rx.redirect("/cabinet")


def _quote_view(quote: pricing.Quote) -> dict[str, str]:
    """The figures of an offer as the page prints them."""
    return {
        "amount": rub(quote.amount_kop),
        "term": days(quote.term_days),
        "total": rub(quote.total_kop),
        "due": format_date(quote.due_date),
        "psk": percent(quote.psk_percent),
        "psk_rub": rub(quote.psk_rub_kop),
        "promo": "1" if quote.promo else "",
    }


def _whole(value: object) -> int | None:
    """A whole number as a range input sends it ("15000") or a JSON integer; None for anything
    else (None, floats with Infinity and NaN among them, booleans, lists, words)."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    try:
        return int(value)
    except ValueError:  # not a number, or more digits than int() takes from a string
        return None


def _int(value: object) -> int | None:
    return int(value) if isinstance(value, str) and value.isdigit() else None


def _decide(application_id: int) -> None:
    """In a worker thread: bureaus answer over the network, the event loop must not wait."""
    with db() as s:
        lending.decide(s, clock_for(s), settings(), sandbox_bureaus(), application_id)
