from __future__ import annotations

from emporia.kernel.events import event


@event("fulfilment.shipment_created")
class ShipmentCreated:
    shipment_id: int
    order_id: int
    shop_id: int
    carrier: str
    tracking_number: str


@event("fulfilment.return_requested")
class ReturnRequested:
    return_id: int
    order_id: int
    shop_id: int
    buyer_id: int


@event("fulfilment.return_status_changed")
class ReturnStatusChanged:
    return_id: int
    order_id: int
    shop_id: int
    from_status: str
    to_status: str
