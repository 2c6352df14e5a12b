"""The loan application: identification, card, amount and services, the decision, the signature."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date
from math import isfinite
from typing import Any

import reflex as rx

from credit7_web import tariff, urls, wiring
from credit7_web.errors import Refusal
from credit7_web.identity import kyc, otp
from credit7_web.lending import applications, cards, pricing, signing
from credit7_web.lending.applications import Progress, Stage
from credit7_web.lending.models import ApplicationStatus, LoanApplication
from credit7_web.money import percent, rub
from credit7_web.russian import days, format_card, format_date
from state.caller import Caller, PersonalState, borrower_of, go_to, query_param, signed_in
from state.forms import answers, text
from state.off_loop import off_loop
from state.phone_code import SignatureCodeMixin

REFUSED = ApplicationStatus.REFUSED
RUB = tariff.KOPECKS_PER_RUBLE
LOADING = "loading"
DECISION_LATE = "Решение задерживается. Обновите страницу через минуту."
WATCH_EVERY_S = 0.5  # how often an open tab looks for the decision
WATCH_S = 120  # then the tab stops looking and says so; the decision still comes


@dataclass(frozen=True)
class FiguresView:
    """An offer's figures as the page prints them."""

    amount: str = ""
    term: str = ""
    total: str = ""
    due: str = ""
    psk: str = ""
    psk_rub: str = ""
    promo: bool = False


@dataclass(frozen=True)
class ServiceView:
    code: str
    title: str
    price: str
    about: str
    fits: bool  # chosen, or would still keep the loan under the caps


@dataclass(frozen=True)
class OfferView(FiguresView):
    loan_id: int = 0
    number: str = ""
    less: str = ""  # why the amount is smaller than asked, when it is
    draft: str = ""  # the draft contract's URL
    card: str = ""  # "•••• 1111", to read after "на карту"


def _figures(quote: pricing.Quote) -> dict[str, Any]:
    return {
        "amount": rub(quote.amount_kop),
        "term": days(quote.term_days),
        "total": rub(quote.total_kop),
        "due": format_date(quote.due_date),
        "psk": percent(quote.psk_percent),
        "psk_rub": rub(quote.psk_rub_kop),
        "promo": quote.promo,
    }


class ApplyState(SignatureCodeMixin, PersonalState, rx.State):
    stage: str = LOADING
    has_photo: bool = False
    photo_url: str = ""
    photo_rejection: str = ""  # an operator's reason, until a new photo is uploaded
    has_card: bool = False
    card_label: str = ""
    card_notice: str = ""
    card_failed: bool = False
    upload_progress: int = 0

    amount: int = tariff.CALCULATOR_AMOUNT // RUB  # rubles, until the borrower picks
    term: int = tariff.CALCULATOR_TERM
    amount_min: int = tariff.FIRST_LOAN_MIN // RUB
    amount_max: int = tariff.FIRST_LOAN_MAX // RUB
    chosen: list[str] = []
    services: list[ServiceView] = []
    figures: FiguresView = FiguresView()
    priced: int = 0  # counts the server's pricings: a choice the browser shows ahead of it ends

    refusal: str = ""
    reapply: str = ""
    offer: OfferView = OfferView()
    signature_requested: bool = False

    @rx.event
    @signed_in
    def load(self, me: Caller):
        self._ok()
        self.stage = LOADING
        borrower = me.borrower
        assert borrower is not None  # noqa: S101  (signed_in)
        if borrower.requested_amount_kop and borrower.requested_term_days:
            self.amount = borrower.requested_amount_kop // RUB
            self.term = borrower.requested_term_days
        progress = applications.progress(me.db, me.clock, me.id)
        if not progress.ready.profile_complete:
            return rx.redirect(urls.QUESTIONNAIRE)
        self._show_prerequisites(me)
        outcome = cards.binding_outcome(me.db, me.id, query_param(self, "card"))
        self.card_notice, self.card_failed = outcome or ("", False)
        return self._show(me, progress)

    def _show_prerequisites(self, me: Caller) -> None:
        photo = kyc.latest_photo(me.db, me.id)
        usable = photo is not None and kyc.is_usable(photo)
        self.has_photo = usable
        self.photo_url = urls.photo_file(photo.id or 0) if photo and usable else ""
        self.photo_rejection = (photo.rejection_reason or "") if photo and not usable else ""
        card = cards.active_card(me.db, me.id)
        self.has_card = card is not None
        self.card_label = cards.card_label(card) if card else ""

    def _show(self, me: Caller, progress: Progress):
        if progress.stage == Stage.SIGNED:
            return rx.redirect(urls.CABINET)
        self.stage = progress.stage
        if progress.offer is not None:
            offer = progress.offer
            loan = offer.loan
            card = cards.active_card(me.db, me.id)
            self.offer = OfferView(
                **_figures(offer.quote),
                loan_id=loan.id or 0,
                number=loan.number,
                less=offer.why_less or "",
                draft=urls.document_file(offer.draft_document_id)
                if offer.draft_document_id
                else "",
                card=format_card(card.masked) if card else "",
            )
        elif progress.stage == Stage.SCORING:
            return ApplyState.watch_decision
        elif progress.refused is not None:
            self._show_refusal(progress.refused, me)
        else:
            bounds = tariff.amount_range(progress.first_loan)
            self.amount_min, self.amount_max = bounds.min // RUB, bounds.max // RUB
            self.amount = min(max(self.amount, self.amount_min), self.amount_max)
            self._price(me)
        return None

    def _show_refusal(self, application: LoanApplication, me: Caller) -> None:
        self.stage = Stage.REFUSED
        self.refusal, self.reapply = refusal_texts(application, me.clock.today())

    def _price(self, me: Caller) -> None:
        """Figures and the services that fit under the caps, for the current choice."""
        priced = applications.price_choice(
            me.db, me.clock, me.id, self.amount * RUB, self.term, list(self.chosen)
        )
        if priced.refusal is not None:
            self.errors = dict(priced.refusal.errors)
        self.chosen = list(priced.chosen)
        self.figures = FiguresView(**_figures(priced.quote))
        self.priced += 1
        self.services = [
            ServiceView(
                code=option.service.code,
                title=option.service.title,
                price=rub(option.service.price_kop),
                about=option.service.about,
                fits=option.fits,
            )
            for option in priced.options
        ]

    @rx.event
    @signed_in
    def set_amount(self, me: Caller, value: Any):
        rubles = _whole(value)
        if rubles is None:
            return
        step = tariff.AMOUNT_STEP // RUB
        # Clamp first: a huge int overflows `/`; the bounds are on the step, so rounding stays in.
        rubles = min(max(rubles, self.amount_min), self.amount_max)
        self.amount = round(rubles / step) * step
        self.errors = {}
        self._price(me)

    @rx.event
    @signed_in
    def set_term(self, me: Caller, value: Any):
        term = _whole(value)
        if term is None:
            return
        self.term = min(max(term, tariff.TERM_MIN), tariff.TERM_MAX)
        self.errors = {}
        self._price(me)

    @rx.event
    @signed_in
    def toggle_service(self, me: Caller, code: Any, on: Any):
        if not isinstance(code, str) or code not in tariff.SERVICES_BY_CODE:
            return
        if not isinstance(on, bool):
            return
        rest = [c for c in self.chosen if c != code]
        self.chosen = [*rest, code] if on else rest
        self.errors = {}
        self._price(me)

    @rx.event
    @signed_in
    async def upload_photo(self, me: Caller, files: list[rx.UploadFile]):
        if (
            not isinstance(files, list)
            or len(files) != 1
            or not isinstance(files[0], rx.UploadFile)
        ):
            self.errors = {"photo": "Выберите одну фотографию"}
            return
        upload = files[0]
        data = await upload.read(kyc.MAX_BYTES + 1)
        try:
            await off_loop(_store_photo, me.id, data)
        except Refusal as error:
            self._fail(error)
            return
        self._show_prerequisites(me)
        self.errors = {}
        if self.has_card and self.stage == Stage.PREPARE:
            self.stage = Stage.FORM
        self.upload_progress = 0

    @rx.event
    def upload_progressed(self, progress: Any):
        """While a photo goes up, the old photo's error is gone (the page disables the button)."""
        share = progress.get("progress") if isinstance(progress, dict) else None
        if isinstance(share, bool) or not isinstance(share, int | float):
            return
        if isinstance(share, float) and not isfinite(share):
            return
        # Clamped before any arithmetic: 10**400 is an int no float can hold.
        self.upload_progress = int(min(max(share, 0), 1) * 100)
        if self.upload_progress < 100:  # the last report may come after the answer
            self.errors = {k: v for k, v in self.errors.items() if k != "photo"}

    @rx.event
    @signed_in
    def bind_card(self, me: Caller):
        url = cards.start_binding(me.db, me.clock, me.acquirer, me.id, urls.CARD_RETURN)
        return go_to(url)

    @rx.event
    @answers
    @signed_in
    def submit(self, me: Caller, answered: Any = None):
        try:
            applications.apply(
                me.db, me.clock, me.jobs, me.id, self.amount * RUB, self.term, list(self.chosen)
            )
        except Refusal as error:
            self._fail(error)
            return None
        self._ok()
        self.stage = Stage.SCORING
        return ApplyState.watch_decision

    @rx.event(background=True)
    async def watch_decision(self):
        """Wait for the decision the worker makes on this borrower's application and show it
        when it lands (the tab may close meanwhile: the decision is made all the same)."""
        deadline = asyncio.get_running_loop().time() + WATCH_S
        while True:
            async with self:
                with wiring.db() as session:
                    me = Caller(session)
                    me.borrower = borrower_of(self, me)
                    if me.borrower is None:
                        return
                    progress = applications.progress(me.db, me.clock, me.id)
                    if progress.stage != Stage.SCORING:
                        self._show_decision(me, progress)
                        return
                    if asyncio.get_running_loop().time() > deadline:
                        self.errors = {"": DECISION_LATE}
                        return
            await asyncio.sleep(WATCH_EVERY_S)

    def _show_decision(self, me: Caller, progress: Progress) -> None:
        decided = progress.latest
        if decided and decided.status == REFUSED:
            self._show_refusal(decided, me)  # even one that allows a new application now
            return
        self._show_prerequisites(me)
        self._show(me, progress)

    @rx.event
    @answers
    @signed_in
    def send_code(self, me: Caller, answered: Any = None):
        """The first code, or a new one: «Отправить код ещё раз» never submits the signing form."""
        assert me.borrower is not None  # noqa: S101  (signed_in)
        sent = self._send_signature_code(
            me,
            me.borrower.phone,
            otp.SIGN,
            lambda: signing.send_sign_code(
                me.db, me.clock, me.settings, me.sms, me.id, self.offer.loan_id or None
            ),
            again=self.signature_requested,
        )
        self.signature_requested = self.signature_requested or sent

    @rx.event
    @answers
    @signed_in
    def sign(self, me: Caller, form: dict):
        try:
            signing.sign(
                me.db,
                me.clock,
                me.settings,
                me.acquirer,
                me.id,
                self.offer.loan_id or None,
                text(form, "code", 10),
            )
        except Refusal as error:
            self._fail(error)
            return None
        self._ok()
        self.signature_requested = False
        return rx.redirect(urls.CABINET)


def refusal_texts(application: LoanApplication, today: date) -> tuple[str, str]:
    """Why an application was refused, and the date from which to apply again ("" if now)."""
    reapply = application.reapply_after
    return (
        application.refusal_text or "Заявка отклонена.",
        format_date(reapply) if reapply and reapply > today else "",
    )


def _whole(value: object) -> int | None:
    """A whole number as a range input sends it ("15000") or a JSON integer; None for anything
    else (None, floats with Infinity and NaN among them, booleans, lists, words)."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    try:
        return int(value)
    except ValueError:  # not a number, or more digits than int() takes from a string
        return None


def _store_photo(borrower_id: int, data: bytes) -> None:
    """In the pool: the decode and re-encode are CPU work the event loop must not wait for."""
    with wiring.unit() as u:
        kyc.save_passport_photo(u.db, u.clock, u.settings, borrower_id, data, "")
