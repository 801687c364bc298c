"""Query cost of a search with sponsored slots: the eligible keyword map is
kept per process while the ad services' version token is unchanged, the
showable check is made once per search, and lookups are batched."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from emporia.core.search import selectors as search
from emporia.modes.c2c.ads import campaigns, eligible
from emporia.modes.c2c.models import AdServingVersion

from .conftest import cny

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_shops(advertised, campaign_for):
    """Three shops bidding on 连衣裙 for one dress each."""
    found = []
    for i in range(3):
        product = advertised(zh=f"连衣裙{i}")
        found.append((*campaign_for(product, "连衣裙", bid=f"{i + 1}.00"), product))
    return found


def test_a_search_with_three_slots_costs_seven_queries(
    three_shops, visitor, django_assert_num_queries
):
    # given the process has built its keyword map (two queries, once)
    assert len(search.sponsored(query="连衣裙", visitor=visitor(1))) == 3
    # when another visitor searches
    with django_assert_num_queries(7):
        found = search.sponsored(query="连衣裙", visitor=visitor(2))
    # then: the map's version token, today's spend, the shops' balances, the
    # showable check (once, shared with the core), three for the cards
    assert [s["id"] for s in found] == [p.pk for _, _, p in reversed(three_shops)]


def test_a_query_no_keyword_matches_costs_one_query(
    three_shops, visitor, django_assert_num_queries
):
    search.sponsored(query="连衣裙", visitor=visitor(1))
    with django_assert_num_queries(1):
        assert search.sponsored(query="运动鞋", visitor=visitor(2)) == []


def test_a_change_through_the_services_renews_the_map(three_shops, visitor):
    # given a map built with three ads
    search.sponsored(query="连衣裙", visitor=visitor(1))
    held = eligible.eligible_map()
    (_campaign, keyword, product) = three_shops[2]
    # when the top bidder pauses its keyword (a new token, same transaction)
    campaigns.set_keyword(keyword_id=keyword.pk, by=product.owner, status="paused")
    # then the next search rebuilds the map and the ad is gone
    assert eligible.current_token() != held.token
    found = search.sponsored(query="连衣裙", visitor=visitor(2))
    assert product.pk not in [s["id"] for s in found]
    assert eligible.eligible_map().token == eligible.current_token()
    # and a bid change shows at once too
    (_, low, cheap) = three_shops[0]
    campaigns.set_keyword(keyword_id=low.pk, by=cheap.owner, bid=cny("9.00"))
    found = search.sponsored(query="连衣裙", visitor=visitor(3))
    assert found[0]["id"] == cheap.pk


def test_the_map_expires_after_its_ttl(three_shops, visitor, settings):
    settings.EMPORIA = {**settings.EMPORIA, "ADS_MAP_TTL_SECONDS": 0}
    first = eligible.eligible_map()
    # a zero TTL: every call rebuilds, with the same token
    second = eligible.eligible_map()
    assert second is not first
    assert second.token == first.token == AdServingVersion.objects.get().token


def test_the_first_search_of_a_process_also_builds_the_map(three_shops, visitor):
    eligible.forget()
    with CaptureQueriesContext(connection) as ctx:
        search.sponsored(query="连衣裙", visitor=visitor(1))
    # the seven of every search, the keywords and campaign products, and the
    # platform's CTR prior (kept a minute)
    assert len(ctx.captured_queries) == 10
