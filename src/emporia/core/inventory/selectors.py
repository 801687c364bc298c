"""Stock reads."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import F, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from emporia.core.catalog.models import Product, Sku
from emporia.infra.sql import CompiledQuery
from emporia.kernel.errors import NotFound

from .models import Location, StockItem, StockMovement

MAX_PAGE = 200


_STOCK_FOR_SKUS = CompiledQuery(
    lambda ids: (
        StockItem.objects.filter(sku_id__in=ids, location__is_active=True)
        .select_related("location")
        .annotate(avail=F("on_hand") - F("reserved"))
        .order_by("sku_id", "-avail", "id")
    ),
    ids=list,
)
_AVAILABILITY = CompiledQuery(
    lambda ids: (
        StockItem.objects.filter(sku_id__in=ids, location__is_active=True)
        .values("sku_id")
        .annotate(avail=Sum(F("on_hand") - F("reserved")))
        .values_list("sku_id", "avail")
    ),
    ids=list,
)


def stock_for_skus(sku_ids: Iterable[int]) -> dict[int, list[StockItem]]:
    """Stock rows at active locations for several SKUs, one query, most available first."""
    out: dict[int, list[StockItem]] = defaultdict(list)
    for row in _STOCK_FOR_SKUS.all(ids=sorted(set(sku_ids))):
        out[row.sku_id].append(row)
    return out


def availability(sku_ids: Iterable[int]) -> dict[int, int]:
    """Units available to sell per SKU, summed over active locations (one query)."""
    return {
        sku_id: int(avail or 0)
        for sku_id, avail in _AVAILABILITY.all(ids=sorted(set(sku_ids)))
    }


def available_units(sku: str = "pk") -> Coalesce:
    """``availability`` as an expression, for another app to annotate onto
    its own query of SKUs (``sku`` names the SKU's id in that query): the
    units to sell summed over active locations, 0 when none. One statement
    instead of two where the SKU is read anyway (adding to the cart)."""
    return Coalesce(
        Subquery(
            StockItem.objects.filter(sku_id=OuterRef(sku), location__is_active=True)
            .values("sku_id")
            .annotate(avail=Sum(F("on_hand") - F("reserved")))
            .values("avail")[:1]
        ),
        0,
    )


def in_stock_products(product_ids: Iterable[int]) -> set[int]:
    """Which of these products have at least one unit of an active SKU
    available to sell at an active location (one query)."""
    return set(in_stock_product_ids(product_ids))


def in_stock_product_ids(product_ids: Iterable[int]) -> QuerySet:
    """``in_stock_products`` as an unevaluated ``values_list`` of product
    ids, for other apps to use as a subquery (``pk__in=``)."""
    return (
        StockItem.objects.filter(
            sku__product_id__in=set(product_ids),
            sku__is_active=True,
            location__is_active=True,
            on_hand__gt=F("reserved"),
        )
        .values_list("sku__product_id", flat=True)
        .distinct()
    )


def locations_for(shop_id: int) -> QuerySet[Location]:
    """A shop's locations, active first, by code."""
    return Location.objects.filter(shop_id=shop_id).order_by("-is_active", "code")


def location_for(*, shop_id: int, location_id: int) -> Location:
    location = Location.objects.filter(shop_id=shop_id, pk=location_id).first()
    if location is None:
        raise NotFound(_("No such location"))
    return location


def stock_for_shop(
    shop_id: int, *, sku_id: int | None = None, location_id: int | None = None
) -> QuerySet[StockItem]:
    """Stock rows at a shop's locations, with SKU and location, by SKU then location."""
    rows = StockItem.objects.filter(location__shop_id=shop_id)
    if sku_id is not None:
        rows = rows.filter(sku_id=sku_id)
    if location_id is not None:
        rows = rows.filter(location_id=location_id)
    return rows.select_related("sku", "location").order_by("sku_id", "location_id")


def stock_item_for(*, shop_id: int, stock_item_id: int) -> StockItem:
    """One stock row of the shop; another shop's is NotFound."""
    item = (
        StockItem.objects.filter(pk=stock_item_id, location__shop_id=shop_id)
        .select_related("sku", "location")
        .first()
    )
    if item is None:
        raise NotFound(_("No such stock item"))
    return item


def movements(
    stock_item_id: int, *, limit: int = 50, offset: int = 0
) -> tuple[list[StockMovement], int]:
    """A page of a stock row's movements, newest first, and the total count."""
    rows = StockMovement.objects.filter(stock_item_id=stock_item_id)
    limit = max(1, min(int(limit), MAX_PAGE))
    offset = max(0, int(offset))
    page = rows.select_related("actor").order_by("-created_at", "-id")[
        offset : offset + limit
    ]
    return list(page), rows.count()


def public_availability(sku_id: int) -> int:
    """Units of a listed, active SKU a buyer can order; NotFound otherwise."""
    if not Sku.objects.filter(
        pk=sku_id, is_active=True, product__status=Product.Status.LISTED
    ).exists():
        raise NotFound(_("No such SKU"))
    return availability([sku_id]).get(sku_id, 0)
