"""Extension points the checkout offers to modes.

``placement_policies`` decide, for each shop order about to be placed, whether
it is held and when: before payment (a B2B purchase awaiting approval) or as
soon as payment arrives (a Pinduoduo group still forming, a made-to-order
piece entering production). The first policy (by priority) that returns a
Placement wins; with none, orders go straight to payment and fulfilment.

``order_adjusters`` add shipping, discounts and taxes to each shop order.
The checkout registers a flat/free-over shipping adjuster itself; modes add
coupons, duties, free shipping for members… Adjusters run in priority order
and each sees what the earlier ones returned (``OrderDraft.adjustments``), so
a late adjuster can cover shipping too. Each adjuster runs over every shop
order of the checkout before the next one starts, and sees them all
(``OrderDraft.checkout``, each with the earlier adjusters' adjustments), so
it can split one amount across the checkout (a balance to spend) the same
way from every order. ``OrderDraft.options`` carries what the buyer chose at
checkout (e.g. ``{"use_credit": True}``): opaque to the core, given meaning
by the adjuster that reads it.

A **funded discount** (``Adjustment.funded_by`` set to a ledger account code)
is one a third party pays the shop for: the platform's marketing budget (a
free prize, a subsidy — 补贴) or the buyer's own credit balance. When the
order is placed the checkout posts Dr ``funded_by`` / Cr the shop's escrow
for it (ref ``order:<id>``), so the shop is paid the full price at settlement
exactly as if the buyer had paid it; an unpaid order that is cancelled gives
the funding back. A buyer-owned funding account (``user:…``) can never be
overdrawn: placement is refused instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

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
    # What the adjusters before this one returned (see ``order_adjusters``).
    adjustments: tuple[Adjustment, ...] = ()
    # The buyer's checkout options (opaque to the core; see the module doc).
    options: Mapping[str, Any] = field(default_factory=dict)
    # Every shop order of the checkout, this one included, each with the
    # adjustments the adjusters before this one returned for it.
    checkout: tuple[OrderDraft, ...] = ()

    @property
    def key(self) -> tuple[int, int]:
        """What tells this shop order apart within its checkout."""
        return (self.shop_id, self.location_id)

    def amount(self, kind: str) -> Money:
        """The sum of the adjustments so far of one kind."""
        minor = sum(a.amount.minor for a in self.adjustments if a.kind == kind)
        return Money(minor, self.currency)

    @property
    def due(self) -> Money:
        """What the buyer would pay with the adjustments so far: items +
        shipping + tax − discounts (discounts never below a zero total of
        items and shipping, as the checkout caps them)."""
        shipping = self.amount("shipping")
        discount = min(self.amount("discount"), self.items + shipping)
        return self.items + shipping + self.amount("tax") - discount


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
    (a discount of 5 lowers the total by 5). ``funded_by``, for a discount
    only: the ledger account that pays the shop for it (see the module
    docstring); empty when the shop bears the discount itself."""

    kind: str
    amount: Money
    label: str
    funded_by: str = ""


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
