"""Extension points the checkout offers to modes.

``placement_policies`` decide, for each shop order about to be placed, whether
it is held and when: before payment (a B2B purchase awaiting approval) or as
soon as payment arrives (a Pinduoduo group still forming, a made-to-order
piece entering production). The first policy (by priority) that returns a
Placement wins; with none, orders go straight to payment and fulfilment.

``order_adjusters`` add shipping, discounts and taxes to each shop order.
The checkout registers a flat/free-over shipping adjuster itself; modes add
coupons, duties, free shipping for members…
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from django.conf import settings

from emporia.kernel.money import Money
from emporia.kernel.registry import Registry


@dataclass(frozen=True)
class DraftLine:
    sku_id: int
    product_id: int
    quantity: int
    unit_price: Decimal
    line_total: Money


@dataclass(frozen=True)
class OrderDraft:
    """One shop order before it exists: what policies and adjusters see."""

    buyer_id: int
    shop_id: int
    location_id: int
    source: str
    source_ref: str
    currency: str
    lines: tuple[DraftLine, ...]
    items: Money
    address: dict


@dataclass(frozen=True)
class Placement:
    hold_before_payment: str = ""
    hold_on_payment: str = ""


class PlacementPolicy(Protocol):
    def decide(self, draft: OrderDraft) -> Placement | None:
        """A Placement for drafts this policy governs, else None. No writes."""


@dataclass(frozen=True)
class Adjustment:
    """``kind`` is "shipping", "discount" or "tax"; amounts are positive
    (a discount of 5 lowers the total by 5)."""

    kind: str
    amount: Money
    label: str


class OrderAdjuster(Protocol):
    def adjust(self, draft: OrderDraft) -> list[Adjustment]:
        """Adjustments for one shop order. No writes; constant queries per batch."""


placement_policies: Registry[PlacementPolicy] = Registry(
    "checkout.placement_policies", "Whether and when a new order is held"
)
order_adjusters: Registry[OrderAdjuster] = Registry(
    "checkout.order_adjusters", "Shipping, discounts and taxes per shop order"
)


class FlatShipping:
    """Default shipping: a flat fee per shop order, free from a threshold
    (``EMPORIA["SHIPPING"]``, in major units of the order's currency)."""

    def adjust(self, draft: OrderDraft) -> list[Adjustment]:
        conf = settings.EMPORIA.get("SHIPPING", {"flat": "8", "free_over": "99"})
        free_over = Money.from_decimal(conf["free_over"], draft.currency)
        if draft.items >= free_over:
            return [Adjustment("shipping", Money.zero(draft.currency), "Free shipping")]
        return [
            Adjustment(
                "shipping",
                Money.from_decimal(conf["flat"], draft.currency),
                "Standard shipping",
            )
        ]
