"""Reports and attribution: a signed-in buyer clicks, then buys."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from emporia.core.checkout import services as checkout
from emporia.core.search import selectors as search
from emporia.infra.outbox.services import relay_pending
from emporia.modes.c2c.ads import attribution, clicks, reports
from emporia.modes.c2c.models import AdConversion

pytestmark = pytest.mark.django_db


def test_a_click_then_a_paid_order_shows_in_the_keyword_report(
    advertised, campaign_for, visitor, shopper, address_factory, sandbox, frozen_clock
):
    # given a campaign and a signed-in buyer who is shown the ad twice
    product = advertised()
    campaign, keyword = campaign_for(product, "连衣裙", bid="1.00")
    me = visitor(user_id=shopper.pk)
    search.sponsored(query="连衣裙", visitor=visitor(7))
    slot = search.sponsored(query="连衣裙", visitor=me)[0]
    clicks.record_click(token=slot["click_url"].split("/")[3], visitor=me)
    # when the buyer orders the product two days later and pays
    frozen_clock.advance(days=2)
    placed = checkout.place_order(
        buyer=shopper,
        idempotency_key=uuid.uuid4().hex,
        lines=[checkout.WantedLine(product.skus.get().pk, 2)],
        address_id=address_factory(user=shopper).pk,
    )
    sandbox.pay(placed.checkout.payment)
    relay_pending()
    relay_pending()
    # then the order is attributed to the keyword, and the report adds up
    conversion = AdConversion.objects.get()
    assert (conversion.keyword_id, conversion.amount_minor) == (keyword.pk, 198_00)
    [row] = reports.keyword_report(
        campaign=campaign, start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30)
    )
    assert (row.impressions, row.clicks, row.charged_clicks) == (2, 1, 1)
    assert row.ctr == 50
    assert row.spend.minor == 10  # the only ad pays the reserve
    assert row.average_cpc.minor == 10
    assert (row.orders, row.sales.minor) == (1, 198_00)
    assert str(row.roi) == "1980.00"
    # and a redelivered event attributes nothing twice
    assert (
        attribution.attribute_order(
            order_id=conversion.order_id, buyer_id=shopper.pk, currency="CNY"
        )
        == 0
    )


def test_an_order_after_the_window_is_not_attributed(
    advertised, campaign_for, visitor, shopper, address_factory, sandbox, frozen_clock
):
    product = advertised()
    campaign_for(product, "连衣裙")
    me = visitor(user_id=shopper.pk)
    slot = search.sponsored(query="连衣裙", visitor=me)[0]
    clicks.record_click(token=slot["click_url"].split("/")[3], visitor=me)
    frozen_clock.advance(days=8)
    placed = checkout.place_order(
        buyer=shopper,
        idempotency_key=uuid.uuid4().hex,
        lines=[checkout.WantedLine(product.skus.get().pk, 1)],
        address_id=address_factory(user=shopper).pk,
    )
    sandbox.pay(placed.checkout.payment)
    relay_pending()
    assert AdConversion.objects.count() == 0
