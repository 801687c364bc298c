"""Sponsored slots on search: matching, honesty, schedule, budget and balance."""

from __future__ import annotations

import datetime as dt

import pytest

from emporia.core.accounts.models import Shop
from emporia.core.catalog.models import Product
from emporia.core.search import selectors as search
from emporia.core.search import services as search_services
from emporia.modes.c2c.ads import campaigns, clicks, impressions
from emporia.modes.c2c.models import AdKeyword, AdKeywordDay
from tests import factories

from .conftest import cny

pytestmark = pytest.mark.django_db


def slots(query, visitor, **kw):
    return search.sponsored(query=query, visitor=visitor, **kw)


def test_a_matching_keyword_gets_a_labelled_slot_and_an_impression(
    advertised, campaign_for, visitor
):
    # given a campaign bidding on 连衣裙 for a red dress
    product = advertised()
    _, keyword = campaign_for(product, "连衣裙", bid="1.00")
    # when a visitor searches 红色连衣裙
    found = slots("红色 连衣裙", visitor())
    # then the dress is a sponsored slot with a signed click link
    assert [(s["id"], s["sponsored"], s["source"]) for s in found] == [
        (product.pk, True, "c2c.ads")
    ]
    assert found[0]["details"] == {"keyword": "连衣裙", "rank": 1}
    assert found[0]["click_url"].startswith("/ads/click/")
    # and one impression is counted once the buffer is written
    assert impressions.pending() == 1
    assert impressions.flush() == 1
    keyword.refresh_from_db()
    assert keyword.impressions == 1
    assert list(AdKeywordDay.objects.values_list("day", "impressions")) == [
        (dt.date(2026, 11, 11), 1)
    ]


def test_exact_match_needs_exactly_the_keyword_words(advertised, campaign_for, visitor):
    product = advertised()
    campaign_for(product, "连衣裙", match="exact")
    assert slots("红色 连衣裙", visitor()) == []
    assert [s["id"] for s in slots("连衣裙", visitor())] == [product.pk]


def test_broad_match_takes_the_words_in_any_order(advertised, campaign_for, visitor):
    product = advertised(en="Red summer dress")
    campaign_for(product, "summer dress", match="broad")
    assert [s["id"] for s in slots("dress for SUMMER", visitor())] == [product.pk]
    assert slots("summer hat", visitor()) == []


def test_out_of_stock_unlisted_or_frozen_shop_products_are_never_shown(
    advertised, campaign_for, visitor
):
    sold_out = advertised(zh="连衣裙甲", quantity=0)
    unlisted = advertised(zh="连衣裙乙")
    frozen = advertised(zh="连衣裙丙")
    for product in (sold_out, unlisted, frozen):
        campaign_for(product, "连衣裙")
    Product.objects.filter(pk=unlisted.pk).update(status=Product.Status.DRAFT)
    search_services.reindex_product(product_id=unlisted.pk)
    Shop.objects.filter(pk=frozen.shop_id).update(status=Shop.Status.FROZEN)
    assert slots("连衣裙", visitor()) == []
    assert impressions.pending() == 0
    # once restocked, the sold-out one shows
    factories.stock(sold_out.skus.get(), 5)
    assert [s["id"] for s in slots("连衣裙", visitor())] == [sold_out.pk]


def test_the_schedule_is_read_in_local_time(
    advertised, campaign_for, visitor, frozen_clock
):
    # the frozen clock says 10:00 UTC = 18:00 in Shanghai, 2026-11-11
    product = advertised()
    campaign, _ = campaign_for(product, "连衣裙", hour_from=9, hour_to=18)
    assert slots("连衣裙", visitor()) == []
    frozen_clock.advance(hours=15)  # 09:00 local the next day
    assert [s["id"] for s in slots("连衣裙", visitor())] == [product.pk]
    campaigns.update_campaign(
        campaign_id=campaign.pk,
        by=product.owner,
        name=campaign.name,
        daily_budget=cny("50"),
        start_date=dt.date(2026, 11, 1),
        end_date=dt.date(2026, 11, 11),
        hour_from=9,
        hour_to=18,
    )
    assert slots("连衣裙", visitor()) == []  # it ended yesterday


def test_a_campaign_not_started_or_paused_shows_nothing(
    advertised, campaign_for, visitor
):
    product = advertised()
    campaign_for(product, "连衣裙", start_date=dt.date(2026, 11, 12))
    assert slots("连衣裙", visitor()) == []
    other = advertised(zh="蓝色连衣裙")
    paused, _ = campaign_for(other, "连衣裙")
    campaigns.set_campaign_status(
        campaign_id=paused.pk, by=other.owner, status="paused", reason="test"
    )
    assert slots("连衣裙", visitor()) == []


def test_ads_the_budget_or_balance_cannot_pay_are_not_shown(
    advertised, campaign_for, visitor
):
    poor = advertised(zh="连衣裙甲", balance="0.50")
    campaign_for(poor, "连衣裙", bid="1.00")
    small_budget = advertised(zh="连衣裙乙")
    campaign_for(small_budget, "连衣裙", bid="1.00", budget="0.50")
    assert slots("连衣裙", visitor()) == []


def test_two_shops_are_ranked_and_priced_by_gsp(advertised, campaign_for, visitor):
    # given two shops with new keywords (same prior CTR), bids 2.00 and 1.50
    high = advertised(zh="连衣裙甲")
    low = advertised(zh="连衣裙乙")
    campaign_for(high, "连衣裙", bid="2.00")
    campaign_for(low, "连衣裙", bid="1.50")
    found = slots("连衣裙", visitor())
    # then the higher bid is first; with equal CTRs it pays 1.50 + 0.01
    assert [s["id"] for s in found] == [high.pk, low.pk]
    prices = [clicks.read_token(s["click_url"].split("/")[3])["m"] for s in found]
    assert prices == [151, 10]


def test_a_better_ctr_beats_a_higher_bid(advertised, campaign_for, visitor):
    clicked = advertised(zh="连衣裙甲")
    rich = advertised(zh="连衣裙乙")
    _, good = campaign_for(clicked, "连衣裙", bid="1.00")
    campaign_for(rich, "连衣裙", bid="1.50")
    # 100 impressions and 20 clicks: (20 + 2) / 200 = 11 % vs the 2 % prior
    AdKeyword.objects.filter(pk=good.pk).update(impressions=100, clicks=20)
    found = slots("连衣裙", visitor())
    assert [s["id"] for s in found] == [clicked.pk, rich.pk]


def test_a_blank_query_has_no_sponsored_slots(advertised, campaign_for, visitor):
    campaign_for(advertised(), "连衣裙")
    assert slots("   ", visitor()) == []
    assert slots("!!!", visitor()) == []
