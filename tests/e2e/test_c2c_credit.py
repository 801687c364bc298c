"""C2C credit in a real browser: a buyer rates a completed trade good with
detailed scores, the seller replies, and the public shop page shows the new
credit level (the fourth point: one heart) and the rating with the reply."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from emporia.core.checkout import services as checkout
from emporia.core.fulfilment import services as fulfilment
from emporia.core.orders import services as order_services
from emporia.modes.c2c.services import credit
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"


@pytest.fixture
def market(user_factory, shop_factory, category_factory, product_factory, sku_factory):
    seller = user_factory(email="lao.wang@example.com", display_name="老王")
    shop = shop_factory(name="老王的茶摊", owner=seller, kind="individual")
    tea = category_factory(slug="tea", names={"en": "Tea", "zh-hans": "茶叶"})
    product = product_factory(
        shop=shop, category=tea, names={"en": "Pu'er cake", "zh-hans": "普洱茶饼"}
    )
    sku = sku_factory(product=product, price=Decimal("58"))
    factories.stock(sku, 50)
    return {"seller": seller, "shop": shop, "sku": sku}


def _completed(sku, buyer, address_factory, sandbox, seller):
    address = address_factory(user=buyer)
    placed = checkout.place_order(
        buyer=buyer,
        idempotency_key=uuid.uuid4().hex,
        lines=[checkout.WantedLine(sku.pk, 1)],
        address_id=address.pk,
    )
    order = placed.checkout.orders.get()
    sandbox.pay(placed.checkout.payment)
    order.refresh_from_db()
    fulfilment.ship_order(
        order=order, by=seller, carrier="SF", tracking_number=uuid.uuid4().hex[:10]
    )
    order.refresh_from_db()
    return order_services.confirm_receipt(order=order, buyer=buyer)


def _log_in(page, base, email):
    page.goto(f"{base}/account/login/")
    page.get_by_label("Email or mobile number").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_rate_reply_and_see_the_credit_level(
    new_page, live_server, market, user_factory, address_factory, sandbox, shots
):
    base = live_server.url
    seller, shop = market["seller"], market["shop"]
    # three earlier buyers rated the shop good: three points, no level yet
    for i in range(3):
        earlier = user_factory(display_name=f"Earlier {i}")
        order = _completed(market["sku"], earlier, address_factory, sandbox, seller)
        credit.rate_trade(
            buyer=earlier,
            order_id=order.pk,
            verdict="good",
            description=5,
            service=5,
            logistics=5,
        )
    buyer = user_factory(email="xiao.li@example.com", display_name="小李")
    order = _completed(market["sku"], buyer, address_factory, sandbox, seller)

    # the buyer rates the completed trade from the order page
    page = new_page()
    _log_in(page, base, buyer.email)
    page.goto(f"{base}/account/orders/{order.pk}/")
    page.get_by_test_id("rate-trade").click()
    expect(page.get_by_role("heading", name="How was this trade?")).to_be_visible()
    page.get_by_label("Good").check()
    page.get_by_label("Item as described").select_option("5")
    page.get_by_label("Seller's service").select_option("4")
    page.get_by_label("Delivery speed").select_option("5")
    page.get_by_label("Tell other buyers about this trade").fill("茶很香，发货快")
    shots(page, "buyer rates the trade", doc="c2c-credit-rate.png")
    page.get_by_test_id("submit-rating").click()
    expect(page.get_by_text("Thanks for rating this trade.")).to_be_visible()
    assert "茶很香，发货快" in page.get_by_test_id("my-rating").inner_text()

    # the seller replies from the seller center
    seller_page = new_page()
    _log_in(seller_page, base, seller.email)
    seller_page.goto(f"{base}/seller/{shop.pk}/ratings/")
    seller_page.get_by_role("link", name="Ratings").first.wait_for()
    card = seller_page.get_by_test_id("seller-rating").filter(has_text="茶很香")
    card.get_by_label("Reply (once, public)").fill("谢谢惠顾，欢迎再来！")
    card.get_by_role("button", name="Publish reply").click()
    expect(seller_page.get_by_text("Your reply is published.")).to_be_visible()
    seller_page.goto(f"{base}/seller/{shop.pk}/growth/")
    expect(
        seller_page.get_by_role("heading", name="What holds the shop back")
    ).to_be_visible()
    shots(seller_page, "growth center", doc="c2c-growth-center.png")

    # any visitor sees one heart, four points and the rating with the reply
    visitor = new_page()
    visitor.goto(f"{base}/shops/{shop.pk}/")
    level = visitor.get_by_test_id("shop-credit").get_by_test_id("credit-level")
    assert level.inner_text().startswith("♥")
    assert "Seller level: 1 hearts" in level.inner_text()
    assert "4 credit points" in level.inner_text()
    rating = visitor.get_by_test_id("trade-rating").filter(has_text="茶很香，发货快")
    assert "谢谢惠顾，欢迎再来！" in rating.get_by_test_id("rating-reply").inner_text()
    shots(visitor, "shop page with credit", doc="c2c-shop-credit.png")
    # and the product page's shop card shows the level too
    visitor.goto(f"{base}/p/{market['sku'].product_id}/")
    assert "♥" in visitor.get_by_test_id("shop-card").inner_text()
