"""HTTP API: shipping and returns."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Router, Schema

from emporia.core.accounts import selectors as accounts
from emporia.core.fulfilment import selectors, services
from emporia.core.orders import selectors as order_selectors

from .auth import AUTH
from .schemas import MoneyOut, money

router = Router(tags=["Fulfilment and returns"], auth=AUTH)


class ShipLineIn(Schema):
    order_line_id: int = Field(..., gt=0, le=2**62, strict=True)
    quantity: int = Field(..., gt=0, le=9999, strict=True)


class ShipIn(Schema):
    carrier: str = Field(..., min_length=1, max_length=40)
    tracking_number: str = Field(..., min_length=1, max_length=64)
    lines: list[ShipLineIn] | None = Field(None, max_length=100)


class TrackingOut(Schema):
    status: str
    description: str
    place: str
    at: dt.datetime


class ShipmentOut(Schema):
    id: int
    order_id: int
    carrier: str
    tracking_number: str
    status: str
    shipped_at: dt.datetime
    delivered_at: dt.datetime | None
    lines: list[dict]
    events: list[TrackingOut]


def shipment_out(s) -> dict:
    return {
        "id": s.pk,
        "order_id": s.order_id,
        "carrier": s.carrier,
        "tracking_number": s.tracking_number,
        "status": s.status,
        "shipped_at": s.shipped_at,
        "delivered_at": s.delivered_at,
        "lines": [
            {"order_line_id": li.order_line_id, "quantity": li.quantity}
            for li in s.lines.all()
        ],
        "events": [
            {
                "status": e.status,
                "description": e.description,
                "place": e.place,
                "at": e.at,
            }
            for e in s.events.all()
        ],
    }


@router.post("/orders/{order_id}/shipments", response={201: ShipmentOut})
def ship(request, order_id: int, payload: ShipIn):
    """Shop staff ship some or all of an order's lines."""
    order = order_selectors.order_for_staff(user=request.auth, order_id=order_id)
    lines = (
        [(li.order_line_id, li.quantity) for li in payload.lines]
        if payload.lines
        else None
    )
    shipment = services.ship_order(
        order=order,
        by=request.auth,
        carrier=payload.carrier,
        tracking_number=payload.tracking_number,
        lines=lines,
    )
    return 201, shipment_out(
        selectors.shipments_for_order(order.pk).get(pk=shipment.pk)
    )


@router.get("/orders/{order_id}/shipments", response=list[ShipmentOut])
def list_shipments(request, order_id: int):
    order = order_selectors.order_for_party(user=request.auth, order_id=order_id)
    return [shipment_out(s) for s in selectors.shipments_for_order(order.pk)]


class TrackingIn(Schema):
    status: str = Field(..., pattern=r"^(in_transit|delivered)$")
    description: str = Field(..., min_length=1, max_length=255)
    place: str = Field("", max_length=120)


@router.post("/shipments/{shipment_id}/tracking", response={201: ShipmentOut})
def add_tracking(request, shipment_id: int, payload: TrackingIn):
    """Record a carrier scan (shop staff or a carrier integration)."""
    shipment = selectors.shipment_for_staff(user=request.auth, shipment_id=shipment_id)
    services.record_tracking(shipment=shipment, **payload.dict())
    return 201, shipment_out(
        selectors.shipments_for_order(shipment.order_id).get(pk=shipment.pk)
    )


class ReturnIn(Schema):
    lines: list[ShipLineIn] = Field(..., min_length=1, max_length=100)
    reason: str = Field(..., min_length=1, max_length=500)


class ReturnOut(Schema):
    id: int
    order_id: int
    order_number: str
    status: str
    reason: str
    refund: MoneyOut
    return_carrier: str
    return_tracking: str
    created_at: dt.datetime


def return_out(r) -> dict:
    return {
        "id": r.pk,
        "order_id": r.order_id,
        "order_number": r.order.number,
        "status": r.status,
        "reason": r.reason,
        "refund": money(r.refund_minor, r.currency),
        "return_carrier": r.return_carrier,
        "return_tracking": r.return_tracking,
        "created_at": r.created_at,
    }


@router.post("/orders/{order_id}/returns", response={201: ReturnOut})
def request_return(request, order_id: int, payload: ReturnIn):
    order = order_selectors.order_for_buyer(user=request.auth, order_id=order_id)
    r = services.request_return(
        order=order,
        buyer=request.auth,
        reason=payload.reason,
        lines=[(li.order_line_id, li.quantity) for li in payload.lines],
    )
    return 201, return_out(r)


@router.get("/returns", response=list[ReturnOut])
def my_returns(request):
    return [return_out(r) for r in selectors.returns_for_buyer(user=request.auth)[:100]]


@router.get("/shops/{shop_id}/returns", response=list[ReturnOut])
def shop_returns(request, shop_id: int):
    shop = accounts.staff_shop(user=request.auth, shop_id=shop_id)
    return [return_out(r) for r in selectors.returns_for_shop(shop_id=shop.pk)[:200]]


class DecisionIn(Schema):
    decision: str = Field(..., pattern=r"^(approve|reject|receive)$")
    reason: str = Field("", max_length=255)


@router.post("/returns/{return_id}/decision", response=ReturnOut)
def decide_return(request, return_id: int, payload: DecisionIn):
    """Shop staff approve or reject a return, or confirm the parcel arrived
    (which restocks and refunds)."""
    r = selectors.return_for_staff(user=request.auth, return_id=return_id)
    if payload.decision == "approve":
        services.approve_return(request=r, by=request.auth)
    elif payload.decision == "reject":
        services.reject_return(request=r, by=request.auth, reason=payload.reason)
    else:
        services.receive_return(request=r, by=request.auth)
    return return_out(r)


class ShipBackIn(Schema):
    carrier: str = Field(..., min_length=1, max_length=40)
    tracking_number: str = Field(..., min_length=1, max_length=64)


@router.post("/returns/{return_id}/ship-back", response=ReturnOut)
def ship_back(request, return_id: int, payload: ShipBackIn):
    r = selectors.return_for_buyer(user=request.auth, return_id=return_id)
    services.ship_return(request=r, by=request.auth, **payload.dict())
    return return_out(r)


@router.post("/returns/{return_id}/cancel", response=ReturnOut)
def cancel_return(request, return_id: int):
    r = selectors.return_for_buyer(user=request.auth, return_id=return_id)
    services.cancel_return(request=r, by=request.auth)
    return return_out(r)
