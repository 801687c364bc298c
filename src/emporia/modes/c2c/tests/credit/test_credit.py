"""Seller credit: points per verdict, the once-per-buyer-per-day rule, the
governance exclusion, recomputation from ratings, detailed scores over a
rolling 180 days compared with the category."""

from __future__ import annotations

from decimal import Decimal

import pytest

from emporia.infra.outbox.models import OutboxEvent
from emporia.kernel.errors import NotFound
from emporia.modes.c2c.models import CreditExclusion, TradeRating, TradeRatingChange
from emporia.modes.c2c.selectors import credit as selectors
from emporia.modes.c2c.services import credit
from tests import factories

pytestmark = pytest.mark.django_db


def _points(shop):
    summary = selectors.shop_credit(shop.pk)
    assert selectors.recompute_credit_points(shop.pk) == summary.points
    return summary.points


def test_good_neutral_bad_score_plus_one_zero_minus_one(
    frozen_clock, trade, rate, stall
):
    shop = stall["shop"]
    for verdict in ("good", "good", "neutral", "bad", "good"):
        rate(trade(), verdict)  # five different buyers
    summary = selectors.shop_credit(shop.pk)
    assert summary.points == 2
    assert (summary.good, summary.neutral, summary.bad) == (3, 1, 1)
    assert summary.good_rate == Decimal("60.00")
    assert selectors.recompute_credit_points(shop.pk) == 2


def test_same_buyer_same_day_counts_once_and_the_first_rating_wins(
    frozen_clock, trade, rate, stall, buyer
):
    # given three trades by one buyer placed the same day
    orders = [trade(buyer=buyer) for _ in range(3)]
    # when the buyer rates them bad, good, good (in that order)
    first = rate(orders[1], "bad")
    frozen_clock.advance(minutes=5)
    second = rate(orders[0], "good")
    third = rate(orders[2], "good")
    # then only the first rating given scores
    assert [r.points for r in (first, second, third)] == [-1, 0, 0]
    assert _points(stall["shop"]) == -1
    assert list(
        TradeRating.objects.filter(scores=True).values_list("pk", flat=True)
    ) == [first.pk]


def test_the_same_buyer_on_another_day_counts_again(
    frozen_clock, trade, rate, stall, buyer
):
    rate(trade(buyer=buyer), "good")
    frozen_clock.advance(days=1)
    rate(trade(buyer=buyer), "good")
    assert _points(stall["shop"]) == 2


def test_amending_the_scoring_rating_changes_the_points(
    frozen_clock, trade, rate, stall
):
    order = trade()
    rate(order, "bad")
    assert _points(stall["shop"]) == -1
    credit.amend_rating(buyer=order.buyer, order_id=order.pk, verdict="good")
    assert _points(stall["shop"]) == 1


def test_excluding_an_order_removes_its_points_and_is_idempotent(
    frozen_clock, trade, rate, stall, operator
):
    keep, fake = trade(), trade()
    rate(keep, "good")
    rate(fake, "good")
    assert _points(stall["shop"]) == 2
    first = credit.exclude_rating_from_credit(
        order_id=fake.pk, reason="Brushing ring", actor=operator
    )
    again = credit.exclude_rating_from_credit(
        order_id=fake.pk, reason="Second report", actor=None
    )
    assert again.pk == first.pk
    assert CreditExclusion.objects.get().reason == "Brushing ring"
    assert _points(stall["shop"]) == 1
    rating = TradeRating.objects.get(order=fake)
    assert (rating.counted, rating.scores) == (False, False)
    assert list(rating.changes.values_list("kind", "actor_id", "reason")) == [
        ("rated", fake.buyer_id, ""),
        ("excluded", operator.pk, "Brushing ring"),
    ]
    assert [
        e.payload["excluded"]
        for e in OutboxEvent.objects.filter(topic="c2c.credit_exclusion_changed")
    ] == [True]
    # an excluded rating is not shown publicly
    assert list(selectors.public_ratings(stall["shop"].pk)) == [
        TradeRating.objects.get(order=keep)
    ]


def test_excluding_the_days_scoring_rating_hands_the_points_on(
    frozen_clock, trade, rate, stall, buyer
):
    a, b = trade(buyer=buyer), trade(buyer=buyer)
    rate(a, "bad")
    frozen_clock.advance(minutes=1)
    second = rate(b, "good")
    assert _points(stall["shop"]) == -1
    credit.exclude_rating_from_credit(order_id=a.pk, reason="Abusive buyer")
    assert _points(stall["shop"]) == 1
    assert TradeRating.objects.get(pk=second.pk).scores is True
    assert TradeRatingChange.objects.filter(rating=second, kind="promoted").count() == 1
    # restored on appeal, the first rating takes the day's points back
    assert credit.restore_rating_to_credit(order_id=a.pk, reason="Appeal upheld")
    assert _points(stall["shop"]) == -1
    assert not credit.restore_rating_to_credit(order_id=a.pk, reason="Twice")
    assert CreditExclusion.objects.count() == 0


def test_an_order_excluded_before_it_is_rated_never_counts(
    frozen_clock, trade, rate, stall
):
    order = trade()
    credit.exclude_rating_from_credit(order_id=order.pk, reason="Fake trade")
    rating = rate(order, "good")
    assert (rating.counted, rating.scores, rating.points) == (False, False, 0)
    assert _points(stall["shop"]) == 0


def test_excluding_an_unknown_order_is_not_found(db):
    with pytest.raises(NotFound):
        credit.exclude_rating_from_credit(order_id=999_999, reason="x")
    assert CreditExclusion.objects.count() == 0


def test_detailed_scores_are_180_day_averages_against_the_category(
    frozen_clock,
    trade,
    rate,
    stall,
    shop_factory,
    product_factory,
    sku_factory,
    category_factory,
):
    # given a peer shop in a sub-category of the same top-level category
    sub = category_factory(parent=stall["category"], slug="green-tea")
    peer_sku = sku_factory(product=product_factory(category=sub))
    factories.stock(peer_sku, 10)
    # an old rating of our shop that will fall out of the window
    rate(trade(), "bad", (1, 1, 1))
    frozen_clock.advance(days=100)
    rate(trade(), "good", (5, 4, 3))
    rate(trade(), "good", (4, 4, 4))
    rate(trade(sku=peer_sku), "good", (3, 5, 5))
    # when 81 days pass, the first rating is 181 days old
    frozen_clock.advance(days=81)
    scores = selectors.detailed_scores(stall["shop"].pk)
    # then the shop averages 4.5 / 4 / 3.5 over 2 ratings, the category
    # (both shops) 4 / 4.33 / 4
    assert scores.ratings == 2
    assert scores.category_id == stall["category"].pk
    assert [(s.name, s.shop, s.category, s.diff_percent) for s in scores.scores] == [
        ("description", Decimal("4.50"), Decimal("4.00"), Decimal("12.50")),
        ("service", Decimal("4.00"), Decimal("4.33"), Decimal("-7.62")),
        ("logistics", Decimal("3.50"), Decimal("4.00"), Decimal("-12.50")),
    ]
    # the verdict counts follow the same window, the points do not
    summary = selectors.shop_credit(stall["shop"].pk)
    assert (summary.good, summary.bad, summary.points) == (2, 0, 1)


def test_a_shop_without_ratings_has_no_level_and_no_scores(db, stall):
    summary = selectors.shop_credit(stall["shop"].pk)
    assert (summary.points, summary.level.tier, summary.good_rate) == (0, "none", None)
    scores = selectors.detailed_scores(stall["shop"].pk)
    assert scores.category_id == stall["category"].pk  # from its listed products
    assert [s.shop for s in scores.scores] == [None, None, None]


def test_credit_trend_accumulates_by_day(frozen_clock, trade, rate, stall):
    rate(trade(), "good")
    frozen_clock.advance(days=1)
    rate(trade(), "good")
    rate(trade(), "bad")
    frozen_clock.advance(days=1)
    rate(trade(), "good")
    trend = selectors.credit_trend(stall["shop"].pk, days=4)
    assert [points for _, points in trend] == [0, 1, 1, 2]
    assert trend[-1][0] == frozen_clock.current.date()
