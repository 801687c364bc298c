"""C2C guaranteed trade in a real browser: a person with no business licence
opens a shop with her ID and lists a product; a buyer buys and pays on the
sandbox page; the parcel ships; the buyer opens a dispute with a photo; the
seller answers; an operator rules a partial refund; the seller's money page
shows the rest released from escrow."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from emporia.core.accounts.models import Shop
from emporia.core.catalog import services as catalog
from emporia.core.inventory import services as inventory
from emporia.core.orders.models import Order
from emporia.modes.c2c.identity import id_check_char
from emporia.modes.c2c.models import Dispute

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"


def _log_in(page, base, login, password=PASSWORD):
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


def test_no_licence_shop_sells_through_escrow_and_a_dispute_is_ruled(
    new_page,
    callbacks_to_live_server,
    user_factory,
    address_factory,
    category_factory,
    shots,
    tmp_path,
):
    base = callbacks_to_live_server.url
    knitter = user_factory(email="knitter@example.com", display_name="周阿姨")
    buyer_user = user_factory(email="buyer@example.com", display_name="小满")
    address_factory(user=buyer_user)
    user_factory(email="ops@example.com", display_name="客服", is_staff=True)
    category = category_factory(slug="knits", names={"en": "Knits", "zh-hans": "编织"})

    # A person with no licence opens a shop with her ID.
    seller = new_page()
    _log_in(seller, base, "knitter@example.com")
    seller.goto(base + "/seller/open/")
    seller.get_by_test_id("open-individual-link").click()
    seller.wait_for_url(re.compile(r"/seller/open/individual/$"))
    expect(seller).to_have_title("Open an individual shop · Emporia")
    seller.get_by_label("Shop name").fill("周阿姨手工编织")
    seller.get_by_label("Real name (as on your ID card)").fill("周秀英")
    first17 = "31010419620815004"
    seller.get_by_label("Resident ID number").fill(first17 + "0")  # a typo first
    seller.get_by_label("Mobile number").fill("13600136000")
    seller.get_by_test_id("open-individual-shop").click()
    expect(seller.get_by_text("check character is wrong")).to_be_visible()
    assert Shop.objects.count() == 0
    seller.get_by_label("Resident ID number").fill(first17 + id_check_char(first17))
    shots(seller, "open an individual shop")
    seller.get_by_test_id("open-individual-shop").click()
    seller.wait_for_url(re.compile(r"/seller/\d+/$"))
    shop = Shop.objects.get()
    assert shop.kind == "individual"

    # She lists a product (drafted with its SKU and stock beforehand).
    product = catalog.create_product(
        shop_id=shop.pk,
        by=knitter,
        names={"zh-hans": "手工羊毛围巾", "en": "Hand-knitted wool scarf"},
        category_id=category.pk,
        skus=[{"code": "SCARF", "price": "100.00", "currency": "CNY"}],
    )
    location = inventory.create_location(
        shop=shop, actor=knitter, code="home", name="家", kind="warehouse", city="上海"
    )
    inventory.set_up_stock(
        shop=shop,
        sku_id=product.skus.get().pk,
        location_id=location.pk,
        quantity=5,
        actor=knitter,
    )
    seller.goto(f"{base}/seller/{shop.pk}/products/{product.pk}/")
    seller.get_by_role("combobox", name="Listing").select_option("listed")
    seller.get_by_role("button", name="Change").click()
    assert seller.get_by_test_id("product-status").inner_text() == "listed"

    # A buyer buys it and pays on the sandbox page.
    buyer = new_page()
    _log_in(buyer, base, "buyer@example.com")
    buyer.goto(f"{base}/p/{product.pk}/")
    buyer.get_by_test_id("add-to-cart").click()
    buyer.wait_for_url(re.compile(r"/cart/$"))
    buyer.get_by_test_id("checkout").click()
    buyer.get_by_test_id("place-order").click()
    buyer.wait_for_url(re.compile(r"/sandbox-pay/"))
    buyer.get_by_role("button", name=re.compile("Pay")).click()
    buyer.wait_for_url(re.compile(r"/account/orders/$"))
    assert _reload_until(buyer, "order-status", "Paid") == "Paid"
    order = Order.objects.get(buyer=buyer_user)

    # The seller ships; her money is held in escrow.
    seller.goto(f"{base}/seller/{shop.pk}/orders/{order.pk}/")
    seller.get_by_label("Carrier").fill("中通快递")
    seller.get_by_label("Tracking number").fill("ZTO123456789")
    seller.get_by_test_id("ship").click()
    assert seller.get_by_test_id("order-status").inner_text() == "Shipped"

    # The buyer opens a dispute with a photo.
    photo = tmp_path / "scarf.png"
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), "brown").save(buf, format="PNG")
    photo.write_bytes(buf.getvalue())
    buyer.goto(f"{base}/account/orders/{order.pk}/")
    buyer.get_by_test_id("open-dispute").click()
    buyer.get_by_label("What went wrong").select_option("not_as_described")
    buyer.get_by_label("Your statement").fill("颜色和图片完全不同。")
    buyer.get_by_label("Photo (JPEG, PNG or WebP, optional)").set_input_files(
        str(photo)
    )
    shots(buyer, "open a dispute")
    buyer.get_by_test_id("submit-dispute").click()
    assert buyer.get_by_test_id("dispute-status").inner_text() == (
        "Waiting for the seller"
    )
    evidence = Dispute.objects.get().evidence.get()
    assert evidence.image.name.endswith(".png")
    photo_link = buyer.get_by_role("link", name="Evidence photo")
    assert photo_link.get_attribute("href") == f"/c2c/evidence/{evidence.pk}/image"

    # The seller answers from the seller center.
    seller.goto(f"{base}/seller/{shop.pk}/")
    seller.get_by_role("link", name="Disputes").click()
    seller.get_by_role("link", name=order.number).click()
    seller.get_by_label("Your statement").fill("灯光下有色差，愿意部分退款。")
    seller.get_by_test_id("submit-answer").click()
    assert seller.get_by_test_id("dispute-status").inner_text() == (
        "Answered by the seller"
    )
    shots(seller, "seller answered")

    # An operator rules a partial refund of ¥30.
    ops = new_page()
    _log_in(ops, base, "ops@example.com")
    ops.goto(base + "/ops/")
    ops.get_by_test_id("ops-disputes-link").click()
    dispute = Dispute.objects.get()
    ops.get_by_role("link", name=str(dispute.pk), exact=True).click()
    ops.get_by_role("combobox", name="Ruling").select_option("refund_partial")
    ops.get_by_label("Partial refund amount").fill("30.00")
    ops.get_by_label("Reason for the ruling").fill("色差属实，退款 30 元，其余放款。")
    shots(ops, "operator rules")
    ops.get_by_test_id("submit-ruling").click()
    assert (
        ops.get_by_test_id("dispute-outcome").inner_text().startswith("Partial refund")
    )

    # The seller's money page: nothing held, the remainder (70 less 5 %) available.
    seller.get_by_role("link", name="Money").click()
    assert seller.get_by_test_id("held").inner_text() == "CN¥0.00"
    assert seller.get_by_test_id("available").inner_text() == "CN¥66.50"
    assert seller.get_by_test_id("in-disputes").inner_text() == "CN¥0.00"
    shots(seller, "money released", doc="c2c-escrow-money.png")
    assert Order.objects.get(pk=order.pk).status == "completed"
