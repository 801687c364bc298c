"""Trade rating rules: who, when, once; amending upward once within the
window; the seller's one reply; product reviews through the core."""

from __future__ import annotations

import datetime as dt

import pytest

from emporia.core.reviews.models import ProductReview
from emporia.infra.outbox.models import OutboxEvent
from emporia.kernel.errors import Conflict, NotFound, ValidationFailed
from emporia.modes.c2c.models import TradeRating, TradeRatingChange
from emporia.modes.c2c.services import credit

pytestmark = pytest.mark.django_db


def test_buyer_rates_a_completed_trade_with_scores(frozen_clock, trade, rate, stall):
    # given a completed trade
    order = trade()
    # when its buyer rates it good with detailed scores
    rating = rate(order, "good", (5, 4, 3), text="  Fast and as described  ")
    # then the rating is stored, scores a point and is on record
    rating.refresh_from_db()
    assert (rating.verdict, rating.text) == ("good", "Fast and as described")
    assert (
        rating.description_score,
        rating.service_score,
        rating.logistics_score,
    ) == (5, 4, 3)
    assert rating.shop_id == stall["shop"].pk
    assert rating.category_id == stall["category"].pk
    assert rating.trade_day == order.placed_at.astimezone(dt.UTC).date()
    assert (rating.counted, rating.scores, rating.points) == (True, True, 1)
    assert list(rating.changes.values_list("kind", "new_verdict")) == [
        ("rated", "good")
    ]
    event = OutboxEvent.objects.filter(topic="c2c.trade_rated").get()
    assert event.payload["points"] == 1
    assert event.payload["order_id"] == order.pk


def test_only_one_rating_per_order(frozen_clock, trade, rate):
    order = trade()
    rate(order, "good")
    with pytest.raises(Conflict) as exc:
        rate(order, "bad", (1, 1, 1))
    assert exc.value.code == "already_rated"
    assert list(TradeRating.objects.values_list("verdict", flat=True)) == ["good"]


def test_someone_else_cannot_rate_the_order(frozen_clock, trade, user_factory):
    order = trade()
    stranger = user_factory()
    with pytest.raises(NotFound):
        credit.rate_trade(
            buyer=stranger,
            order_id=order.pk,
            verdict="bad",
            description=1,
            service=1,
            logistics=1,
        )
    assert TradeRating.objects.count() == 0


@pytest.mark.parametrize("until", ["paid", "shipped"])
def test_an_unfinished_trade_cannot_be_rated(frozen_clock, trade, rate, until):
    order = trade(until=until)
    with pytest.raises(Conflict) as exc:
        rate(order)
    assert exc.value.code == "not_completed"
    assert TradeRating.objects.count() == 0


def test_rating_window_closes_fifteen_days_after_completion(frozen_clock, trade, rate):
    first, second = trade(), trade()
    frozen_clock.advance(days=credit.RATING_WINDOW_DAYS)
    rate(first)  # the last moment of the window
    frozen_clock.advance(seconds=1)
    with pytest.raises(Conflict) as exc:
        rate(second)
    assert exc.value.code == "rating_window_closed"
    assert list(TradeRating.objects.values_list("order_id", flat=True)) == [first.pk]


@pytest.mark.parametrize(
    ("verdict", "scores", "field"),
    [
        ("great", (5, 5, 5), "verdict"),
        ("good", (0, 5, 5), "description"),
        ("good", (5, 6, 5), "service"),
        ("good", (5, 5, True), "logistics"),
    ],
)
def test_bad_input_is_refused(frozen_clock, trade, rate, verdict, scores, field):
    order = trade()
    with pytest.raises(ValidationFailed) as exc:
        rate(order, verdict, scores)
    assert exc.value.details["field"] == field
    assert TradeRating.objects.count() == 0


def test_text_longer_than_500_is_refused(frozen_clock, trade, rate):
    order = trade()
    with pytest.raises(ValidationFailed):
        rate(order, text="x" * 501)
    assert TradeRating.objects.count() == 0


def test_product_reviews_go_to_the_core_with_the_rating(frozen_clock, trade, rate):
    order = trade()
    line = order.lines.get()
    rate(
        order,
        product_reviews=[credit.ProductReviewIn(line.pk, 4, "Nice tea")],
    )
    review = ProductReview.objects.get()
    assert (review.order_line_id, review.rating, review.text) == (
        line.pk,
        4,
        "Nice tea",
    )


def test_a_failing_product_review_saves_nothing(frozen_clock, trade, rate):
    order, other = trade(), trade()
    with pytest.raises(ValidationFailed):
        rate(
            order,
            product_reviews=[credit.ProductReviewIn(other.lines.get().pk, 5)],
        )
    assert TradeRating.objects.count() == 0
    assert ProductReview.objects.count() == 0


def test_buyer_changes_bad_to_good_once_within_thirty_days(frozen_clock, trade, rate):
    order = trade()
    rate(order, "bad", (2, 2, 2), text="Late")
    frozen_clock.advance(days=credit.AMEND_WINDOW_DAYS)
    credit.amend_rating(
        buyer=order.buyer, order_id=order.pk, verdict="good", text="Sorted out"
    )
    rating = TradeRating.objects.get()
    assert (rating.verdict, rating.text, rating.points) == ("good", "Sorted out", 1)
    assert rating.description_score == 2  # detailed scores are final
    assert list(
        TradeRatingChange.objects.values_list("kind", "old_verdict", "new_verdict")
    ) == [("rated", "", "bad"), ("amended", "bad", "good")]
    with pytest.raises(Conflict) as exc:
        credit.amend_rating(buyer=order.buyer, order_id=order.pk, verdict="good")
    assert exc.value.code == "good_is_final"


def test_a_rating_can_be_amended_only_once(frozen_clock, trade, rate):
    order = trade()
    rate(order, "bad")
    credit.amend_rating(buyer=order.buyer, order_id=order.pk, verdict="neutral")
    with pytest.raises(Conflict) as exc:
        credit.amend_rating(buyer=order.buyer, order_id=order.pk, verdict="good")
    assert exc.value.code == "already_amended"
    assert TradeRating.objects.get().verdict == "neutral"


def test_a_rating_is_frozen_after_thirty_days(frozen_clock, trade, rate):
    order = trade()
    rate(order, "neutral", text="OK")
    frozen_clock.advance(days=credit.AMEND_WINDOW_DAYS, seconds=1)
    with pytest.raises(Conflict) as exc:
        credit.amend_rating(buyer=order.buyer, order_id=order.pk, verdict="good")
    assert exc.value.code == "rating_frozen"
    rating = TradeRating.objects.get()
    assert (rating.verdict, rating.text, rating.amended_at) == ("neutral", "OK", None)


def test_a_rating_cannot_be_made_worse(frozen_clock, trade, rate):
    order = trade()
    rate(order, "neutral")
    with pytest.raises(ValidationFailed):
        credit.amend_rating(buyer=order.buyer, order_id=order.pk, verdict="bad")
    assert TradeRating.objects.get().verdict == "neutral"


def test_only_the_buyer_amends(frozen_clock, trade, rate, seller):
    order = trade()
    rate(order, "bad")
    with pytest.raises(NotFound):
        credit.amend_rating(buyer=seller, order_id=order.pk, verdict="good")
    assert TradeRating.objects.get().verdict == "bad"


def test_seller_replies_once(frozen_clock, trade, rate, seller):
    order = trade()
    rate(order, "neutral")
    credit.reply_to_rating(user=seller, order_id=order.pk, text="Thanks, sorry!")
    rating = TradeRating.objects.get()
    assert (rating.reply, rating.replied_by_id) == ("Thanks, sorry!", seller.pk)
    assert rating.replied_at == frozen_clock.current
    with pytest.raises(Conflict) as exc:
        credit.reply_to_rating(user=seller, order_id=order.pk, text="Again")
    assert exc.value.code == "already_replied"
    assert TradeRating.objects.get().reply == "Thanks, sorry!"


def test_other_users_cannot_reply(frozen_clock, trade, rate, user_factory):
    order = trade()
    rate(order)
    for intruder in (order.buyer, user_factory()):
        with pytest.raises(NotFound):
            credit.reply_to_rating(user=intruder, order_id=order.pk, text="Hi")
    assert TradeRating.objects.get().reply == ""


def test_reply_window_closes_after_thirty_days(frozen_clock, trade, rate, seller):
    order = trade()
    rate(order)
    frozen_clock.advance(days=credit.REPLY_WINDOW_DAYS, seconds=1)
    with pytest.raises(Conflict) as exc:
        credit.reply_to_rating(user=seller, order_id=order.pk, text="Late")
    assert exc.value.code == "reply_window_closed"
    assert TradeRating.objects.get().replied_at is None


def test_an_empty_reply_is_refused(frozen_clock, trade, rate, seller):
    order = trade()
    rate(order)
    with pytest.raises(ValidationFailed):
        credit.reply_to_rating(user=seller, order_id=order.pk, text="   ")
    assert TradeRating.objects.get().replied_at is None
