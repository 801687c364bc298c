"""Stock reads."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import F, Sum

from .models import StockItem


def stock_for_skus(sku_ids: Iterable[int]) -> dict[int, list[StockItem]]:
    """Stock rows at active locations for several SKUs, one query, most available first."""
    rows = (
        StockItem.objects.filter(sku_id__in=set(sku_ids), location__is_active=True)
        .select_related("location")
        .annotate(avail=F("on_hand") - F("reserved"))
        .order_by("sku_id", "-avail", "id")
    )
    out: dict[int, list[StockItem]] = defaultdict(list)
    for row in rows:
        out[row.sku_id].append(row)
    return out


def availability(sku_ids: Iterable[int]) -> dict[int, int]:
    """Units available to sell per SKU, summed over active locations (one query)."""
    rows = (
        StockItem.objects.filter(sku_id__in=set(sku_ids), location__is_active=True)
        .values("sku_id")
        .annotate(avail=Sum(F("on_hand") - F("reserved")))
    )
    return {r["sku_id"]: int(r["avail"] or 0) for r in rows}
