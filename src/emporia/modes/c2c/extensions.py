"""Extension points the C2C mode offers its own parts (trust, ads,
governance) so they plug into each other without special cases."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from emporia.kernel.registry import Registry


@dataclass(frozen=True)
class Check:
    """One item of the seller growth checklist: ``value`` is the shop's
    figure, ``limit`` the threshold it is held to (both in ``unit``:
    "percent", "percent_vs_category", "count"), ``ok`` whether it passes
    (None: not enough data to judge), ``basis`` how many orders or ratings
    the figure is computed from, ``detail`` further figures by name."""

    code: str
    value: Decimal | None
    limit: Decimal | None
    unit: str
    ok: bool | None
    basis: int
    detail: dict = field(default_factory=dict)


class GrowthCheck(Protocol):
    """``check(shop_id) -> Check | None``: one more item for the growth
    checklist (e.g. the dispute rate from the escrow part), None when it does
    not apply to the shop. Must be a read: a few queries, no writes."""

    def __call__(self, shop_id: int) -> Check | None: ...


growth_checks: Registry[GrowthCheck] = Registry(
    "c2c.growth_checks",
    "Further items of the seller growth checklist, after the built-in ones "
    "(detailed scores, late shipping, returns, bad ratings).",
)
