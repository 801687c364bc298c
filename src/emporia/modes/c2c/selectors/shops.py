"""Reads for individual shops: identity and listing tier."""

from __future__ import annotations

from dataclasses import dataclass

from emporia.core.catalog import selectors as catalog
from emporia.core.orders import selectors as orders
from emporia.core.orders.states import OrderStatus

from .. import trust_settings
from ..models import Dispute, SellerIdentity
from ..states.disputes import DisputeOutcome, DisputeStatus


@dataclass(frozen=True)
class ListingTier:
    """Where an individual shop stands: its good orders, how many products it
    may list now (None: no limit), and the next tier if any."""

    good_orders: int
    completed_orders: int
    lost_disputes: int
    limit: int | None
    next_at: int | None
    next_limit: int | None


def identity_for_shop(shop_id: int) -> SellerIdentity | None:
    return SellerIdentity.objects.filter(shop_id=shop_id).first()


def identity_for_user(user) -> SellerIdentity | None:
    return SellerIdentity.objects.filter(user_id=user.pk).first()


def lost_disputes(shop_id: int) -> int:
    return Dispute.objects.filter(
        shop_id=shop_id,
        status=DisputeStatus.RULED,
        outcome__in=[DisputeOutcome.REFUND_FULL, DisputeOutcome.REFUND_PARTIAL],
    ).count()


def tier_for(good_orders: int) -> tuple[int | None, int | None, int | None]:
    """(limit now, good orders for the next tier, the next tier's limit)."""
    tiers = sorted(trust_settings.get("C2C_LISTING_TIERS"), key=lambda t: t[0])
    limit, next_at, next_limit = tiers[0][1], None, None
    for i, (at_least, cap) in enumerate(tiers):
        if good_orders >= at_least:
            limit = cap
            if i + 1 < len(tiers):
                next_at, next_limit = tiers[i + 1]
            else:
                next_at, next_limit = None, None
    return limit, next_at, next_limit


def listing_tier(shop_id: int) -> ListingTier:
    """The shop's listing tier from its history (see ``C2C_LISTING_TIERS``)."""
    completed = orders.orders_for_shop(
        shop_id=shop_id, status=OrderStatus.COMPLETED
    ).count()
    lost = lost_disputes(shop_id)
    good = max(0, completed - lost)
    limit, next_at, next_limit = tier_for(good)
    return ListingTier(good, completed, lost, limit, next_at, next_limit)


def listed_count(shop_id: int) -> int:
    return catalog.product_list(shop_id=shop_id, page_size=1).total
