"""Keyword ads in a real browser: a seller opens a campaign with a keyword
and a bid; a visitor searches that keyword, sees the labelled sponsored
slot and clicks it (charged once; the second click is free); the seller's
report shows the click and the spend. Against a rival, a click costs the
second price, and the ad leaves the results once its budget can't pay."""

from __future__ import annotations

import re
import uuid
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from emporia.core.ledger import selectors as ledger_selectors
from emporia.core.ledger import services as ledger
from emporia.core.search import services as search
from emporia.kernel import clock
from emporia.kernel.money import Money
from emporia.modes.c2c.ads import campaigns, impressions
from emporia.modes.c2c.models import AdClick
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"


@pytest.fixture
def dress_shop(
    user_factory, shop_factory, category_factory, product_factory, sku_factory
):
    impressions.discard()
    seller = user_factory(email="dress@example.com", display_name="裙子店主")
    shop = shop_factory(name="江南裙坊", owner=seller)
    category = category_factory(
        slug="dresses", names={"en": "Dresses", "zh-hans": "连衣裙"}
    )
    product = product_factory(
        shop=shop,
        category=category,
        names={"en": "Silk summer dress", "zh-hans": "真丝夏季连衣裙"},
    )
    sku = sku_factory(product=product, code="SILK-1", price=Decimal("299"))
    factories.stock(sku, 10)
    search.reindex_product(product_id=product.pk)
    ledger.post(
        key=f"test:fund:{uuid.uuid4().hex}",
        kind="test_funding",
        legs=[
            ledger.Leg.debit("platform:psp_clearing:CNY", Money(100_00, "CNY")),
            ledger.Leg.credit(f"shop:{shop.pk}:payable:CNY", Money(100_00, "CNY")),
        ],
    )
    return {"seller": seller, "shop": shop, "product": product}


def test_seller_buys_a_keyword_and_a_visitor_click_is_charged_once(
    new_page, live_server, dress_shop, shots
):
    base = live_server.url
    shop, product = dress_shop["shop"], dress_shop["product"]

    # The seller opens a campaign for the dress in the seller center.
    seller = new_page()
    seller.goto(f"{base}/account/login/")
    seller.get_by_label("Email or mobile number").fill("dress@example.com")
    seller.get_by_label("Password").fill(PASSWORD)
    seller.get_by_role("button", name="Log in").click()
    seller.goto(f"{base}/seller/{shop.pk}/")
    seller.get_by_role("link", name="Keyword ads").click()
    expect(seller).to_have_title(re.compile("keyword ads"))
    seller.get_by_label("Campaign name").fill("Summer dresses")
    seller.get_by_label("Daily budget (CNY)").fill("20")
    seller.get_by_label("Products:", exact=True).select_option(str(product.pk))
    shots(seller, "new campaign")
    seller.get_by_role("button", name="Start campaign").click()
    seller.wait_for_url(re.compile(rf"/seller/{shop.pk}/ads/\d+/$"))
    seller.get_by_label("Keyword:", exact=True).fill("连衣裙")
    seller.get_by_label("Bid per click (CNY)").fill("0.80")
    seller.get_by_role("button", name="Add keyword").click()
    assert seller.get_by_test_id("keyword-row").first.inner_text().startswith("连衣裙")
    campaign_url = seller.url

    # A visitor searches the keyword and sees the labelled sponsored slot.
    visitor = new_page(locale="zh-CN")
    visitor.goto(f"{base}/search/?q=连衣裙")
    slot = visitor.get_by_test_id("sponsored-card")
    assert slot.count() == 1
    assert visitor.get_by_test_id("ad-label").inner_text() == "广告"
    assert "真丝夏季连衣裙" in slot.inner_text()
    shots(visitor, "sponsored slot", doc="c2c-ads-sponsored.png")

    # She clicks it, comes back and clicks it again.
    slot.get_by_role("link").click()
    visitor.wait_for_url(re.compile(rf"/p/{product.pk}/$"))
    visitor.go_back()
    visitor.get_by_test_id("sponsored-card").get_by_role("link").click()
    visitor.wait_for_url(re.compile(rf"/p/{product.pk}/$"))
    assert list(AdClick.objects.order_by("id").values_list("charged", "reason")) == [
        (True, ""),
        (False, "repeat"),
    ]
    # the only ad pays the reserve price, 0.10, once
    assert ledger_selectors.balance(f"shop:{shop.pk}:payable:CNY").minor == 100_00 - 10

    # The seller's report shows the click and the spend.
    seller.goto(campaign_url)
    row = seller.get_by_test_id("keyword-row").first
    assert row.get_by_test_id("kw-clicks").inner_text() == "1"
    assert row.get_by_test_id("kw-spend").inner_text() == "CN¥0.10"
    assert int(row.get_by_test_id("kw-impressions").inner_text()) >= 1
    shots(seller, "campaign report", doc="c2c-ads-report.png")


def _campaign(shop, owner, product, *, budget: str, bid: str):
    campaign = campaigns.create_campaign(
        shop_id=shop.pk,
        by=owner,
        name=f"{shop.name} dresses",
        daily_budget=Money.from_decimal(budget, "CNY"),
        start_date=clock.now().date(),
        product_ids=[product.pk],
    )
    campaigns.add_keyword(
        campaign_id=campaign.pk,
        by=owner,
        text="连衣裙",
        bid=Money.from_decimal(bid, "CNY"),
    )
    return campaign


def test_a_click_costs_the_second_price_and_the_ad_stops_at_its_budget(
    new_page,
    live_server,
    dress_shop,
    user_factory,
    shop_factory,
    product_factory,
    sku_factory,
    shots,
):
    base = live_server.url
    shop, product = dress_shop["shop"], dress_shop["product"]
    # A rival bids 0.50 on the same keyword; the dress shop bids 0.80 with a
    # daily budget of 1.00.
    rival_owner = user_factory(email="rival@example.com")
    rival = shop_factory(name="北城衣橱", owner=rival_owner)
    rival_product = product_factory(
        shop=rival,
        category=product.category,
        names={"en": "Cotton dress", "zh-hans": "纯棉连衣裙"},
    )
    factories.stock(sku_factory(product=rival_product, price=Decimal("99")), 10)
    search.reindex_product(product_id=rival_product.pk)
    ledger.post(
        key=f"test:fund:{uuid.uuid4().hex}",
        kind="test_funding",
        legs=[
            ledger.Leg.debit("platform:psp_clearing:CNY", Money(100_00, "CNY")),
            ledger.Leg.credit(f"shop:{rival.pk}:payable:CNY", Money(100_00, "CNY")),
        ],
    )
    _campaign(rival, rival_owner, rival_product, budget="50", bid="0.50")
    _campaign(shop, dress_shop["seller"], product, budget="1.00", bid="0.80")

    # The first visitor sees both ads, the higher bid first, and clicks it.
    first = new_page(locale="zh-CN")
    first.goto(f"{base}/search/?q=连衣裙")
    cards = first.get_by_test_id("sponsored-card")
    expect(cards).to_have_count(2)
    assert "真丝夏季连衣裙" in cards.nth(0).inner_text()
    assert "纯棉连衣裙" in cards.nth(1).inner_text()
    shots(first, "two ads ranked by bid")
    cards.nth(0).get_by_role("link").click()
    first.wait_for_url(re.compile(rf"/p/{product.pk}/$"))

    # It costs the least that keeps the slot: the rival's 0.50 + 0.01, not 0.80.
    click = AdClick.objects.get(shop_id=shop.pk)
    assert (click.charged, click.price_minor) == (True, 51)
    assert ledger_selectors.balance(f"shop:{shop.pk}:payable:CNY").minor == (
        100_00 - 51
    )

    # 0.49 of the budget is left, less than the bid: the next visitor sees
    # only the rival's ad, and nothing more is spent.
    second = new_page(locale="zh-CN")
    second.goto(f"{base}/search/?q=连衣裙")
    cards = second.get_by_test_id("sponsored-card")
    expect(cards).to_have_count(1)
    assert "纯棉连衣裙" in cards.inner_text()
    shots(second, "the budget is spent")
    assert ledger_selectors.balance(f"shop:{shop.pk}:payable:CNY").minor == (
        100_00 - 51
    )
