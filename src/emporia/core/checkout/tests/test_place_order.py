"""Placing orders through the API: one order per shop, stock reserved,
idempotent retries, and refusals that leave nothing behind."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from emporia.core.checkout.models import Checkout
from emporia.core.inventory.models import Reservation, StockItem
from emporia.core.orders.models import Order
from emporia.core.payments.models import Payment

pytestmark = pytest.mark.django_db


def place(api, lines, address_id, key="k-1", **extra):
    body = {
        "lines": [{"sku_id": s.pk, "quantity": q} for s, q in lines],
        "address_id": address_id,
        **extra,
    }
    return api.post("checkout/place", body, headers={"Idempotency-Key": key})


def nothing_placed():
    return (
        Order.objects.count(),
        Payment.objects.count(),
        Checkout.objects.count(),
        Reservation.objects.count(),
    ) == (0, 0, 0, 0)


def test_two_shops_make_two_orders_one_payment_and_reserve_stock(
    shopper, listed_sku, api_as
):
    tea = listed_sku("38.00", quantity=5)
    cup = listed_sku("12.50", quantity=5)
    resp = place(api_as(shopper), [(tea, 2), (cup, 1)], shopper.default_address.pk)
    assert resp.status_code == 201, resp.content
    body = resp.json()
    totals = sorted(
        (o["items"]["minor"], o["shipping"]["minor"], o["total"]["minor"])
        for o in body["orders"]
    )
    # 12.50 is under the free-shipping threshold (99), so shipping 8.00 is added.
    assert totals == [(1250, 800, 2050), (7600, 800, 8400)]
    assert body["payment"]["amount"] == {
        "minor": 10450,
        "currency": "CNY",
        "amount": "104.50",
    }
    assert body["payment"]["redirect_url"].startswith("/sandbox-pay/")
    assert {o["status"] for o in body["orders"]} == {"awaiting_payment"}
    assert StockItem.objects.get(sku=tea).reserved == 2
    assert StockItem.objects.get(sku=cup).reserved == 1


def test_same_key_same_body_returns_the_same_orders(shopper, listed_sku, api_as):
    sku = listed_sku("10.00")
    api = api_as(shopper)
    first = place(api, [(sku, 1)], shopper.default_address.pk)
    again = place(api, [(sku, 1)], shopper.default_address.pk)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["orders"] == first.json()["orders"]
    assert Order.objects.count() == 1
    assert StockItem.objects.get(sku=sku).reserved == 1


def test_same_key_different_body_is_refused_and_changes_nothing(
    shopper, listed_sku, api_as
):
    sku = listed_sku("10.00")
    api = api_as(shopper)
    place(api, [(sku, 1)], shopper.default_address.pk)
    resp = place(api, [(sku, 2)], shopper.default_address.pk)
    assert resp.status_code == 409
    assert resp.json()["error"]["code"] == "idempotency_key_reused"
    assert Order.objects.count() == 1
    assert StockItem.objects.get(sku=sku).reserved == 1


def test_more_than_in_stock_is_refused_and_nothing_is_placed(
    shopper, listed_sku, api_as
):
    sku = listed_sku("10.00", quantity=2)
    other = listed_sku("10.00", quantity=9)
    resp = place(api_as(shopper), [(other, 1), (sku, 3)], shopper.default_address.pk)
    assert resp.status_code == 409
    assert resp.json()["error"]["message"].startswith("Only 2 left of")
    assert nothing_placed()
    assert StockItem.objects.get(sku=other).reserved == 0


@pytest.mark.parametrize(
    ("lines", "status"),
    [
        ([{"sku_id": 999999, "quantity": 1}], 404),
        ([{"sku_id": "SKU", "quantity": 1}], 422),
        ([{"sku_id": 1, "quantity": -1}], 422),
        ([{"sku_id": 1, "quantity": 0}], 422),
        ([{"sku_id": 1, "quantity": 10**30}], 422),
        ([{"sku_id": 10**30, "quantity": 1}], 422),
        ([], 422),
    ],
)
def test_bad_lines_get_a_clear_4xx_and_change_nothing(shopper, api_as, lines, status):
    resp = api_as(shopper).post(
        "checkout/place",
        {"lines": lines, "address_id": shopper.default_address.pk},
        headers={"Idempotency-Key": "bad"},
    )
    assert resp.status_code == status, resp.content
    assert resp.json()["error"]["message"]
    assert nothing_placed()


def test_malformed_json_is_a_400(shopper, api_as):
    resp = api_as(shopper).post(
        "checkout/place", raw="{not json", headers={"Idempotency-Key": "k"}
    )
    assert resp.status_code == 400
    assert resp.json()["error"]["code"] == "malformed_json"
    assert nothing_placed()


def test_missing_idempotency_key_is_refused(shopper, listed_sku, api_as):
    sku = listed_sku()
    resp = api_as(shopper).post(
        "checkout/place",
        {
            "lines": [{"sku_id": sku.pk, "quantity": 1}],
            "address_id": shopper.default_address.pk,
        },
    )
    assert resp.status_code == 422
    assert nothing_placed()


def test_someone_elses_address_is_not_found(
    shopper, listed_sku, api_as, address_factory
):
    stranger_address = address_factory()
    resp = place(api_as(shopper), [(listed_sku(), 1)], stranger_address.pk)
    assert resp.status_code == 404
    assert nothing_placed()


def test_delisted_product_cannot_be_bought(shopper, listed_sku, api_as):
    sku = listed_sku()
    sku.product.status = "delisted"
    sku.product.save()
    resp = place(api_as(shopper), [(sku, 1)], shopper.default_address.pk)
    assert resp.status_code == 409
    assert resp.json()["error"]["code"] == "not_for_sale"
    assert nothing_placed()


def test_anonymous_cannot_place(listed_sku, api_as):
    resp = api_as().post(
        "checkout/place", {"lines": []}, headers={"Idempotency-Key": "x"}
    )
    assert resp.status_code == 401


def test_inline_address_is_validated(shopper, listed_sku, api_as):
    resp = api_as(shopper).post(
        "checkout/place",
        {
            "lines": [{"sku_id": listed_sku().pk, "quantity": 1}],
            "address": {
                "recipient": "Li",
                "phone": "not a phone",
                "city": "Beijing",
                "line1": "1 Road",
            },
        },
        headers={"Idempotency-Key": "addr"},
    )
    assert resp.status_code == 422
    assert "phone" in resp.json()["error"]["message"]
    assert nothing_placed()


def test_checkout_from_cart_empties_the_cart(shopper, listed_sku, api_as):
    api = api_as(shopper)
    sku = listed_sku("30.00")
    assert (
        api.post("checkout/cart/lines", {"sku_id": sku.pk, "quantity": 2}).status_code
        == 201
    )
    resp = api.post(
        "checkout/place",
        {"address_id": shopper.default_address.pk},
        headers={"Idempotency-Key": "cart"},
    )
    assert resp.status_code == 201
    assert resp.json()["orders"][0]["items"]["minor"] == 6000
    assert api.get("checkout/cart").json() == {"lines": []}


def test_checkout_from_cart_prices_with_the_skus_read_with_its_lines(
    shopper, listed_sku, api_as
):
    api = api_as(shopper)
    tea, cup = listed_sku("30.00"), listed_sku("12.50")
    for sku in (tea, cup):
        api.post("checkout/cart/lines", {"sku_id": sku.pk, "quantity": 1})
    with CaptureQueriesContext(connection) as ctx:
        resp = api.post(
            "checkout/place",
            {"address_id": shopper.default_address.pk},
            headers={"Idempotency-Key": "cart-skus"},
        )
    assert resp.status_code == 201
    assert sorted(o["items"]["minor"] for o in resp.json()["orders"]) == [1250, 3000]
    # the cart's lines came with their SKUs, products and shops: no second read
    sku_reads = [q["sql"] for q in ctx if q["sql"].startswith('SELECT "catalog_sku"')]
    assert sku_reads == []
    # and with their cart: one read of the buyer's cart and its lines
    cart_reads = [q["sql"] for q in ctx if q["sql"].startswith('SELECT "checkout_cart')]
    assert len(cart_reads) == 1
    assert 'JOIN "checkout_cart"' in cart_reads[0]
    assert api.get("checkout/cart").json() == {"lines": []}


@pytest.mark.parametrize("lines", [1, 5])
def test_checkout_query_count_is_constant(
    shopper, listed_sku, api_as, lines, django_assert_max_num_queries
):
    skus = [listed_sku("10.00") for _ in range(lines)]
    api = api_as(shopper)
    with django_assert_max_num_queries(25):
        resp = place(api, [(s, 1) for s in skus], shopper.default_address.pk)
    assert resp.status_code == 201
    assert len(resp.json()["orders"]) == lines
