from __future__ import annotations

import re
import warnings
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlmodel import Session
from starlette.applications import Starlette
from starlette.exceptions import StarletteDeprecationWarning

from credit7_web.clock import FixedClock
from credit7_web.gateways.acquirer import BindingResult
from credit7_web.lending import cards
from credit7_web.sandbox import acquirer as acq
from credit7_web.sandbox.acquirer import SandboxAcquirer
from credit7_web.sandbox.acquirer_pages import acquirer_routes, form_token
from credit7_web.sandbox.models import SandboxAcquirerOrder
from tests.factories import add_borrower

with warnings.catch_warnings():  # "use httpx2": the test client works as it is
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

KEY = b"test-form-key"
RETURN_URL = "/cards/return"


@pytest.fixture
def client(engine: Engine, clock: FixedClock) -> Iterator[TestClient]:
    app = Starlette(routes=acquirer_routes(lambda: Session(engine), KEY, clock))
    with TestClient(app, follow_redirects=False) as c:
        yield c


def open_order(db: Session, clock: FixedClock, return_url: str = RETURN_URL) -> str:
    order_id = cards.new_order_id()
    SandboxAcquirer(db, clock).start_binding(order_id, return_url)
    db.commit()
    return order_id


def result(db: Session, clock: FixedClock, order_id: str) -> BindingResult:
    db.expire_all()
    return SandboxAcquirer(db, clock).binding_result(order_id)


def page_token(html: str) -> str:
    match = re.search(r'name="token" value="([0-9a-f]{64})"', html)
    assert match, html
    return match[1]


def pay(
    client: TestClient,
    order_id: str,
    pan: str,
    expiry: str = "12/28",
    cvc: str = "123",
    holder: str = "IVAN IVANOV",
):
    page = client.get(f"/sandbox/acquirer/pay/{order_id}")
    assert page.status_code == 200
    form = {
        "token": page_token(page.text),
        "action": "pay",
        "pan": pan,
        "expiry": expiry,
        "cvc": cvc,
        "holder": holder,
    }
    return client.post(f"/sandbox/acquirer/pay/{order_id}", data=form)


# ----------------------------------------------------------------------------- the page


def test_page_is_a_russian_card_form(db: Session, clock: FixedClock, client: TestClient) -> None:
    order_id = open_order(db, clock)
    page = client.get(f"/sandbox/acquirer/pay/{order_id}")

    assert page.status_code == 200
    html = page.text
    assert '<html lang="ru">' in html
    assert "<title>Песочница эквайера — привязка карты</title>" in html
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in html
    for field, label in [
        ("pan", "Номер карты"),
        ("expiry", "Срок действия ММ/ГГ"),
        ("cvc", "CVC"),
        ("holder", "Имя держателя (необязательно)"),
    ]:
        assert f'<label for="{field}">{label}</label>' in html
        assert f'<input id="{field}" name="{field}"' in html
        assert f'<p class="err" id="{field}-err"' in html
    for card in acq.TEST_CARDS:
        assert card.number in html
    assert "123456" in html and "Недостаточно средств на карте" in html
    assert "function luhn" in html  # the browser checks too, before sending
    assert page.headers["cache-control"] == "no-store"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    nonce = re.search(r"script-src 'nonce-([^']+)'", page.headers["content-security-policy"])
    assert nonce and f'<script nonce="{nonce[1]}">' in html


def test_success_card_binds_and_returns_with_the_order_only(
    db: Session, clock: FixedClock, client: TestClient
) -> None:
    order_id = open_order(db, clock)
    response = pay(client, order_id, "4111 1111 1111 1111")

    assert response.status_code == 303
    assert response.headers["location"] == f"/cards/return?order={order_id}"
    done = result(db, clock, order_id)
    assert done.status == "succeeded"
    assert (done.masked, done.expiry_month, done.expiry_year) == ("411111******1111", 12, 2028)
    assert done.check_amount_kop is not None and 100 <= done.check_amount_kop <= 1000
    # The order is finished: its page is gone, and a second submit changes nothing.
    assert client.get(f"/sandbox/acquirer/pay/{order_id}").status_code == 404
    assert result(db, clock, order_id) == done


def test_return_url_with_a_query_keeps_it(
    db: Session, clock: FixedClock, client: TestClient
) -> None:
    order_id = open_order(db, clock, "http://localhost:3000/cards/return?from=apply")
    response = pay(client, order_id, "5555555555554444")
    assert response.headers["location"] == (
        f"http://localhost:3000/cards/return?from=apply&order={order_id}"
    )


@pytest.mark.parametrize(
    ("card", "reason"),
    [
        (acq.CARD_DECLINED, "Банк отклонил операцию"),
        (acq.CARD_INSUFFICIENT, "Недостаточно средств на карте"),
    ],
)
def test_refusing_cards_fail_the_order_and_go_back(
    db: Session, clock: FixedClock, client: TestClient, card: acq.TestCard, reason: str
) -> None:
    order_id = open_order(db, clock)
    response = pay(client, order_id, card.number)

    assert response.status_code == 303
    assert response.headers["location"] == f"/cards/return?order={order_id}"
    assert result(db, clock, order_id) == BindingResult(status="failed", failure=reason)


def three_ds(client: TestClient, db: Session, clock: FixedClock, code: str) -> tuple[str, str]:
    order_id = open_order(db, clock)
    response = pay(client, order_id, acq.CARD_3DS.number)
    assert response.status_code == 303
    assert response.headers["location"] == f"/sandbox/acquirer/3ds/{order_id}"
    assert result(db, clock, order_id).status == "pending"
    assert client.get(f"/sandbox/acquirer/pay/{order_id}").status_code == 404

    page = client.get(f"/sandbox/acquirer/3ds/{order_id}")
    assert page.status_code == 200
    assert "Песочница эквайера — подтверждение 3-D Secure" in page.text
    assert "<strong>123456</strong>" in page.text
    assert "для карты •••• 3220" in page.text  # masked as everywhere in the app
    assert '<label for="code">Код из SMS</label>' in page.text
    response = client.post(
        f"/sandbox/acquirer/3ds/{order_id}",
        data={"token": page_token(page.text), "action": "confirm", "code": code},
    )
    assert response.status_code == 303
    return order_id, response.headers["location"]


def test_three_ds_right_code(db: Session, clock: FixedClock, client: TestClient) -> None:
    order_id, location = three_ds(client, db, clock, "123456")
    assert location == f"/cards/return?order={order_id}"
    done = result(db, clock, order_id)
    assert (done.status, done.masked) == ("succeeded", "400000******3220")
    assert client.get(f"/sandbox/acquirer/3ds/{order_id}").status_code == 404


def test_three_ds_wrong_code(db: Session, clock: FixedClock, client: TestClient) -> None:
    order_id, location = three_ds(client, db, clock, "000000")
    assert location == f"/cards/return?order={order_id}"
    assert result(db, clock, order_id) == BindingResult(
        status="failed", failure="Неверный код подтверждения 3-D Secure"
    )


def test_cancel_goes_back_failed(db: Session, clock: FixedClock, client: TestClient) -> None:
    order_id = open_order(db, clock)
    page = client.get(f"/sandbox/acquirer/pay/{order_id}")
    response = client.post(
        f"/sandbox/acquirer/pay/{order_id}",
        data={"token": page_token(page.text), "action": "cancel"},
    )
    assert response.status_code == 303
    assert result(db, clock, order_id) == BindingResult(
        status="failed", failure="Привязка карты отменена"
    )


# ----------------------------------------------------------------------------- the server decides


@pytest.mark.parametrize(
    ("pan", "expiry", "field", "message"),
    [
        ("4111 1111 1111 1112", "12/28", "pan", "Проверьте номер карты"),
        ("4111 1111 1111 1111", "10/26", "expiry", "Срок действия карты истёк"),
        ("4111 1111 1111 1111", "13/28", "expiry", "Месяц — от 01 до 12"),
    ],
)
def test_server_refuses_what_the_browser_should_have(
    db: Session,
    clock: FixedClock,
    client: TestClient,
    pan: str,
    expiry: str,
    field: str,
    message: str,
) -> None:
    order_id = open_order(db, clock)
    response = pay(client, order_id, pan, expiry)

    assert response.status_code == 400
    html = response.text
    assert f'<p class="err" id="{field}-err" aria-live="polite">{message}</p>' in html
    assert f'<input id="{field}" name="{field}"' in html
    assert re.search(rf'<input id="{field}"[^>]*aria-invalid="true"', html)
    # Neither the number nor the CVC is echoed back into the page.
    assert '<input id="pan" name="pan" value=""' in html
    assert '<input id="cvc" name="cvc" value=""' in html
    assert result(db, clock, order_id).status == "pending"
    assert page_token(html) == form_token(KEY, "pay", order_id)


def test_hostile_holder_name_is_escaped(db: Session, clock: FixedClock, client: TestClient) -> None:
    order_id = open_order(db, clock)
    hostile = '"><script>alert(1)</script>'
    response = pay(client, order_id, "4111 1111 1111 1112", holder=hostile)

    assert response.status_code == 400
    assert "<script>alert(1)</script>" not in response.text
    assert "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    assert "Имя держателя — латинские буквы, как на карте" in response.text


def test_post_without_the_form_token_is_refused(
    db: Session, clock: FixedClock, client: TestClient
) -> None:
    order_id = open_order(db, clock)
    form = {"pan": "4111111111111111", "expiry": "12/28", "cvc": "123", "action": "pay"}
    for token in [None, "0" * 64, form_token(KEY, "pay", "another-order-id")]:
        data = form if token is None else {**form, "token": token}
        response = client.post(f"/sandbox/acquirer/pay/{order_id}", data=data)
        assert response.status_code == 403
    assert result(db, clock, order_id).status == "pending"


def test_unknown_or_finished_order_is_404(
    db: Session, clock: FixedClock, client: TestClient
) -> None:
    for path in [
        "/sandbox/acquirer/pay/0123456789abcdef0123456789abcdef",
        "/sandbox/acquirer/3ds/0123456789abcdef0123456789abcdef",
        "/sandbox/acquirer/pay/%3Cscript%3E",
    ]:
        response = client.get(path)
        assert response.status_code == 404
        assert "Операция не найдена" in response.text
    order_id = "0123456789abcdef0123456789abcdef"
    response = client.post(
        f"/sandbox/acquirer/pay/{order_id}",
        data={"token": form_token(KEY, "pay", order_id), "pan": "4111111111111111"},
    )
    assert response.status_code == 404

    payout = "payout-C7-2026-000001"
    SandboxAcquirer(db, clock).payout(payout, "sbx_none", 100)
    db.commit()
    assert db.get(SandboxAcquirerOrder, payout) is not None
    assert client.get(f"/sandbox/acquirer/pay/{payout}").status_code == 404


def test_the_lender_finishes_after_the_page(
    db: Session, clock: FixedClock, client: TestClient
) -> None:
    """The whole trip: the lender opens the binding, the page takes the card, the lender asks."""
    borrower = add_borrower(db, clock)
    assert borrower.id is not None
    url = cards.start_binding(db, clock, SandboxAcquirer(db, clock), borrower.id, RETURN_URL)
    order_id = url.rsplit("/", 1)[1]
    assert pay(client, order_id, "4111111111111111").status_code == 303

    db.expire_all()
    card = cards.finish_binding(db, clock, SandboxAcquirer(db, clock), borrower.id, order_id)
    assert cards.card_label(card) == "Карта •••• 1111, до 12/28"


# ----------------------------------------------------------------------------- charges


def open_charge(db: Session, clock: FixedClock, amount_kop: int, token: str | None = None) -> str:
    order_id = cards.new_order_id()
    SandboxAcquirer(db, clock).start_charge(order_id, amount_kop, "/payments/return", token)
    db.commit()
    return order_id


def charge_status(db: Session, clock: FixedClock, order_id: str) -> tuple[str, int]:
    db.expire_all()
    charged = SandboxAcquirer(db, clock).charge_result(order_id)
    return charged.status, charged.amount_kop


def test_a_new_card_pays_the_charge(db: Session, clock: FixedClock, client: TestClient) -> None:
    order_id = open_charge(db, clock, 1_500_00)
    page = client.get(f"/sandbox/acquirer/pay/{order_id}")
    assert "<title>Песочница эквайера — оплата</title>" in page.text
    assert "Оплатить 1\u00a0500\u00a0₽</button>" in page.text
    assert charge_status(db, clock, order_id) == ("pending", 1_500_00)

    done = pay(client, order_id, acq.CARD_SUCCESS.number)
    assert done.headers["location"] == f"/payments/return?order={order_id}"
    assert charge_status(db, clock, order_id) == ("succeeded", 1_500_00)
    assert SandboxAcquirer(db, clock).settled_charges() == {order_id: 1_500_00}
    # A binding's result never describes a charge, nor the other way round.
    assert result(db, clock, order_id).status == "failed"


def test_a_bound_card_is_only_confirmed_and_keeps_its_behaviour(
    db: Session, clock: FixedClock, client: TestClient
) -> None:
    binding = open_order(db, clock)
    pay(client, binding, acq.CARD_3DS.number)  # bound (the binding's own 3-D Secure aside)
    db.expire_all()
    three_ds = db.get(SandboxAcquirerOrder, binding).card_token  # type: ignore[union-attr]

    order_id = open_charge(db, clock, 700_00, three_ds)
    page = client.get(f"/sandbox/acquirer/pay/{order_id}")
    assert "Оплата 700\u00a0₽ картой •••• 3220." in page.text
    assert 'name="pan"' not in page.text  # nothing to type: the card is bound
    form = {"token": page_token(page.text), "action": "confirm"}
    asked = client.post(f"/sandbox/acquirer/pay/{order_id}", data=form)
    assert asked.headers["location"] == f"/sandbox/acquirer/3ds/{order_id}"
    assert charge_status(db, clock, order_id) == ("pending", 700_00)
    code_page = client.get(f"/sandbox/acquirer/3ds/{order_id}")
    form = {"token": page_token(code_page.text), "action": "confirm", "code": "000000"}
    client.post(f"/sandbox/acquirer/3ds/{order_id}", data=form)
    assert charge_status(db, clock, order_id)[0] == "failed"
