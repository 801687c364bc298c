"""Extension points the orders app offers to modes.

``settlement_policies``: when an order completes, how the buyer's money held
in escrow is released to the shop. The first policy (by priority) that
returns a decision wins; without one, the default releases everything at
completion minus the commission rate the order snapshotted.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from emporia.kernel.registry import Registry

from .models import Order


@dataclass(frozen=True)
class Settlement:
    """``release``: move escrow to the shop now (False withholds it, e.g. while
    a dispute or a governance review is open — the policy releases later by
    calling ``orders.services.settle_order``). ``commission_rate`` overrides
    the order's snapshot when given."""

    release: bool = True
    commission_rate: Decimal | None = None
    reason: str = ""


class SettlementPolicy(Protocol):
    def decide(self, order: Order) -> Settlement | None:
        """Return a Settlement for orders this policy governs, else None."""


settlement_policies: Registry[SettlementPolicy] = Registry(
    "orders.settlement_policies", "How escrow is released when an order completes"
)
