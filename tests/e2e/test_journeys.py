"""The main journey, in a real browser: a new visitor signs up, searches in
Chinese, picks a SKU, checks out, pays on the sandbox page and sees the order
paid; the seller ships it; the buyer confirms receipt and reviews; the
seller sees the money move from escrow to available."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from emporia.core.orders.models import Order
from emporia.core.search import services as search
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SELLER_PASSWORD = "correct horse battery"


@pytest.fixture
def tea_shop(
    user_factory, shop_factory, category_factory, product_factory, sku_factory
):
    seller = user_factory(email="seller@example.com", display_name="茶铺老板")
    shop = shop_factory(name="西湖茶铺", owner=seller)
    category = category_factory(slug="tea", names={"en": "Tea", "zh-hans": "茶叶"})
    product = product_factory(
        shop=shop,
        category=category,
        names={"en": "West Lake Longjing tea", "zh-hans": "西湖龙井绿茶"},
        descriptions={"en": "Picked before Qingming.", "zh-hans": "明前采摘。"},
    )
    for code, size, price in (("LJ-100", "100g", "88"), ("LJ-250", "250g", "198")):
        sku = sku_factory(
            product=product, code=code, attributes={"规格": size}, price=Decimal(price)
        )
        factories.stock(sku, 10)
    category_factory(slug="teaware", names={"en": "Teaware", "zh-hans": "茶具"})
    search.reindex_product(product_id=product.pk)
    return {"seller": seller, "shop": shop, "product": product}


def _log_in(page, base, login, password):
    page.goto(f"{base}/account/login/")
    page.get_by_label("Email or mobile number").fill(login)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def _reload_until(page, test_id: str, text: str, tries: int = 40) -> str:
    seen = ""
    for _ in range(tries):
        seen = page.get_by_test_id(test_id).first.inner_text()
        if seen == text:
            break
        page.wait_for_timeout(250)
        page.reload()
    return seen


def test_buy_ship_confirm_review_and_settle(
    new_page, callbacks_to_live_server, tea_shop, shots
):
    base = callbacks_to_live_server.url
    buyer = new_page()

    # A new visitor lands on the storefront and signs up.
    buyer.goto(base + "/")
    expect(buyer).to_have_title("Shop everything · Emporia")
    expect(buyer.get_by_role("link", name="Tea", exact=True)).to_be_visible()
    shots(buyer, "home")
    buyer.get_by_role("link", name="Sign up").click()
    buyer.get_by_label("Display name").fill("小红")
    buyer.get_by_label("Email").fill("hong@example.com")
    buyer.get_by_label("Password").fill("a long passphrase 2026")
    shots(buyer, "sign up")
    buyer.get_by_role("button", name="Sign up").click()
    expect(buyer.get_by_text("Welcome to Emporia!")).to_be_visible()

    # She searches in Chinese and opens the product.
    buyer.get_by_role("searchbox", name="Search products").fill("龙井")
    buyer.keyboard.press("Enter")
    buyer.wait_for_url(re.compile(r"/search/\?q="))
    assert "1 product found" in buyer.get_by_test_id("result-count").inner_text()
    shots(buyer, "search results")
    buyer.get_by_test_id("product-card").first.get_by_role("link").click()
    assert buyer.get_by_test_id("product-name").inner_text() == "West Lake Longjing tea"

    # She picks the 250 g SKU; the price follows the choice.
    buyer.get_by_label(re.compile("250g")).check()
    assert buyer.get_by_test_id("price").inner_text() == "CN¥198.00"
    buyer.get_by_label("Quantity").fill("2")
    shots(buyer, "product")
    buyer.get_by_test_id("add-to-cart").click()
    buyer.wait_for_url(re.compile(r"/cart/$"))
    assert buyer.locator("#cart-count").inner_text() == "2"
    assert (
        buyer.get_by_test_id("cart-shop").get_by_role("heading").inner_text()
        == "西湖茶铺"
    )
    shots(buyer, "cart")

    # Checkout: no address yet, so she adds one and comes back.
    buyer.get_by_test_id("checkout").click()
    buyer.get_by_role("link", name="Add an address").click()
    buyer.get_by_label("Recipient").fill("小红")
    buyer.get_by_label("Phone").fill("13800138000")
    buyer.get_by_label("City").fill("杭州市")
    buyer.get_by_label("Street address").fill("文三路 100 号")
    buyer.get_by_role("button", name="Save address").click()
    buyer.wait_for_url(re.compile(r"/checkout/$"))
    total = buyer.get_by_test_id("quote-total").inner_text()
    assert total.startswith("CN¥")
    shots(buyer, "checkout")
    buyer.get_by_test_id("place-order").click()

    # The sandbox gateway's hosted page; paying sends her back to her orders.
    buyer.wait_for_url(re.compile(r"/sandbox-pay/"))
    assert "¥" in buyer.get_by_test_id("amount").inner_text()
    shots(buyer, "sandbox pay")
    buyer.get_by_role("button", name=re.compile("Pay")).click()
    buyer.wait_for_url(re.compile(r"/account/orders/$"))
    # The gateway's signed callback reaches the live server a moment later,
    # over HTTP, as a real provider's would.
    assert _reload_until(buyer, "order-status", "Paid") == "Paid"
    shots(buyer, "orders paid")
    order = Order.objects.get(buyer__email="hong@example.com")
    assert order.status == "paid"

    # The seller logs in and ships it.
    seller = new_page()
    _log_in(seller, base, "seller@example.com", SELLER_PASSWORD)
    seller.goto(base + "/seller/")
    expect(seller).to_have_title("西湖茶铺 — dashboard · Emporia")
    assert seller.get_by_test_id("orders-30d").inner_text() == "1"
    seller.wait_for_function("document.querySelector('#sales-chart').width > 0")
    shots(seller, "seller dashboard", doc="seller-center.png")
    seller.get_by_role("link", name="Money").click()
    held = seller.get_by_test_id("held").inner_text()
    assert held == order.total.format("en")
    assert seller.get_by_test_id("available").inner_text() == "CN¥0.00"
    shots(seller, "money held")
    seller.get_by_role("link", name="Orders", exact=True).click()
    seller.get_by_role("link", name=order.number).click()
    seller.get_by_label("Carrier").fill("顺丰速运")
    seller.get_by_label("Tracking number").fill("SF1234567890")
    seller.get_by_test_id("ship").click()
    assert seller.get_by_test_id("order-status").inner_text() == "Shipped"
    shots(seller, "order shipped")

    # The buyer confirms receipt and reviews what she bought.
    buyer.get_by_role("link", name=order.number).click()
    assert buyer.get_by_test_id("order-status").inner_text() == "Shipped"
    expect(buyer.get_by_text("SF1234567890", exact=True)).to_be_visible()
    buyer.get_by_test_id("confirm-receipt").click()
    assert buyer.get_by_test_id("order-status").inner_text() == "Completed"
    timeline = buyer.get_by_test_id("timeline").inner_text()
    for step in ("Awaiting payment", "Paid", "Shipped", "Delivered", "Completed"):
        assert step in timeline
    buyer.get_by_label("Rating (5 is best)").select_option("5")
    buyer.get_by_label("Your review").fill("茶香浓郁，回甘明显。")
    shots(buyer, "review")
    buyer.get_by_test_id("submit-review").click()
    expect(buyer.get_by_test_id("reviewed")).to_be_visible()
    buyer.goto(f"{base}/p/{tea_shop['product'].pk}/")
    assert "茶香浓郁" in buyer.get_by_test_id("review").first.inner_text()
    shots(buyer, "product with review", doc="storefront.png")

    # The seller sees the money leave escrow and become available.
    seller.get_by_role("link", name="Money").click()
    assert seller.get_by_test_id("held").inner_text() == "CN¥0.00"
    available = seller.get_by_test_id("available").inner_text()
    assert available not in ("CN¥0.00", held)  # less the platform commission
    shots(seller, "money available")


def test_phone_visitor_in_chinese_keeps_her_cart_through_login(
    new_page, live_server, tea_shop, user_factory, address_factory, shots
):
    buyer = user_factory(mobile="13700000007", display_name="小李")
    address_factory(user=buyer)
    page = new_page(locale="zh-CN", width=390, height=844)
    base = live_server.url

    page.goto(base + "/")
    expect(page).to_have_title("全部好物 · Emporia")
    shots(page, "home phone zh")
    page.get_by_role("link", name="茶叶", exact=True).click()
    expect(page).to_have_title("茶叶 · Emporia")
    page.get_by_test_id("product-card").first.get_by_role("link").click()
    assert page.get_by_test_id("product-name").inner_text() == "西湖龙井绿茶"
    page.get_by_label(re.compile("100g")).check()
    shots(page, "product phone zh")
    page.get_by_test_id("add-to-cart").click()
    assert page.locator("#cart-count").inner_text() == "1"
    expect(page.get_by_text("已加入购物车。")).to_be_visible()
    shots(page, "cart anonymous")

    # Checkout asks her to log in (by mobile number); her cart comes along.
    page.get_by_test_id("checkout").click()
    page.wait_for_url(re.compile(r"/account/login/\?next="))
    page.get_by_label("邮箱或手机号").fill("137 0000 0007")
    page.get_by_label("密码").fill("correct horse battery")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/checkout/$"))
    expect(page).to_have_title("结账 · Emporia")
    assert "西湖茶铺" in page.get_by_test_id("quote-order").inner_text()
    assert page.get_by_test_id("quote-total").inner_text().startswith("¥")
    shots(page, "checkout phone zh")

    # Another shop's seller center is not hers to see.
    response = page.goto(f"{base}/seller/{tea_shop['shop'].pk}/orders/")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "未找到"
    shots(page, "not found")

    # She switches the language to English with the header menu.
    page.goto(base + "/")
    with page.expect_navigation():
        page.get_by_label("语言").select_option("en")
    expect(page).to_have_title("Shop everything · Emporia")
