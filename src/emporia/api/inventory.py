"""HTTP API: inventory — a shop's locations and stock, the public availability
of a SKU.

Shop staff manage their own shop's locations and stock; another shop's (or a
stranger's) request gets 404.
"""

from __future__ import annotations

from decimal import Decimal

from ninja import Field, Query, Router, Schema, Status

from emporia.core.accounts import selectors as accounts
from emporia.core.inventory import selectors, services
from emporia.core.inventory.models import Location

from .auth import AUTH

router = Router(tags=["Inventory"])

MAX_STOCK = services.MAX_STOCK


class LocationIn(Schema):
    code: str = Field(..., min_length=1, max_length=40)
    name: str = Field(..., min_length=1, max_length=120)
    kind: Location.Kind = Location.Kind.WAREHOUSE
    country: str = Field("CN", min_length=2, max_length=2)
    region: str = Field("", max_length=60)
    city: str = Field("", max_length=60)
    latitude: Decimal | None = Field(None, ge=-90, le=90, max_digits=9)
    longitude: Decimal | None = Field(None, ge=-180, le=180, max_digits=10)


class LocationPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    kind: Location.Kind | None = None
    country: str | None = Field(None, min_length=2, max_length=2)
    region: str | None = Field(None, max_length=60)
    city: str | None = Field(None, max_length=60)
    latitude: Decimal | None = Field(None, ge=-90, le=90, max_digits=9)
    longitude: Decimal | None = Field(None, ge=-180, le=180, max_digits=10)
    is_active: bool | None = None


class StockIn(Schema):
    sku_id: int = Field(..., gt=0, le=2**62, strict=True)
    location_id: int = Field(..., gt=0, le=2**62, strict=True)
    quantity: int = Field(..., ge=0, le=MAX_STOCK, strict=True)
    reason: str = Field("", max_length=200)
    ref: str = Field("", max_length=64)


class AdjustIn(Schema):
    delta: int = Field(..., ge=-MAX_STOCK, le=MAX_STOCK, strict=True)
    reason: str = Field(..., min_length=1, max_length=200)


class StockQuery(Schema):
    sku_id: int | None = Field(None, gt=0, le=2**62)
    location_id: int | None = Field(None, gt=0, le=2**62)


class PageQuery(Schema):
    limit: int = Field(50, ge=1, le=selectors.MAX_PAGE)
    offset: int = Field(0, ge=0, le=10**9)


def _location(loc: Location) -> dict:
    return {
        "id": loc.pk,
        "code": loc.code,
        "name": loc.name,
        "kind": loc.kind,
        "country": loc.country,
        "region": loc.region,
        "city": loc.city,
        "latitude": None if loc.latitude is None else str(loc.latitude),
        "longitude": None if loc.longitude is None else str(loc.longitude),
        "is_active": loc.is_active,
    }


def _stock(item) -> dict:
    return {
        "id": item.pk,
        "sku_id": item.sku_id,
        "sku_code": item.sku.code,
        "location_id": item.location_id,
        "location_code": item.location.code,
        "on_hand": item.on_hand,
        "reserved": item.reserved,
        "available": item.available,
    }


@router.get("shops/{shop_id}/locations", auth=AUTH)
def list_locations(request, shop_id: int):
    shop = accounts.staff_shop(user=request.auth, shop_id=shop_id)
    return {"items": [_location(loc) for loc in selectors.locations_for(shop.pk)]}


@router.post("shops/{shop_id}/locations", auth=AUTH, response={201: dict})
def create_location(request, shop_id: int, payload: LocationIn):
    shop = accounts.staff_shop(user=request.auth, shop_id=shop_id)
    location = services.create_location(
        shop=shop, actor=request.auth, **payload.model_dump()
    )
    return Status(201, _location(location))


@router.patch("shops/{shop_id}/locations/{location_id}", auth=AUTH)
def update_location(request, shop_id: int, location_id: int, payload: LocationPatch):
    shop = accounts.staff_shop(user=request.auth, shop_id=shop_id)
    location = selectors.location_for(shop_id=shop.pk, location_id=location_id)
    location = services.update_location(
        location=location,
        actor=request.auth,
        **payload.model_dump(exclude_unset=True),
    )
    return _location(location)


@router.get("shops/{shop_id}/stock", auth=AUTH)
def list_stock(request, shop_id: int, q: Query[StockQuery]):
    shop = accounts.staff_shop(user=request.auth, shop_id=shop_id)
    rows = selectors.stock_for_shop(shop.pk, sku_id=q.sku_id, location_id=q.location_id)
    return {"items": [_stock(item) for item in rows[:500]]}


@router.post("shops/{shop_id}/stock", auth=AUTH, response={201: dict})
def receive_stock(request, shop_id: int, payload: StockIn):
    """Stock a SKU at a location, receiving ``quantity`` units."""
    shop = accounts.staff_shop(user=request.auth, shop_id=shop_id)
    item = services.set_up_stock(shop=shop, actor=request.auth, **payload.model_dump())
    item = selectors.stock_item_for(shop_id=shop.pk, stock_item_id=item.pk)
    return Status(201, _stock(item))


@router.post("shops/{shop_id}/stock/{stock_item_id}/adjust", auth=AUTH)
def adjust_stock(request, shop_id: int, stock_item_id: int, payload: AdjustIn):
    """Correct on-hand stock by ``delta`` units, saying why."""
    shop = accounts.staff_shop(user=request.auth, shop_id=shop_id)
    item = selectors.stock_item_for(shop_id=shop.pk, stock_item_id=stock_item_id)
    services.adjust_stock(
        stock_item=item, delta=payload.delta, reason=payload.reason, actor=request.auth
    )
    return _stock(selectors.stock_item_for(shop_id=shop.pk, stock_item_id=item.pk))


@router.get("shops/{shop_id}/stock/{stock_item_id}/movements", auth=AUTH)
def list_movements(request, shop_id: int, stock_item_id: int, q: Query[PageQuery]):
    shop = accounts.staff_shop(user=request.auth, shop_id=shop_id)
    item = selectors.stock_item_for(shop_id=shop.pk, stock_item_id=stock_item_id)
    rows, count = selectors.movements(item.pk, limit=q.limit, offset=q.offset)
    return {
        "count": count,
        "items": [
            {
                "id": m.pk,
                "delta": m.delta,
                "kind": m.kind,
                "reason": m.reason,
                "ref": m.ref,
                "actor": m.actor_id,
                "created_at": m.created_at,
            }
            for m in rows
        ],
    }


@router.get("skus/{sku_id}/availability")
def sku_availability(request, sku_id: int):
    """Units of a listed SKU available to order, over all active locations."""
    return {"sku_id": sku_id, "available": selectors.public_availability(sku_id)}
