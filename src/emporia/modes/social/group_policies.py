"""How group buying plugs into the core checkout.

- :class:`GroupPrice` (``pricing.price_rules``): a line placed as a group
  member (``source="social.group"``, ``source_ref`` = the group's ref) of
  the campaign's SKU is priced at the group price, with the reason
  "Group price".
- :class:`HoldWhileForming` (``checkout.placement_policies``): such an order
  goes on hold ("group forming") the moment it is paid; filling the group
  releases it (``services.groups.sync_group``).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from emporia.core.checkout.extensions import OrderDraft, Placement
from emporia.core.pricing.extensions import Price, PriceContext

from .models import Group
from .services.groups import HOLD_REASON, SOURCE


class GroupPrice:
    """PriceRule: the group price for group members' lines. ``prepare`` loads
    every group of the batch in one query; its result is kept per thread
    (one rule instance serves all threads)."""

    def __init__(self):
        self._local = threading.local()

    def prepare(self, contexts: Sequence[PriceContext]) -> None:
        refs = {c.source_ref for c in contexts if c.source == SOURCE and c.source_ref}
        self._local.prices = (
            {
                ref: (sku_id, price)
                for ref, sku_id, price in Group.objects.filter(
                    ref__in=refs
                ).values_list("ref", "campaign__sku_id", "campaign__group_price")
            }
            if refs
            else {}
        )

    def apply(self, context: PriceContext, price: Price) -> Price:
        if context.source != SOURCE:
            return price
        found = getattr(self._local, "prices", {}).get(context.source_ref)
        if found is None or found[0] != context.sku_id:
            return price
        return price.adjusted(found[1], code="group_price", label="Group price")


class HoldWhileForming:
    """PlacementPolicy: group members' orders are held on payment."""

    def decide(self, draft: OrderDraft) -> Placement | None:
        if draft.source == SOURCE:
            return Placement(hold_on_payment=HOLD_REASON)
        return None
