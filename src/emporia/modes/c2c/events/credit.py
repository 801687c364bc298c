"""Events of trade ratings and seller credit. Each carries the shop and order
so shop webhooks and governance can route it."""

from __future__ import annotations

from emporia.kernel.events import event


@event("c2c.trade_rated")
class TradeRated:
    """A buyer rated a completed trade; ``points`` is what it added to the
    shop's credit (0 when another rating of the same buyer and day scores,
    or the order is excluded from credit)."""

    rating_id: int
    order_id: int
    shop_id: int
    buyer_id: int
    verdict: str
    description_score: int
    service_score: int
    logistics_score: int
    points: int


@event("c2c.trade_rating_amended")
class TradeRatingAmended:
    """The buyer changed a neutral or bad rating to a better one (once)."""

    rating_id: int
    order_id: int
    shop_id: int
    old_verdict: str
    new_verdict: str


@event("c2c.trade_rating_replied")
class TradeRatingReplied:
    """The seller replied to a rating (once)."""

    rating_id: int
    order_id: int
    shop_id: int


@event("c2c.credit_exclusion_changed")
class CreditExclusionChanged:
    """An order was excluded from (``excluded`` true) or restored to the
    shop's credit by governance or an operator."""

    order_id: int
    shop_id: int
    excluded: bool
    reason: str
