"""Browser journeys for the product page's SKU picker by attribute, the
seller's tracking scans and the buyer's return ship-back page."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from emporia.core.accounts.models import ShopMember
from emporia.core.catalog.models import Product
from emporia.core.fulfilment import services as fulfilment
from emporia.core.fulfilment.models import ReturnRequest
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"


@pytest.fixture
def shirt(product_factory, sku_factory):
    product = product_factory(
        status=Product.Status.LISTED, names={"en": "Linen shirt", "zh-hans": "亚麻衬衫"}
    )
    for code, colour, size, price, stock in (
        ("R-M", "红色", "M", "99", 3),
        ("R-L", "红色", "L", "109", 0),
        ("B-L", "蓝色", "L", "119", 5),
    ):
        sku = sku_factory(
            product=product,
            code=code,
            attributes={"颜色": colour, "尺码": size},
            price=Decimal(price),
        )
        if stock:
            factories.stock(sku, stock)
    return product


def _log_in(page, base, login, password=PASSWORD):
    page.goto(f"{base}/account/login/")
    page.get_by_label("Email or mobile number").fill(login)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_pick_colour_and_size_then_add_to_cart(new_page, live_server, shirt, shots):
    page = new_page()
    page.goto(f"{live_server.url}/p/{shirt.pk}/")
    size = page.get_by_role("group", name="尺码")
    colour = page.get_by_role("group", name="颜色")
    expect(size).to_be_visible()
    assert not page.get_by_test_id("sku-select").is_visible()  # the no-JS fallback
    assert page.get_by_test_id("price").inner_text() == "CN¥99.00"
    # Size M comes only in red: blue cannot be picked with it.
    assert colour.get_by_label("蓝色").is_disabled()
    shots(page, "picker red M")

    size.get_by_label("L").check()
    # Red L is sold out: the colour moves to blue and red is disabled.
    assert colour.get_by_label("蓝色").is_checked()
    assert colour.get_by_label("红色").is_disabled()
    assert page.get_by_test_id("price").inner_text() == "CN¥119.00"
    assert page.get_by_test_id("sku-code").inner_text() == "B-L"
    assert page.get_by_test_id("stock").inner_text() == "5 left"
    shots(page, "picker blue L")

    # Back to M: red again, at its own price.
    size.get_by_label("M").check()
    assert colour.get_by_label("红色").is_checked()
    assert page.get_by_test_id("sku-code").inner_text() == "R-M"
    size.get_by_label("L").check()

    page.get_by_label("Quantity").fill("2")
    page.get_by_test_id("add-to-cart").click()
    page.wait_for_url(re.compile(r"/cart/$"))
    assert page.locator("#cart-count").inner_text() == "2"
    assert re.search(
        r"蓝色 / L|L / 蓝色", page.get_by_test_id("cart-shop").inner_text()
    )
    shots(page, "cart")


def test_tracking_scans_and_a_return_sent_back(
    new_page, live_server, paid_order, user_factory, shots
):
    buyer = user_factory(email="buyer@example.com", display_name="小红")
    order = paid_order("80.00", quantity=1, buyer=buyer)
    seller = ShopMember.objects.get(shop=order.shop, role="owner").user
    seller.email = "seller@example.com"
    seller.save()
    fulfilment.ship_order(
        order=order, by=seller, carrier="顺丰速运", tracking_number="SF42"
    )
    base = live_server.url

    # The seller records the carrier's scans from the order page.
    shop_page = new_page()
    _log_in(shop_page, base, "seller@example.com")
    shop_page.goto(f"{base}/seller/{order.shop_id}/orders/{order.pk}/")
    shop_page.get_by_test_id("shipment-link").click()
    expect(shop_page).to_have_title("Tracking SF42 · Emporia")
    shop_page.get_by_label("What happened").select_option("in_transit")
    shop_page.get_by_label("Scan description").fill("到达杭州转运中心")
    shop_page.get_by_label("Place").fill("杭州")
    shop_page.get_by_test_id("record-scan").click()
    assert "到达杭州转运中心 · 杭州" in shop_page.get_by_test_id("scans").inner_text()
    shop_page.get_by_label("What happened").select_option("delivered")
    shop_page.get_by_label("Scan description").fill("已签收")
    shop_page.get_by_test_id("record-scan").click()
    assert shop_page.get_by_test_id("shipment-status").inner_text() == "Delivered"
    shots(shop_page, "tracking scans")

    # The buyer sees the scans on her order's timeline and asks for a return.
    page = new_page()
    _log_in(page, base, "buyer@example.com")
    page.goto(f"{base}/account/orders/{order.pk}/")
    assert page.get_by_test_id("order-status").inner_text() == "Delivered"
    timeline = page.get_by_test_id("timeline").inner_text()
    assert "Parcel: In transit" in timeline
    assert "到达杭州转运中心 · 杭州" in timeline
    page.get_by_text("Return items").click()
    page.get_by_label("Why are you returning it?").fill("颜色不喜欢")
    page.get_by_role("button", name="Request a return").click()
    expect(page.get_by_test_id("return")).to_contain_text("颜色不喜欢")
    ret = ReturnRequest.objects.get(order=order)
    fulfilment.approve_return(request=ret, by=seller)

    # Approved: she sends the parcel back and tells the shop how.
    page.reload()
    page.get_by_test_id("send-back").click()
    assert page.get_by_test_id("return-status").inner_text() == "Approved"
    page.get_by_label("Carrier").fill("中通快递")
    page.get_by_label("Tracking number").fill("ZT9001")
    shots(page, "ship back")
    page.get_by_test_id("ship-back").click()
    page.wait_for_url(re.compile(rf"/account/orders/{order.pk}/$"))
    timeline = page.get_by_test_id("timeline").inner_text()
    assert f"Return #{ret.pk}: Shipped back" in timeline
    assert "Sent back with 中通快递" in timeline
    shots(page, "order with return timeline")
    ret.refresh_from_db()
    assert (ret.status, ret.return_tracking) == ("shipped_back", "ZT9001")
