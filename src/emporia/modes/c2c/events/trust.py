"""Events of free shops, escrow disputes and doorstep pickup."""

from __future__ import annotations

from emporia.kernel.events import event


@event("c2c.individual_shop_opened")
class IndividualShopOpened:
    """A person opened a shop with identity details only."""

    shop_id: int
    owner_id: int


@event("c2c.escrow_extended")
class EscrowExtended:
    """The buyer pushed the automatic escrow release back (once per order)."""

    order_id: int
    shop_id: int
    buyer_id: int
    days: int
    release_at: str


@event("c2c.dispute_opened")
class DisputeOpened:
    dispute_id: int
    order_id: int
    shop_id: int
    buyer_id: int
    reason: str


@event("c2c.dispute_status_changed")
class DisputeStatusChanged:
    """A dispute moved: answered, ruled (with ``outcome`` and the refund) or
    withdrawn."""

    dispute_id: int
    order_id: int
    shop_id: int
    from_status: str
    to_status: str
    outcome: str
    refund_minor: int
    currency: str


@event("c2c.pickup_status_changed")
class PickupStatusChanged:
    """A doorstep pickup was booked, confirmed, cancelled or scanned."""

    booking_id: int
    return_id: int
    order_id: int
    shop_id: int
    status: str
