"""Ad pages: the labelled sponsored slot on the search page, the click
redirect, the seller center's campaign pages (others' campaigns 404)."""

from __future__ import annotations

import pytest
from django.test import Client

from emporia.modes.c2c.models import AdClick, AdKeyword, Campaign

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_search_page_labels_the_slot_and_the_click_is_charged_once(
    advertised, campaign_for
):
    product = advertised()
    campaign_for(product, "连衣裙")
    shopper = Client()
    page = shopper.get("/search/", {"q": "连衣裙"})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="sponsored"' in html
    assert html.count('data-testid="ad-label"') == 1
    href = html.split('href="/ads/click/')[1].split('"')[0]
    first = shopper.get("/ads/click/" + href)
    again = shopper.get("/ads/click/" + href)
    assert first.status_code == again.status_code == 302
    assert first["Location"] == f"/p/{product.pk}/"
    assert list(AdClick.objects.order_by("id").values_list("charged", "reason")) == [
        (True, ""),
        (False, "repeat"),
    ]


def test_a_tampered_click_link_is_a_422_page(advertised, campaign_for):
    response = Client().get("/ads/click/not-a-token/")
    assert response.status_code == 422
    assert AdClick.objects.count() == 0


def test_a_seller_creates_a_campaign_and_a_keyword_in_the_seller_center(
    advertised, frozen_clock
):
    product = advertised()
    client = login(product.owner)
    base = f"/seller/{product.shop_id}/ads/"
    assert client.get(base).status_code == 200
    made = client.post(
        base,
        {
            "name": "双11",
            "daily_budget": "30",
            "start_date": "2026-11-11",
            "hour_from": "0",
            "hour_to": "24",
            "product_ids": [str(product.pk)],
        },
    )
    campaign = Campaign.objects.get()
    assert made.status_code == 302
    assert made["Location"] == f"{base}{campaign.pk}/"
    added = client.post(
        f"{base}{campaign.pk}/", {"text": "连衣裙", "bid": "0.80", "match": "broad"}
    )
    assert added.status_code == 302
    keyword = AdKeyword.objects.get()
    assert (keyword.text, keyword.bid_minor) == ("连衣裙", 80)
    bad = client.post(
        f"{base}{campaign.pk}/", {"text": "裙子", "bid": "0.05", "match": "broad"}
    )
    assert bad.status_code == 422
    assert AdKeyword.objects.count() == 1
    client.post(f"{base}{campaign.pk}/keywords/{keyword.pk}/", {"bid": "1.20"})
    keyword.refresh_from_db()
    assert keyword.bid_minor == 120
    client.post(f"{base}{campaign.pk}/status/")
    campaign.refresh_from_db()
    assert campaign.status == "paused"
    page = client.get(f"{base}{campaign.pk}/")
    assert page.status_code == 200
    assert "ads-chart-data" in page.content.decode()


def test_another_seller_gets_404_on_a_campaign(advertised, campaign_for):
    product = advertised()
    campaign, keyword = campaign_for(product, "连衣裙")
    other = advertised(zh="别的")
    client = login(other.owner)
    own_base = f"/seller/{other.shop_id}/ads/"
    their_base = f"/seller/{product.shop_id}/ads/"
    assert client.get(f"{their_base}{campaign.pk}/").status_code == 404
    assert client.get(f"{own_base}{campaign.pk}/").status_code == 404
    assert client.post(f"{own_base}{campaign.pk}/status/").status_code == 404
    assert (
        client.post(
            f"{their_base}{campaign.pk}/keywords/{keyword.pk}/", {"bid": "9"}
        ).status_code
        == 404
    )
    campaign.refresh_from_db()
    keyword.refresh_from_db()
    assert (campaign.status, keyword.bid_minor) == ("active", 100)
