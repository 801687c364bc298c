"""Queue trades for scoring when their facts change."""

from __future__ import annotations

from emporia.infra.outbox.services import subscribe

from . import facts, scoring

ORDER_TOPICS = (
    "orders.order_placed",
    "orders.order_paid",
    "orders.order_shipped",
    "orders.order_completed",
)


def queue_order(event) -> None:
    scoring.request_scoring(order_ids=[event.order_id])


def queue_shop_review(event) -> None:
    scoring.request_scoring(order_ids=facts.orders_of_shop_review(event.review_id))


def queue_product_review(event) -> None:
    scoring.request_scoring(order_ids=facts.orders_of_product_review(event.review_id))


def register() -> None:
    for topic in ORDER_TOPICS:
        subscribe(topic, queue_order, name=f"c2c.governance.queue:{topic}")
    subscribe(
        "reviews.shop_reviewed", queue_shop_review, name="c2c.governance.shop_review"
    )
    subscribe(
        "reviews.product_reviewed",
        queue_product_review,
        name="c2c.governance.product_review",
    )
