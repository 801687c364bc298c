"""Group-buy events (topics ``social.group_*``), emitted in the transaction
of the change they describe. Shops' webhooks and other modules subscribe."""

from __future__ import annotations

from emporia.kernel.events import event


@event("social.group_started")
class GroupStarted:
    """A buyer started a group (their order is placed, payment pending)."""

    group_id: int
    campaign_id: int
    shop_id: int
    leader_id: int
    size: int
    expires_at: str


@event("social.group_filled")
class GroupFilled:
    """The N-th member paid in time: every member's order was released to
    fulfilment in the same transaction."""

    group_id: int
    campaign_id: int
    shop_id: int
    order_ids: list[int]


@event("social.group_failed")
class GroupFailed:
    """The window closed short: paid orders were refunded in full and unpaid
    ones cancelled, all stock released."""

    group_id: int
    campaign_id: int
    shop_id: int
    refunded_order_ids: list[int]
    cancelled_order_ids: list[int]
