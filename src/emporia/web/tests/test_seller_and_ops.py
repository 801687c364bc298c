"""Seller center and operations console through the Django test client."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from emporia.core.catalog.models import Product
from emporia.core.inventory.models import StockMovement
from emporia.core.orders.models import Order
from emporia.core.payments.models import Payout

from .conftest import title

pytestmark = pytest.mark.django_db


def test_seller_home_offers_to_open_a_shop(client_as, buyer):
    client = client_as(buyer)
    assert client.get("/seller/")["Location"] == "/seller/open/"
    response = client.post("/seller/open/", {"name": "小明杂货", "kind": "individual"})
    assert response.status_code == 302
    shop_url = response["Location"]
    dashboard = client.get(shop_url)
    assert dashboard.status_code == 200
    assert "小明杂货" in dashboard.content.decode()
    assert client.get("/seller/")["Location"] == shop_url


def test_seller_pages_render(client_as, teapot, paid_order):
    client = client_as(teapot.seller)
    shop = teapot.shop_id
    for suffix in (
        "",
        "profile/",
        "products/",
        "products/new/",
        f"products/{teapot.pk}/",
        "stock/",
        "orders/",
        "returns/",
        "money/",
    ):
        response = client.get(f"/seller/{shop}/{suffix}")
        assert response.status_code == 200, suffix
        assert title(response).endswith("· Emporia"), suffix


def test_seller_pages_of_another_shop_are_404(
    client_as, teapot, user_factory, shop_factory
):
    stranger = user_factory()
    shop_factory(owner=stranger)
    client = client_as(stranger)
    shop = teapot.shop_id
    for suffix in (
        "",
        "products/",
        f"products/{teapot.pk}/",
        "stock/",
        "orders/",
        "money/",
    ):
        assert client.get(f"/seller/{shop}/{suffix}").status_code == 404, suffix


def test_another_shops_order_and_product_through_my_shop_are_404(
    client_as, teapot, paid_order, shop_factory, user_factory
):
    order = paid_order()  # an order of some other shop
    mine = shop_factory(owner=teapot.seller)
    client = client_as(teapot.seller)
    assert client.get(f"/seller/{teapot.shop_id}/orders/{order.pk}/").status_code == 404
    assert client.get(f"/seller/{mine.pk}/products/{teapot.pk}/").status_code == 404


def test_seller_pages_need_login(client, teapot):
    response = client.get(f"/seller/{teapot.shop_id}/orders/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")


def test_create_product_add_sku_stock_and_list(client_as, teapot):
    client = client_as(teapot.seller)
    shop = teapot.shop_id
    response = client.post(
        f"/seller/{shop}/products/new/",
        {
            "name_zh": "碧螺春",
            "name_en": "Biluochun",
            "category_id": teapot.category_id,
            "code": "BLC-1",
            "attributes": "规格=50g",
            "price": "66",
            "currency": "CNY",
        },
    )
    assert response.status_code == 302
    product = Product.objects.get(names__en="Biluochun")
    url = f"/seller/{shop}/products/{product.pk}/"
    bad_sku = client.post(
        url,
        {
            "action": "add_sku",
            "code": "BLC-2",
            "attributes": "nonsense",
            "price": "1",
            "currency": "CNY",
            "weight_grams": 0,
        },
    )
    assert bad_sku.status_code == 422
    assert "名称=值" in bad_sku.content.decode()
    client.post(
        url,
        {
            "action": "add_sku",
            "code": "BLC-2",
            "attributes": "规格=100g",
            "price": "120",
            "currency": "CNY",
            "weight_grams": 100,
        },
    )
    location = teapot.shop_obj.locations.first()
    sku = product.skus.get(code="BLC-1")
    client.post(
        url,
        {
            "action": "stock",
            "sku_id": sku.pk,
            "location_id": location.pk,
            "quantity": 7,
        },
    )
    client.post(url, {"action": "status", "status": "listed"})
    product.refresh_from_db()
    assert product.status == "listed"
    assert product.skus.count() == 2
    assert "BLC-2" in client.get(url).content.decode()
    assert StockMovement.objects.filter(stock_item__sku=sku, delta=7).exists()


def test_image_upload_and_bad_file(client_as, teapot):
    client = client_as(teapot.seller)
    url = f"/seller/{teapot.shop_id}/products/{teapot.pk}/"
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buf, "PNG")
    buf.seek(0)
    buf.name = "tea.png"
    ok = client.post(url, {"action": "image", "image": buf, "alt": "一杯龙井"})
    assert ok.status_code == 302
    assert 'alt="一杯龙井"' in client.get(f"/p/{teapot.pk}/").content.decode()
    junk = io.BytesIO(b"not an image")
    junk.name = "x.png"
    bad = client.post(url, {"action": "image", "image": junk})
    assert bad.status_code == 422


def test_stock_adjustment_is_recorded(client_as, teapot):
    client = client_as(teapot.seller)
    item = teapot.small.stock.get()
    url = f"/seller/{teapot.shop_id}/stock/{item.pk}/"
    assert client.post(url, {"delta": "", "reason": ""}).status_code == 422
    assert client.post(url, {"delta": -3, "reason": "盘点"}).status_code == 302
    item.refresh_from_db()
    assert item.on_hand == 17
    page = client.get(url).content.decode()
    assert "盘点" in page


def test_seller_ships_an_order(client_as, place, sandbox):
    order, payment = place("40.00")
    sandbox.pay(payment)
    seller = order.shop.members.get().user
    client = client_as(seller)
    url = f"/seller/{order.shop_id}/orders/{order.pk}/"
    assert client.post(url, {"carrier": "", "tracking_number": ""}).status_code == 422
    assert (
        client.post(url, {"carrier": "顺丰", "tracking_number": "SF123"}).status_code
        == 302
    )
    order.refresh_from_db()
    assert order.status == "shipped"
    assert "SF123" in client.get(url).content.decode()


def test_returns_approve_and_receive(client_as, paid_order):
    from emporia.core.fulfilment import services as fulfilment
    from emporia.core.orders import services as orders

    order = paid_order("50.00")
    seller = order.shop.members.get().user
    fulfilment.ship_order(order=order, by=seller, carrier="SF", tracking_number="1")
    order.refresh_from_db()
    orders.mark_delivered(order=order)
    ret = fulfilment.request_return(
        order=order, buyer=order.buyer, lines=[(order.lines.get().pk, 1)], reason="坏了"
    )
    client = client_as(seller)
    listing = client.get(f"/seller/{order.shop_id}/returns/")
    assert "坏了" in listing.content.decode()
    url = f"/seller/{order.shop_id}/returns/{ret.pk}/"
    client.post(url, {"decision": "approve"})
    client.post(url, {"decision": "receive"})
    ret.refresh_from_db()
    assert ret.status in ("received", "refunded")
    assert client.post(url, {"decision": "nonsense"}).status_code == 400


def test_money_page_and_payout_validation(client_as, teapot):
    client = client_as(teapot.seller)
    url = f"/seller/{teapot.shop_id}/money/"
    page = client.get(url)
    assert "¥0.00" in page.content.decode()
    key = re.search(r'name="key" value="([^"]+)"', page.content.decode()).group(1)
    too_much = client.post(
        url, {"amount": "100", "bank_account": "6222020000001234", "key": key}
    )
    assert too_much.status_code == 422
    assert Payout.objects.count() == 0


def test_ops_console_is_for_operators_only(
    client, client_as, buyer, operator, paid_order
):
    order = paid_order("12.00")
    assert client.get("/ops/").status_code == 302
    assert client_as(buyer).get("/ops/").status_code == 404
    response = client_as(operator).get("/ops/")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="trial-balance"' in body
    assert "status-paid" in body  # balanced
    gmv = order.total.format("zh_Hans_CN")
    assert f'data-testid="gmv">{gmv}<' in body


def test_dashboard_counts_paid_orders(client_as, paid_order):
    order = paid_order("20.00", quantity=2)
    seller = order.shop.members.get().user
    page = client_as(seller).get(f"/seller/{order.shop_id}/").content.decode()
    assert re.search(r'data-testid="orders-30d">1<', page)
    assert "chart-data" in page
    assert Order.objects.count() == 1
