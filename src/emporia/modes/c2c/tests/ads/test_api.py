"""The ads API: campaigns and keywords for shop staff only, bad input 4xx,
sponsored slots in the search API."""

from __future__ import annotations

import pytest

from emporia.modes.c2c.models import AdChange, AdKeyword, Campaign

pytestmark = pytest.mark.django_db

CAMPAIGN = {
    "name": "Double 11",
    "daily_budget_minor": 5000,
    "start_date": "2026-11-01",
    "hour_from": 0,
    "hour_to": 24,
}


def test_a_seller_opens_a_campaign_and_bids_on_a_keyword(
    api_as, advertised, frozen_clock
):
    product = advertised()
    api = api_as(product.owner)
    made = api.post(
        f"c2c/ads/shops/{product.shop_id}/campaigns",
        {**CAMPAIGN, "product_ids": [product.pk]},
    )
    assert made.status_code == 201, made.content
    campaign_id = made.json()["id"]
    assert made.json()["daily_budget"] == {
        "minor": 5000,
        "currency": "CNY",
        "amount": "50.00",
    }
    keyword = api.post(
        f"c2c/ads/campaigns/{campaign_id}/keywords",
        {"text": "红色 连衣裙", "bid_minor": 120, "match": "exact"},
    )
    assert keyword.status_code == 201, keyword.content
    assert keyword.json()["words"] == ["红色", "连衣裙"]
    changed = api.patch(f"c2c/ads/keywords/{keyword.json()['id']}", {"bid_minor": 150})
    assert changed.json()["bid"]["minor"] == 150
    paused = api.post(
        f"c2c/ads/campaigns/{campaign_id}/status", {"status": "paused", "reason": "x"}
    )
    assert paused.json()["status"] == "paused"
    assert list(AdChange.objects.order_by("id").values_list("action", "actor_id")) == [
        ("created", product.owner.pk),
        ("keyword_added", product.owner.pk),
        ("keyword_changed", product.owner.pk),
        ("paused", product.owner.pk),
    ]
    detail = api.get(f"c2c/ads/campaigns/{campaign_id}").json()
    assert [k["bid"]["minor"] for k in detail["keywords"]] == [150]


@pytest.mark.parametrize(
    ("bid", "status"),
    [(9, 422), (1, 422), (10_001, 422), (0, 422), (-5, 422), ("abc", 422)],
)
def test_bad_bids_are_refused_and_nothing_changes(
    api_as, advertised, campaign_for, bid, status
):
    product = advertised()
    campaign, _ = campaign_for(product, "连衣裙")
    response = api_as(product.owner).post(
        f"c2c/ads/campaigns/{campaign.pk}/keywords",
        {"text": "裙子", "bid_minor": bid},
    )
    assert response.status_code == status
    assert AdKeyword.objects.count() == 1


def test_bad_campaigns_are_refused(api_as, advertised, listed_sku):
    product = advertised()
    stranger_product = listed_sku().product
    api = api_as(product.owner)
    url = f"c2c/ads/shops/{product.shop_id}/campaigns"
    cases = [
        {**CAMPAIGN, "product_ids": [stranger_product.pk]},
        {**CAMPAIGN, "product_ids": [product.pk], "daily_budget_minor": 5},
        {**CAMPAIGN, "product_ids": [product.pk], "end_date": "2026-10-01"},
        {**CAMPAIGN, "product_ids": [product.pk], "hour_from": 20, "hour_to": 8},
        {**CAMPAIGN, "product_ids": []},
        {**CAMPAIGN, "product_ids": [product.pk], "name": "   "},
    ]
    for body in cases:
        response = api.post(url, body)
        assert response.status_code == 422, (body, response.content)
    assert Campaign.objects.count() == 0


def test_another_shop_cannot_see_or_touch_a_campaign(
    api_as, advertised, campaign_for, user_factory
):
    product = advertised()
    campaign, keyword = campaign_for(product, "连衣裙")
    other = advertised(zh="别人的裙子")
    api = api_as(other.owner)
    assert api.get(f"c2c/ads/campaigns/{campaign.pk}").status_code == 404
    assert api.get(f"c2c/ads/campaigns/{campaign.pk}/report").status_code == 404
    assert (
        api.post(
            f"c2c/ads/campaigns/{campaign.pk}/status", {"status": "paused"}
        ).status_code
        == 404
    )
    assert (
        api.patch(f"c2c/ads/keywords/{keyword.pk}", {"bid_minor": 1000}).status_code
        == 404
    )
    assert (
        api.post(
            f"c2c/ads/shops/{product.shop_id}/campaigns",
            {**CAMPAIGN, "product_ids": [product.pk]},
        ).status_code
        == 404
    )
    assert api.get(f"c2c/ads/shops/{product.shop_id}/campaigns").status_code == 404
    assert api_as().get(f"c2c/ads/campaigns/{campaign.pk}").status_code == 401
    keyword.refresh_from_db()
    campaign.refresh_from_db()
    assert (keyword.bid_minor, campaign.status) == (100, "active")


def test_the_search_api_carries_labelled_sponsored_slots(
    api_as, advertised, campaign_for
):
    product = advertised()
    campaign_for(product, "连衣裙")
    body = api_as().get("/api/search/", {"q": "连衣裙"}).json()
    assert [i["id"] for i in body["items"]] == [product.pk]
    assert [(s["id"], s["sponsored"]) for s in body["sponsored"]] == [
        (product.pk, True)
    ]
    assert (
        api_as().get("/api/search/", {"q": "连衣裙", "page": 2}).json()["sponsored"]
        == []
    )
