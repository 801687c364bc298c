"""Order events. Each carries the ids a subscriber needs to route it
(``shop_id`` scopes shop webhooks) and the facts of the change."""

from __future__ import annotations

from emporia.kernel.events import event


@event("orders.order_placed")
class OrderPlaced:
    order_id: int
    shop_id: int
    buyer_id: int
    source: str
    source_ref: str
    total_minor: int
    currency: str


@event("orders.order_paid")
class OrderPaid:
    order_id: int
    shop_id: int
    buyer_id: int
    source: str
    source_ref: str
    total_minor: int
    currency: str
    held_for: str  # hold reason started on payment, "" when none


@event("orders.order_held")
class OrderHeld:
    order_id: int
    shop_id: int
    reason: str


@event("orders.order_released")
class OrderReleased:
    order_id: int
    shop_id: int
    reason: str


@event("orders.order_cancelled")
class OrderCancelled:
    order_id: int
    shop_id: int
    buyer_id: int
    source: str
    source_ref: str
    reason: str


@event("orders.order_shipped")
class OrderShipped:
    order_id: int
    shop_id: int
    buyer_id: int


@event("orders.order_delivered")
class OrderDelivered:
    order_id: int
    shop_id: int
    buyer_id: int


@event("orders.order_completed")
class OrderCompleted:
    order_id: int
    shop_id: int
    buyer_id: int
    source: str
    source_ref: str


@event("orders.order_refunded")
class OrderRefunded:
    order_id: int
    shop_id: int
    buyer_id: int
    amount_minor: int
    currency: str
    fully: bool


@event("orders.order_settled")
class OrderSettled:
    order_id: int
    shop_id: int
    payable_minor: int
    commission_minor: int
    currency: str
