"""Seller growth center figures on a known dataset: visitors (once per
visitor per day), conversion, GMV, repeat buyers and the checklist."""

from __future__ import annotations

from decimal import Decimal

import pytest

from emporia.core.fulfilment import services as fulfilment
from emporia.kernel.errors import ValidationFailed
from emporia.modes.c2c.extensions import Check, growth_checks
from emporia.modes.c2c.models import ShopVisit
from emporia.modes.c2c.selectors import growth
from emporia.modes.c2c.services import visits
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_visitor_counts_once_per_shop_per_day(frozen_clock, stall, buyer):
    shop = stall["shop"]
    key = visits.visitor_key(user=buyer)
    assert visits.record_visit(shop_id=shop.pk, visitor=key, user=buyer, product_id=7)
    assert not visits.record_visit(shop_id=shop.pk, visitor=key, user=buyer)
    assert visits.record_visit(shop_id=shop.pk, visitor="sabc")
    frozen_clock.advance(days=1)
    assert visits.record_visit(shop_id=shop.pk, visitor=key, user=buyer)
    assert sorted(ShopVisit.objects.values_list("day", "visitor", "product_id")) == [
        (frozen_clock.current.date().replace(day=11), "sabc", None),
        (frozen_clock.current.date().replace(day=11), f"u{buyer.pk}", 7),
        (frozen_clock.current.date(), f"u{buyer.pk}", None),
    ]


def test_visitor_keys(buyer, db):
    assert visits.visitor_key(user=buyer) == f"u{buyer.pk}"
    assert visits.visitor_key(session_key="k1") == "sk1"
    assert visits.visitor_key() is None
    with pytest.raises(ValidationFailed):
        visits.record_visit(shop_id=1, visitor="")
    assert ShopVisit.objects.count() == 0


def test_growth_figures_on_a_known_dataset(frozen_clock, stall, trade, user_factory):
    shop = stall["shop"]
    alice, bob, carol = (user_factory(display_name=n) for n in ("A", "B", "C"))

    def visit(user=None, session=None):
        key = visits.visitor_key(user=user, session_key=session)
        visits.record_visit(shop_id=shop.pk, visitor=key, user=user)

    # day 1: three visitors (alice twice), alice buys twice, bob once
    for who in (alice, alice, bob):
        visit(who)
    visit(session="anon-1")
    day1 = [trade(buyer=alice), trade(buyer=alice), trade(buyer=bob)]
    # day 2: carol and alice visit, carol buys
    frozen_clock.advance(days=1)
    visit(carol)
    visit(alice)
    day2 = [trade(buyer=carol, quantity=2)]

    g = growth.shop_growth(shop_id=shop.pk, currency="CNY", days=2)

    assert [(d.visitors, d.buyers, d.orders) for d in g.days] == [(3, 2, 3), (2, 1, 1)]
    assert [d.gmv_minor for d in g.days] == [
        sum(o.total_minor for o in day1),
        day2[0].total_minor,
    ]
    assert [d.conversion for d in g.days] == [Decimal("66.67"), Decimal("50.00")]
    assert (g.visitors, g.buyers, g.orders) == (5, 3, 4)
    assert g.gmv.minor == sum(o.total_minor for o in day1 + day2)
    assert g.conversion == Decimal("60.00")
    assert (g.repeat_buyers, g.repeat_rate) == (1, Decimal("33.33"))


def test_checklist_flags_late_shipping(frozen_clock, stall, trade, seller):
    fast, slow, waiting = (trade(until="paid") for _ in range(3))
    frozen_clock.advance(hours=1)
    fulfilment.ship_order(order=fast, by=seller, carrier="SF", tracking_number="F1")
    frozen_clock.advance(hours=49)
    fulfilment.ship_order(order=slow, by=seller, carrier="SF", tracking_number="S1")

    checks = {c.code: c for c in growth.growth_checklist(shop_id=stall["shop"].pk)}

    late = checks["late_shipping"]
    assert (late.value, late.limit, late.ok, late.basis) == (
        Decimal("66.67"),
        Decimal(5),
        False,
        3,
    )
    assert late.detail["late"] == 2
    assert late.detail["average_hours"] == Decimal("25.50")
    returns = checks["returns"]
    assert (returns.value, returns.ok, returns.basis) == (Decimal("0.00"), True, 3)
    # nothing rated yet: the rating checks cannot judge
    assert [checks[c].ok for c in ("bad_ratings", "score_description")] == [None, None]
    assert waiting.pk  # still waiting to ship, counted late


def test_checklist_flags_returns_bad_ratings_and_low_scores(
    frozen_clock, stall, trade, rate, product_factory, sku_factory
):
    peer = sku_factory(product=product_factory(category=stall["category"]))
    factories.stock(peer, 10)
    rate(trade(sku=peer), "good", (5, 5, 5))
    orders = [trade() for _ in range(4)]
    rate(orders[0], "bad", (2, 3, 5))
    rate(orders[1], "good", (4, 5, 5))
    fulfilment.request_return(
        order=orders[2],
        buyer=orders[2].buyer,
        lines=[(orders[2].lines.get().pk, 1)],
        reason="Wrong size",
    )

    checks = {c.code: c for c in growth.growth_checklist(shop_id=stall["shop"].pk)}

    assert (checks["returns"].value, checks["returns"].ok) == (Decimal("25.00"), False)
    assert (checks["bad_ratings"].value, checks["bad_ratings"].ok) == (
        Decimal("50.00"),
        False,
    )
    # shop 3 / 4 / 5 against the category's 3.67 / 4.33 / 5
    assert [
        (checks[f"score_{n}"].value, checks[f"score_{n}"].ok)
        for n in ("description", "service", "logistics")
    ] == [
        (Decimal("-18.26"), False),
        (Decimal("-7.62"), False),
        (Decimal("0.00"), True),
    ]


def test_other_parts_of_the_mode_add_checks(db, stall):
    def disputes(shop_id):
        return Check("disputes", Decimal(1), Decimal(2), "percent", True, 10)

    growth_checks.register("test.disputes", disputes)
    try:
        codes = [c.code for c in growth.growth_checklist(shop_id=stall["shop"].pk)]
    finally:
        growth_checks.unregister("test.disputes")
    assert codes[-1] == "disputes"
    assert len(codes) == 9  # six built in, the two dispute items, this one
