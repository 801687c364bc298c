"""Clicks: signed links, charging at the auction price, de-duplication,
budget cut-off (raced), the shop's balance, the ledger."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import signing
from django.db.models import Sum

from emporia.core.ledger import selectors as ledger_selectors
from emporia.core.ledger import services as ledger
from emporia.core.ledger.models import JournalEntry, Posting
from emporia.core.search import selectors as search
from emporia.kernel.errors import ValidationFailed
from emporia.modes.c2c.ads import campaigns, clicks
from emporia.modes.c2c.models import AdClick, AdKeywordDay, CampaignDay
from tests.concurrency import race

from .conftest import cny

pytestmark = pytest.mark.django_db


def token_of(slot: dict) -> str:
    return slot["click_url"].split("/")[3]


def serve(query, visitor):
    return search.sponsored(query=query, visitor=visitor)


def payable(shop_id):
    return ledger_selectors.balance(f"shop:{shop_id}:payable:CNY", "CNY").minor


def ad_revenue():
    return ledger_selectors.balance("platform:ad_revenue:CNY", "CNY").minor


def test_a_click_is_charged_its_auction_price_in_the_ledger(
    advertised, campaign_for, visitor
):
    # given two shops bidding 2.00 and 1.50 (same prior CTR)
    high = advertised(zh="连衣裙甲")
    low = advertised(zh="连衣裙乙")
    campaign, keyword = campaign_for(high, "连衣裙", bid="2.00")
    campaign_for(low, "连衣裙", bid="1.50")
    top = serve("连衣裙", visitor(1))[0]
    # when the visitor clicks the top slot
    outcome = clicks.record_click(token=token_of(top), visitor=visitor(1))
    # then it is charged 1.51 (second price + 0.01), not the 2.00 bid
    assert (outcome.product_id, outcome.charged, outcome.reason) == (high.pk, True, "")
    assert outcome.price.minor == 151
    assert payable(high.shop_id) == 100_00 - 151
    assert ad_revenue() == 151
    entry = JournalEntry.objects.get(kind="ad_click")
    assert entry.key == f"c2c.ads.click:{outcome.click_id}"
    legs = list(
        Posting.objects.filter(entry=entry)
        .order_by("id")
        .values_list("account__code", "debit_minor", "credit_minor")
    )
    assert legs == [
        (f"shop:{high.shop_id}:payable:CNY", 151, 0),
        ("platform:ad_revenue:CNY", 0, 151),
    ]
    assert CampaignDay.objects.get(campaign=campaign).spent_minor == 151
    day = AdKeywordDay.objects.get(keyword=keyword)
    assert (day.clicks, day.charged_clicks, day.spend_minor) == (1, 1, 151)
    keyword.refresh_from_db()
    assert keyword.clicks == 1


def test_a_repeat_click_within_24_hours_is_not_charged(
    advertised, campaign_for, visitor, frozen_clock
):
    product = advertised()
    _, keyword = campaign_for(product, "连衣裙", bid="1.00")
    first = clicks.record_click(
        token=token_of(serve("连衣裙", visitor(1))[0]), visitor=visitor(1)
    )
    frozen_clock.advance(hours=23)
    again = clicks.record_click(
        token=token_of(serve("连衣裙", visitor(1))[0]), visitor=visitor(1)
    )
    assert (first.charged, again.charged, again.reason) == (True, False, "repeat")
    assert payable(product.shop_id) == 100_00 - 10
    assert JournalEntry.objects.filter(kind="ad_click").count() == 1
    keyword.refresh_from_db()
    assert keyword.clicks == 1  # repeats do not count for the quality score
    # a day later the same visitor is a new click
    frozen_clock.advance(hours=2)
    later = clicks.record_click(
        token=token_of(serve("连衣裙", visitor(1))[0]), visitor=visitor(1)
    )
    assert later.charged is True
    assert AdClick.objects.filter(charged=True).count() == 2


def test_the_same_link_clicked_twice_is_charged_once(advertised, campaign_for, visitor):
    product = advertised()
    campaign_for(product, "连衣裙")
    token = token_of(serve("连衣裙", visitor(1))[0])
    outcomes = [clicks.record_click(token=token, visitor=visitor(1)) for _ in range(3)]
    assert [o.charged for o in outcomes] == [True, False, False]
    assert ad_revenue() == 10


def test_a_forged_or_altered_link_is_refused_and_changes_nothing(
    advertised, campaign_for, visitor
):
    product = advertised()
    campaign_for(product, "连衣裙")
    token = token_of(serve("连衣裙", visitor(1))[0])
    payload = clicks.read_token(token)
    forged = signing.dumps({**payload, "m": 1}, salt="someone-else")
    for bad in (forged, token[:-2] + "xx", ""):
        with pytest.raises(ValidationFailed):
            clicks.record_click(token=bad, visitor=visitor(1))
    assert AdClick.objects.count() == 0
    assert ad_revenue() == 0


def test_an_expired_link_still_leads_to_the_product_but_costs_nothing(
    advertised, campaign_for, visitor, frozen_clock
):
    product = advertised()
    campaign_for(product, "连衣裙")
    token = token_of(serve("连衣裙", visitor(1))[0])
    frozen_clock.advance(minutes=31)
    outcome = clicks.record_click(token=token, visitor=visitor(1))
    assert (outcome.product_id, outcome.charged, outcome.reason) == (
        product.pk,
        False,
        "expired",
    )
    assert AdClick.objects.count() == 0


def test_a_click_the_shop_cannot_pay_is_not_charged(advertised, campaign_for, visitor):
    product = advertised(balance="1.00")
    campaign_for(product, "连衣裙", bid="1.00")
    token = token_of(serve("连衣裙", visitor(1))[0])
    # the shop spends its money elsewhere before the click arrives
    ledger.post(
        key="test:spent",
        kind="test_spend",
        legs=[
            ledger.Leg.debit(f"shop:{product.shop_id}:payable:CNY", cny("0.95")),
            ledger.Leg.credit("platform:psp_clearing:CNY", cny("0.95")),
        ],
    )
    outcome = clicks.record_click(token=token, visitor=visitor(1))
    assert (outcome.charged, outcome.reason) == (False, "balance")
    assert payable(product.shop_id) == 5
    assert ad_revenue() == 0


def test_a_click_after_pausing_is_not_charged(advertised, campaign_for, visitor):
    product = advertised()
    campaign, _ = campaign_for(product, "连衣裙")
    token = token_of(serve("连衣裙", visitor(1))[0])
    campaigns.set_campaign_status(
        campaign_id=campaign.pk, by=product.owner, status="paused", reason="stop"
    )
    outcome = clicks.record_click(token=token, visitor=visitor(1))
    assert (outcome.charged, outcome.reason) == (False, "paused")
    assert ad_revenue() == 0


def test_the_budget_resets_at_local_midnight(
    advertised, campaign_for, visitor, frozen_clock
):
    # budget 0.20 = two clicks at the 0.10 reserve
    product = advertised()
    campaign, _ = campaign_for(product, "连衣裙", bid="0.10", budget="0.20")
    tokens = [token_of(serve("连衣裙", visitor(n))[0]) for n in range(2)]
    for n, token in enumerate(tokens):
        assert clicks.record_click(token=token, visitor=visitor(n)).charged
    assert serve("连衣裙", visitor(9)) == []  # nothing left today
    # 18:00 local + 6 h = 00:00 the next local day
    frozen_clock.advance(hours=6)
    token = token_of(serve("连衣裙", visitor(3))[0])
    assert clicks.record_click(token=token, visitor=visitor(3)).charged
    assert list(
        CampaignDay.objects.filter(campaign=campaign)
        .order_by("day")
        .values_list("day", "spent_minor")
    ) == [(dt.date(2026, 11, 11), 20), (dt.date(2026, 11, 12), 10)]


@pytest.mark.django_db(transaction=True)
def test_concurrent_clicks_never_spend_beyond_the_budget(
    advertised, campaign_for, visitor
):
    # given a budget for exactly 3 clicks at the reserve price and 8 visitors
    product = advertised()
    campaign, _ = campaign_for(product, "连衣裙", bid="0.10", budget="0.30")
    tokens = [token_of(serve("连衣裙", visitor(n))[0]) for n in range(8)]

    # when all 8 click at once
    def work(i):
        return clicks.record_click(token=tokens[i], visitor=visitor(i)).reason

    reasons = race(8, work)
    # then exactly 3 are charged, 5 refused for the budget, and the ledger agrees
    assert sorted(reasons) == [""] * 3 + ["budget"] * 5
    assert CampaignDay.objects.get(campaign=campaign).spent_minor == 30
    assert ad_revenue() == 30
    assert payable(product.shop_id) == 100_00 - 30
    assert (
        AdClick.objects.filter(charged=True).aggregate(s=Sum("price_minor"))["s"] == 30
    )
