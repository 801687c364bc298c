"""Keyword-ad fixtures: shops with money, advertised products in the search
index, campaigns made through the services, visitors."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from emporia.core.accounts.models import ShopMember
from emporia.core.ledger import services as ledger
from emporia.core.search import services as search_services
from emporia.core.search.extensions import Visitor
from emporia.kernel.money import Money
from emporia.modes.c2c.ads import campaigns, eligible, impressions, serving


@pytest.fixture(autouse=True)
def clean_ad_buffers():
    """Impression counts, the prior and the eligible keyword map are per
    process: start each test clean."""
    impressions.discard()
    serving.reset_prior_cache()
    eligible.forget()
    yield
    impressions.discard()
    serving.reset_prior_cache()
    eligible.forget()


def cny(amount: str) -> Money:
    return Money.from_decimal(amount, "CNY")


def fund(shop, amount: str) -> None:
    """Give a shop available (payable) money, as released escrow would."""
    ledger.post(
        key=f"test:fund:{uuid.uuid4().hex}",
        kind="test_funding",
        legs=[
            ledger.Leg.debit(
                ledger.platform_account("psp_clearing", "CNY"), cny(amount)
            ),
            ledger.Leg.credit(
                ledger.shop_account(shop.pk, "payable", "CNY"), cny(amount)
            ),
        ],
    )


@pytest.fixture
def advertised(listed_sku, shop_factory, user_factory):
    """``advertised(name_zh, name_en, quantity=10, shop=None)`` → a listed,
    indexed product of a shop whose owner is ``product.owner``."""

    def make(zh="红色连衣裙", en="Red dress", quantity=10, shop=None, balance="100"):
        if shop is None:
            owner = user_factory(display_name="Seller")
            shop = shop_factory(owner=owner)
            fund(shop, balance)
        sku = listed_sku(
            "99.00",
            quantity=quantity,
            shop=shop,
            product__names={"zh-hans": zh, "en": en},
        )
        search_services.reindex_product(product_id=sku.product_id)
        product = sku.product
        product.owner = ShopMember.objects.filter(shop=shop, role="owner").first().user
        return product

    return make


@pytest.fixture
def campaign_for(frozen_clock):
    """``campaign_for(product, keyword, bid, budget="50", match="broad")`` →
    (campaign, keyword) opened by the product's shop owner."""

    def make(product, text="连衣裙", bid="1.00", budget="50", match="broad", **kw):
        campaign = campaigns.create_campaign(
            shop_id=product.shop_id,
            by=product.owner,
            name=f"Campaign {product.pk}",
            daily_budget=cny(budget),
            start_date=kw.pop("start_date", dt.date(2026, 11, 1)),
            product_ids=[product.pk],
            **kw,
        )
        keyword = campaigns.add_keyword(
            campaign_id=campaign.pk,
            by=product.owner,
            text=text,
            bid=cny(bid),
            match=match,
        )
        return campaign, keyword

    return make


@pytest.fixture
def visitor():
    """``visitor(n)`` → a distinct anonymous visitor (own session)."""

    def make(n=0, user_id=None):
        return Visitor(user_id=user_id, session_key=f"session-{n}", ip="10.0.0.1")

    return make
