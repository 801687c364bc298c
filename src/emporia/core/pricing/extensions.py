"""Price resolution: a pipeline of pluggable rules.

The pipeline starts from the SKU's list price and hands the running
:class:`Price` to every registered :class:`PriceRule` in priority order. A
rule may change the unit price and must say why with a :class:`Reason`; the
buyer sees the reasons ("volume tier 100+", "member price", "group price").
Modes register rules in ``AppConfig.ready()``::

    pricing.extensions.price_rules.register("b2b.volume_tiers", VolumeTiers(), priority=20)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Protocol

from emporia.kernel.registry import Registry


@dataclass(frozen=True)
class Reason:
    code: str
    label: str
    unit_price: Decimal

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "label": self.label,
            "unit_price": str(self.unit_price),
        }


@dataclass(frozen=True)
class PriceContext:
    """What is being priced, for whom. ``source`` is the order source the
    line would be placed under ("storefront", "social.group", …)."""

    sku_id: int
    product_id: int
    shop_id: int
    quantity: int
    list_price: Decimal
    currency: str
    buyer_id: int | None = None
    source: str = "storefront"
    source_ref: str = ""
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Price:
    unit_price: Decimal
    currency: str
    reasons: tuple[Reason, ...]

    def adjusted(self, unit_price: Decimal, *, code: str, label: str) -> Price:
        if unit_price < 0:
            raise ValueError("A price rule produced a negative price")
        return replace(
            self,
            unit_price=unit_price,
            reasons=(*self.reasons, Reason(code, label, unit_price)),
        )


class PriceRule(Protocol):
    """Contract: ``prepare`` is called once per pricing batch with every
    context (load what you need in a constant number of queries);
    ``apply`` returns the price unchanged or ``price.adjusted(...)``. It must
    not write to the database and must keep the currency."""

    def prepare(self, contexts: Sequence[PriceContext]) -> None: ...

    def apply(self, context: PriceContext, price: Price) -> Price: ...


price_rules: Registry[PriceRule] = Registry(
    "pricing.price_rules", "Rules that adjust a SKU's unit price, with reasons"
)
