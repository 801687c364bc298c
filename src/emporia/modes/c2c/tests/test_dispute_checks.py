"""The dispute items of the seller growth checklist: the dispute rate
(disputes opened per paid order, 90 days) and disputes lost."""

from __future__ import annotations

from decimal import Decimal

import pytest

from emporia.modes.c2c.selectors import disputes as selectors
from emporia.modes.c2c.selectors import growth
from emporia.modes.c2c.services import disputes

pytestmark = pytest.mark.django_db


def figures(check):
    return (check.value, check.limit, check.unit, check.ok, check.basis)


def checklist(shop_id):
    return {c.code: c for c in growth.growth_checklist(shop_id=shop_id)}


def dispute(order, operator, outcome):
    opened = disputes.open_dispute(
        order=order, buyer=order.buyer, reason="not_as_described", text="Cracked"
    )
    seller = order.shop.members.get().user
    disputes.answer_dispute(dispute=opened, by=seller, text="It left us whole")
    return disputes.rule_dispute(
        dispute=opened, operator=operator, outcome=outcome, note="Decided"
    )


def test_a_shop_without_orders_is_not_judged(individual_shop):
    shop = individual_shop()
    checks = checklist(shop.pk)
    assert figures(checks["dispute_rate"]) == (None, Decimal(1), "percent", None, 0)
    assert figures(checks["disputes_lost"]) == (None, Decimal(0), "count", None, 0)


def test_clean_orders_pass_both_checks(frozen_clock, individual_shop, c2c_order):
    shop = individual_shop()
    for _ in range(2):
        c2c_order(shop=shop)
    checks = checklist(shop.pk)
    assert figures(checks["dispute_rate"]) == (
        Decimal("0.00"),
        Decimal(1),
        "percent",
        True,
        2,
    )
    assert figures(checks["disputes_lost"]) == (
        Decimal(0),
        Decimal(0),
        "count",
        True,
        0,
    )


def test_disputes_opened_and_lost_in_the_last_90_days_fail_the_checks(
    frozen_clock, operator, individual_shop, delivered_order, c2c_order
):
    # given a shop with three paid orders, two of them disputed: one ruled
    # for the buyer (a full refund), one for the seller (released)
    shop = individual_shop()
    refunded = delivered_order(shop=shop)
    released = delivered_order(shop=shop)
    c2c_order(shop=shop)
    dispute(refunded, operator, "refund_full")
    dispute(released, operator, "release")
    # when the seller looks at the checklist
    checks = checklist(shop.pk)
    # then 2 disputes per 3 paid orders is 66.67 % (limit 1 %), one lost
    rate = checks["dispute_rate"]
    assert figures(rate) == (Decimal("66.67"), Decimal(1), "percent", False, 3)
    assert rate.detail == {"disputes": 2, "days": 90}
    assert figures(checks["disputes_lost"]) == (
        Decimal(1),
        Decimal(0),
        "count",
        False,
        2,
    )
    # and the API and the page read the same registered items, last
    codes = [c.code for c in growth.growth_checklist(shop_id=shop.pk)]
    assert codes[-2:] == ["dispute_rate", "disputes_lost"]
    # when 91 days pass, the orders and disputes are out of the window
    frozen_clock.advance(days=91)
    assert selectors.dispute_rate_check(shop.pk).ok is None
    assert selectors.disputes_lost_check(shop.pk).ok is None


def test_another_shops_disputes_do_not_count(
    frozen_clock, operator, individual_shop, delivered_order, c2c_order
):
    mine, other = individual_shop(), individual_shop(name="Other")
    c2c_order(shop=mine)
    dispute(delivered_order(shop=other), operator, "refund_full")
    assert figures(selectors.dispute_rate_check(mine.pk))[3] is True
    assert figures(selectors.disputes_lost_check(mine.pk))[3] is True
