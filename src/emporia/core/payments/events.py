from __future__ import annotations

from emporia.kernel.events import event


@event("payments.payment_succeeded")
class PaymentSucceeded:
    payment_id: int
    buyer_id: int
    amount_minor: int
    currency: str
    order_ids: list[int]


@event("payments.payment_failed")
class PaymentFailed:
    payment_id: int
    buyer_id: int


@event("payments.refund_succeeded")
class RefundSucceeded:
    refund_id: int
    order_id: int
    shop_id: int
    amount_minor: int
    currency: str
