"""The sandbox acquirer's hosted payment page: where the card is typed, outside the lender's app.

The browser arrives from the lender at `/sandbox/acquirer/pay/{order_id}`, types the card, and is
sent back (303) to the order's return URL with `?order=<id>` and nothing else; the 3-D Secure test
card first passes `/sandbox/acquirer/3ds/{order_id}`. The page checks the card in the browser for
convenience and again on the server, which alone decides. A POST must carry the form token of its
order (an HMAC of the order id under `form_key`), so another site cannot submit a form for it.
The card number and CVC are used for the one request and kept nowhere, not even by the sandbox.

Mount: add `*acquirer_routes(context.db, settings().secret_key)` to the app's routes; `db` is a
callable giving a sqlmodel Session usable as a context manager.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from html import escape

from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from credit7_web import tariff
from credit7_web.clock import Clock, SystemClock, moscow_date
from credit7_web.money import rub
from credit7_web.russian import format_card
from credit7_web.sandbox import acquirer as a
from credit7_web.sandbox.acquirer import (
    OTHER_CARDS_TEXT,
    TEST_CARDS,
    THREE_DS_CODE,
    THREE_DS_PAGE,
    CardEntryError,
    OrderStatus,
    SandboxAcquirer,
    check_card_entry,
    with_order,
)
from credit7_web.sandbox.models import SandboxAcquirerCard, SandboxAcquirerOrder

PAY_PATH = "/sandbox/acquirer/pay/{order_id}"
THREE_DS_PATH = THREE_DS_PAGE

TITLE = "Песочница эквайера — привязка карты"
TITLE_CHARGE = "Песочница эквайера — оплата"
TITLE_3DS = "Песочница эквайера — подтверждение 3-D Secure"
NOT_FOUND_TITLE = "Операция не найдена"
STALE_FORM = "Форма устарела. Вернитесь в личный кабинет и начните привязку карты заново"

FIELDS = ("pan", "expiry", "cvc", "holder")
MAX_FORM_FIELDS = 10

SessionFactory = Callable[[], Session]


def form_token(key: bytes, purpose: str, order_id: str) -> str:
    """The per-order token a form of the hosted page carries back."""
    message = f"sandbox-acquirer|{purpose}|{order_id}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def acquirer_routes(
    db: SessionFactory,
    form_key: bytes | Callable[[], bytes],
    clock: Clock | None = None,
) -> list[Route]:
    """The hosted page's routes. `form_key` (or a callable giving it) signs the form tokens.

    The acquirer is outside the lender, so by default it keeps real time (`SystemClock`), not
    the sandbox's shifted business date; tests pass a `FixedClock`.
    """
    now_clock: Clock = clock or SystemClock()

    def key() -> bytes:
        return form_key() if callable(form_key) else form_key

    def token_ok(purpose: str, order_id: str, sent: object) -> bool:
        expected = form_token(key(), purpose, order_id)
        return isinstance(sent, str) and hmac.compare_digest(sent.encode(), expected.encode())

    # -- database work, run in a worker thread --------------------------------------------

    def load(order_id: str, status: str) -> tuple[SandboxAcquirerOrder, str | None] | None:
        """The open order and, at the 3-D Secure step, its card's masked number."""
        with db() as session:
            order = SandboxAcquirer(session, now_clock).open_order(order_id, status)
            if order is None:
                return None
            masked = None
            if order.card_token:
                card = session.get(SandboxAcquirerCard, order.card_token)
                masked = card.masked if card else None
            session.expunge(order)
            return order, masked

    def act(
        step: Callable[[SandboxAcquirer], SandboxAcquirerOrder | None],
    ) -> SandboxAcquirerOrder | None:
        with db() as session:
            order = step(SandboxAcquirer(session, now_clock))
            if order is None:
                session.rollback()
                return None
            session.commit()
            session.refresh(order)
            session.expunge(order)
            return order

    # -- endpoints ------------------------------------------------------------------------

    async def pay(request: Request) -> Response:
        order_id = request.path_params["order_id"]
        loaded = await run_in_threadpool(load, order_id, OrderStatus.NEW)
        if loaded is None:
            return not_found()
        today = moscow_date(now_clock.now())
        order, masked = loaded
        amount = order.amount_kop if order.kind == a.KIND_CHARGE else None
        if request.method == "GET":
            token = form_token(key(), "pay", order_id)
            if amount and order.card_token:
                return bound_page(order_id, token, masked, amount)
            return pay_page(order_id, token, today.year, today.month, amount_kop=amount)

        form = await request.form(max_files=0, max_fields=MAX_FORM_FIELDS)
        values = {name: str(form.get(name) or "") for name in (*FIELDS, "token", "action")}
        if not token_ok("pay", order_id, values["token"]):
            return message_page(STALE_FORM, status=403)
        if values["action"] == "cancel":
            done = await run_in_threadpool(act, lambda a: a.cancel(order_id))
            return back(done)
        if amount and order.card_token:
            done = await run_in_threadpool(act, lambda a: a.confirm_bound(order_id))
            if done is not None and done.status == OrderStatus.THREE_DS:
                return RedirectResponse(THREE_DS_PATH.format(order_id=order_id), status_code=303)
            return back(done)
        try:
            entry = check_card_entry(
                values["pan"], values["expiry"], values["cvc"], values["holder"], today
            )
        except CardEntryError as e:
            return pay_page(
                order_id,
                form_token(key(), "pay", order_id),
                today.year,
                today.month,
                errors=e.errors,
                kept={"expiry": values["expiry"], "holder": values["holder"]},
                status=400,
                amount_kop=amount,
            )
        done = await run_in_threadpool(act, lambda a: a.submit_card(order_id, entry))
        if done is not None and done.status == OrderStatus.THREE_DS:
            return RedirectResponse(THREE_DS_PATH.format(order_id=order_id), status_code=303)
        return back(done)

    async def three_ds(request: Request) -> Response:
        order_id = request.path_params["order_id"]
        loaded = await run_in_threadpool(load, order_id, OrderStatus.THREE_DS)
        if loaded is None:
            return not_found()
        _, masked = loaded
        if request.method == "GET":
            return three_ds_page(order_id, form_token(key(), "3ds", order_id), masked)
        form = await request.form(max_files=0, max_fields=MAX_FORM_FIELDS)
        if not token_ok("3ds", order_id, form.get("token")):
            return message_page(STALE_FORM, status=403)
        if form.get("action") == "cancel":
            done = await run_in_threadpool(act, lambda a: a.cancel(order_id))
        else:
            code = str(form.get("code") or "")
            done = await run_in_threadpool(act, lambda a: a.submit_3ds(order_id, code))
        return back(done)

    return [
        Route(PAY_PATH, pay, methods=["GET", "POST"], name="sandbox_acquirer_pay"),
        Route(THREE_DS_PATH, three_ds, methods=["GET", "POST"], name="sandbox_acquirer_3ds"),
    ]


def back(order: SandboxAcquirerOrder | None) -> Response:
    """To the lender with the order id only; a form sent twice finds the order finished."""
    if order is None:
        return not_found()
    return RedirectResponse(with_order(order.return_url, order.order_id), status_code=303)


# ----------------------------------------------------------------------------- HTML

_CSS = """
*{box-sizing:border-box}
body{margin:0;background:#eef1f5;color:#1b2430;font:16px/1.45 system-ui,-apple-system,"Segoe UI",
Roboto,Arial,sans-serif}
main{max-width:440px;margin:0 auto;padding:16px}
.bank{display:flex;align-items:center;gap:8px;font-weight:700;color:#0b4a8b;margin:4px 0 12px}
.logo{width:28px;height:28px;border-radius:6px;background:#0b4a8b;color:#fff;display:flex;
align-items:center;justify-content:center;font-size:14px}
.card{background:#fff;border-radius:12px;padding:16px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
h1{font-size:20px;line-height:1.25;margin:0 0 8px}
p{margin:0 0 12px}
.note{font-size:14px;color:#4a5565}
.field{margin:0 0 14px}
label{display:block;font-weight:600;margin:0 0 4px}
input{width:100%;font-size:16px;padding:10px 12px;border:1px solid #9aa5b4;border-radius:8px;
background:#fff;color:#1b2430}
input:focus{outline:3px solid #8ab4f8;outline-offset:1px;border-color:#0b4a8b}
input[aria-invalid=true]{border-color:#b3261e}
.row{display:grid;grid-template-columns:1fr 1fr;gap:12px}
@media (max-width:420px){.row label{min-height:2.9em;display:flex;align-items:flex-end}}
.err{color:#b3261e;font-size:14px;margin:4px 0 0;min-height:0}
.err:empty{display:none}
button{width:100%;font-size:16px;padding:12px;border-radius:8px;border:0;cursor:pointer}
.primary{background:#0b4a8b;color:#fff;font-weight:600}
.secondary{background:transparent;color:#0b4a8b;text-decoration:underline;margin-top:8px}
.tests{margin-top:16px;font-size:14px}
.tests h2{font-size:16px;margin:0 0 8px}
.tests ul{list-style:none;margin:0;padding:0}
.tests li{padding:8px 0;border-top:1px solid #e3e7ed}
.tests code{font-size:15px;white-space:nowrap}
.fill{width:auto;display:inline;padding:2px 8px;margin-left:6px;font-size:13px;
background:#e7eef7;color:#0b4a8b}
.hint{background:#fff7e0;border-radius:8px;padding:8px 12px}
"""

_PAY_JS = """
(function () {
  var form = document.getElementById("card-form");
  function digits(s) { return s.replace(/[\\s-]/g, ""); }
  function luhn(d) {
    var sum = 0;
    for (var i = 0; i < d.length; i++) {
      var n = +d.charAt(d.length - 1 - i);
      if (i % 2) { n *= 2; if (n > 9) n -= 9; }
      sum += n;
    }
    return sum % 10 === 0;
  }
  function show(name, text) {
    var input = form.elements[name];
    var err = document.getElementById(name + "-err");
    err.textContent = text || "";
    if (text) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
    return !text;
  }
  function checkPan() {
    var d = digits(form.elements.pan.value);
    var ok = /^[0-9]{13,19}$/.test(d) && luhn(d);
    return show("pan", ok ? "" : form.dataset.badPan);
  }
  function checkExpiry() {
    var v = form.elements.expiry.value;
    var m = /^\\s*([0-9]{1,2})\\s*\\/\\s*([0-9]{2}|[0-9]{4})\\s*$/.exec(v) ||
      /^\\s*([0-9]{2})([0-9]{2})\\s*$/.exec(v);
    if (!m) return show("expiry", form.dataset.badExpiry);
    var month = +m[1], year = +m[2] + (m[2].length === 2 ? 2000 : 0);
    var ty = +form.dataset.year, tm = +form.dataset.month;
    if (month < 1 || month > 12) return show("expiry", form.dataset.badMonth);
    if (year < ty || (year === ty && month < tm)) return show("expiry", form.dataset.expired);
    if (year > ty + 20) return show("expiry", form.dataset.tooFar);
    return show("expiry", "");
  }
  function checkCvc() {
    var ok = /^[0-9]{3}$/.test(form.elements.cvc.value.trim());
    return show("cvc", ok ? "" : form.dataset.badCvc);
  }
  var checks = {pan: checkPan, expiry: checkExpiry, cvc: checkCvc};
  Object.keys(checks).forEach(function (name) {
    form.elements[name].addEventListener("blur", function () {
      if (form.elements[name].value) checks[name]();
    });
  });
  // Digits typed or pasted become MM/YY ("1229" -> "12/29"); a slash typed by hand is kept.
  form.elements.expiry.addEventListener("input", function (e) {
    var v = e.target.value;
    if (v.indexOf("/") >= 0) return;
    var d = v.replace(/[^0-9]/g, "").slice(0, 4);
    var adding = e.inputType !== "deleteContentBackward";
    var slash = d.length > 2 || (d.length === 2 && adding);
    e.target.value = slash ? d.slice(0, 2) + "/" + d.slice(2) : d;
  });
  form.addEventListener("submit", function (e) {
    var bad = null;
    ["pan", "expiry", "cvc"].forEach(function (name) {
      if (!checks[name]() && !bad) bad = name;
    });
    if (bad) { e.preventDefault(); form.elements[bad].focus(); }
  });
  Array.prototype.forEach.call(document.querySelectorAll("button.fill"), function (b) {
    b.addEventListener("click", function () {
      form.elements.pan.value = b.dataset.pan;
      show("pan", "");
      form.elements.expiry.focus();
    });
  });
})();
"""


def _headers(nonce: str) -> dict[str, str]:
    return {
        "Content-Security-Policy": (
            f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; "
            "base-uri 'none'; frame-ancestors 'none'"
        ),
        "Cache-Control": "no-store",
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }


def _page(title: str, body: str, status: int = 200, script: str = "") -> HTMLResponse:
    nonce = secrets.token_urlsafe(16)
    script_tag = f'<script nonce="{nonce}">{script}</script>' if script else ""
    html = (
        "<!doctype html>\n"
        '<html lang="ru"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="robots" content="noindex">'
        f"<title>{escape(title)}</title>"
        f'<style nonce="{nonce}">{_CSS}</style></head>'
        '<body><main><div class="bank"><span class="logo" aria-hidden="true">₽</span>'
        "Песочница эквайера</div>"
        f'<div class="card">{body}</div></main>{script_tag}</body></html>'
    )
    return HTMLResponse(html, status_code=status, headers=_headers(nonce))


def not_found() -> HTMLResponse:
    return message_page(
        "Операция не найдена или уже завершена. Вернитесь в личный кабинет и начните заново.",
        status=404,
        title=NOT_FOUND_TITLE,
    )


def message_page(text: str, status: int, title: str = TITLE) -> HTMLResponse:
    return _page(title, f"<h1>{escape(title)}</h1><p>{escape(text)}</p>", status=status)


def _field(
    name: str,
    label: str,
    errors: dict[str, str],
    value: str = "",
    **attrs: str,
) -> str:
    error = errors.get(name, "")
    extra = "".join(f' {k.replace("_", "-")}="{escape(v)}"' for k, v in attrs.items())
    invalid = ' aria-invalid="true"' if error else ""
    return (
        f'<div class="field"><label for="{name}">{escape(label)}</label>'
        f'<input id="{name}" name="{name}" value="{escape(value)}"'
        f' aria-describedby="{name}-err"{invalid}{extra}>'
        f'<p class="err" id="{name}-err" aria-live="polite">{escape(error)}</p></div>'
    )


def pay_page(
    order_id: str,
    token: str,
    year: int,
    month: int,
    errors: dict[str, str] | None = None,
    kept: dict[str, str] | None = None,
    status: int = 200,
    amount_kop: int | None = None,
) -> HTMLResponse:
    """The card form: to bind a card, or (with `amount_kop`) to pay that sum with it."""
    errors = errors or {}
    kept = kept or {}
    action = escape(PAY_PATH.format(order_id=order_id))
    data = {
        "year": str(year),
        "month": str(month),
        "bad-pan": a.BAD_PAN,
        "bad-expiry": a.BAD_EXPIRY,
        "bad-month": a.BAD_MONTH,
        "expired": a.EXPIRED,
        "too-far": a.TOO_FAR,
        "bad-cvc": a.BAD_CVC,
    }
    data_attrs = "".join(f' data-{k}="{escape(v)}"' for k, v in data.items())
    check = f"от {rub(tariff.CARD_CHECK_MIN)} до {rub(tariff.CARD_CHECK_MAX)}"
    tests = "".join(
        f"<li><code>{escape(c.number)}</code>"
        f'<button type="button" class="fill" data-pan="{escape(c.number)}"'
        f' aria-label="Подставить номер {escape(c.number)}">Подставить</button>'
        f"<br>{escape(c.description)}</li>"
        for c in TEST_CARDS
    )
    title, button = TITLE, "Привязать карту"
    purpose = f"Для проверки карты банк спишет и сразу вернёт {check}."
    if amount_kop:
        title, button = TITLE_CHARGE, f"Оплатить {rub(amount_kop)}"
        purpose = f"К оплате: {rub(amount_kop)}."
    body = (
        f"<h1>{escape(title)}</h1>"
        '<p class="note">Это тестовая страница: не вводите данные настоящей карты. '
        f"{escape(purpose)}</p>"
        f'<form id="card-form" method="post" action="{action}" novalidate{data_attrs}>'
        f'<input type="hidden" name="token" value="{escape(token)}">'
        '<input type="hidden" name="action" value="pay">'
        + _field(
            "pan",
            "Номер карты",
            errors,
            inputmode="numeric",
            autocomplete="cc-number",
            maxlength="23",
            placeholder="0000 0000 0000 0000",
            required="required",
        )
        + '<div class="row">'
        + _field(
            "expiry",
            "Срок действия ММ/ГГ",
            errors,
            kept.get("expiry", ""),
            inputmode="numeric",
            autocomplete="cc-exp",
            maxlength="7",
            placeholder="ММ/ГГ",
            required="required",
        )
        + _field(
            "cvc",
            "CVC",
            errors,
            type="password",
            inputmode="numeric",
            autocomplete="cc-csc",
            maxlength="3",
            placeholder="•••",
            required="required",
        )
        + "</div>"
        + _field(
            "holder",
            "Имя держателя (необязательно)",
            errors,
            kept.get("holder", ""),
            autocomplete="cc-name",
            maxlength="60",
            placeholder="IVAN IVANOV",
            autocapitalize="characters",
        )
        + f'<button type="submit" class="primary">{escape(button)}</button></form>'
        + _cancel_form(action, token)
        + '<section class="tests" aria-labelledby="tests-title">'
        '<h2 id="tests-title">Тестовые карты</h2>'
        "<p>Срок действия — любой будущий, CVC — любые три цифры.</p>"
        f"<ul>{tests}<li>{escape(OTHER_CARDS_TEXT)}</li></ul></section>"
    )
    return _page(title, body, status=status, script=_PAY_JS)


def bound_page(order_id: str, token: str, masked: str | None, amount_kop: int) -> HTMLResponse:
    """A charge of a card the payer bound before: only a confirmation."""
    action = escape(PAY_PATH.format(order_id=order_id))
    card = f" картой {escape(format_card(masked))}" if masked else ""
    body = (
        f"<h1>{escape(TITLE_CHARGE)}</h1>"
        f"<p>Оплата {escape(rub(amount_kop))}{card}.</p>"
        f'<form method="post" action="{action}">'
        f'<input type="hidden" name="token" value="{escape(token)}">'
        '<input type="hidden" name="action" value="confirm">'
        f'<button type="submit" class="primary">Оплатить {escape(rub(amount_kop))}</button></form>'
        + _cancel_form(action, token)
    )
    return _page(TITLE_CHARGE, body)


def _cancel_form(action: str, token: str) -> str:
    return (
        f'<form method="post" action="{action}">'
        f'<input type="hidden" name="token" value="{escape(token)}">'
        '<input type="hidden" name="action" value="cancel">'
        '<button type="submit" class="secondary">Отменить и вернуться</button></form>'
    )


def three_ds_page(order_id: str, token: str, masked: str | None) -> HTMLResponse:
    action = escape(THREE_DS_PATH.format(order_id=order_id))
    card = f" для карты {escape(format_card(masked))}" if masked else ""
    body = (
        f"<h1>{escape(TITLE_3DS)}</h1>"
        f"<p>Банк прислал код подтверждения{card} в SMS на телефон держателя карты.</p>"
        f'<p class="hint">В песочнице код: <strong>{THREE_DS_CODE}</strong>. '
        "Любой другой код — отказ.</p>"
        f'<form method="post" action="{action}">'
        f'<input type="hidden" name="token" value="{escape(token)}">'
        '<input type="hidden" name="action" value="confirm">'
        + _field(
            "code",
            "Код из SMS",
            {},
            inputmode="numeric",
            autocomplete="one-time-code",
            maxlength="6",
            required="required",
        )
        + '<button type="submit" class="primary">Подтвердить</button></form>'
        + _cancel_form(action, token)
    )
    return _page(TITLE_3DS, body)
