"""Shipping and returns.

A shop ships some or all of an order's lines from a location with a carrier
and tracking number; when every unit has shipped the order is ``shipped``.
Tracking events move shipments along; when every shipment is delivered the
order is ``delivered`` and its receipt-confirmation clock starts.

A return goes requested → approved → shipped back → received → refunded (or
rejected / cancelled). Receiving it puts the units back on hand at the
location the order shipped from, and refunds through ``payments`` and the
ledger; the refund key is the return's id, so it happens once.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from emporia.core.inventory import services as inventory
from emporia.core.orders import services as orders
from emporia.core.orders.models import Order
from emporia.core.orders.states import OrderStatus as S
from emporia.core.orders.states import status_words
from emporia.core.payments import services as payments
from emporia.infra.outbox.services import emit
from emporia.kernel import clock
from emporia.kernel.errors import Conflict, NotFound, ValidationFailed
from emporia.kernel.money import Money

from . import events, reasons, states
from .models import (
    ReturnLine,
    ReturnRequest,
    ReturnStatusChange,
    Shipment,
    ShipmentLine,
    TrackingEvent,
)

SHIPPABLE = frozenset({S.PAID, S.FULFILLING, S.PARTIALLY_REFUNDED})
RETURNABLE = frozenset({S.SHIPPED, S.DELIVERED, S.COMPLETED, S.PARTIALLY_REFUNDED})


def _shipped_quantities(order: Order) -> dict[int, int]:
    rows = (
        ShipmentLine.objects.filter(shipment__order=order)
        .values("order_line_id")
        .annotate(q=Sum("quantity"))
    )
    return {r["order_line_id"]: r["q"] for r in rows}


def _merge_lines(
    order: Order, order_lines: dict, lines, *, what: str
) -> dict[int, int]:
    """Sum quantities per order line, refusing lines of other orders and
    quantities that are not positive."""
    merged: dict[int, int] = defaultdict(int)
    for line_id, qty in lines:
        if line_id not in order_lines:
            raise NotFound(
                _("Order line %(line)s is not part of order %(number)s")
                % {"line": line_id, "number": order.number}
            )
        if qty <= 0:
            raise ValidationFailed(
                _("Shipped quantities must be positive")
                if what == "Shipped"
                else _("Returned quantities must be positive")
            )
        merged[line_id] += qty
    return merged


@transaction.atomic
def ship_order(
    *,
    order: Order,
    by,
    carrier: str,
    tracking_number: str,
    lines: list[tuple[int, int]] | None = None,
) -> Shipment:
    """Ship lines (``[(order_line_id, quantity)]``; all unshipped units when
    omitted). The order becomes ``shipped`` when nothing is left to ship."""
    carrier, tracking_number = (carrier or "").strip(), (tracking_number or "").strip()
    if not carrier or len(carrier) > 40:
        raise ValidationFailed(
            _("Name the carrier (at most 40 characters)"), field="carrier"
        )
    if not tracking_number or len(tracking_number) > 64:
        raise ValidationFailed(
            _("Give the tracking number (at most 64 characters)"),
            field="tracking_number",
        )
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.status not in SHIPPABLE:
        raise Conflict(
            _("Order %(number)s is %(status)s: it cannot be shipped")
            % {
                "number": order.number,
                "status": status_words(order.status),
            },
            code="invalid_transition",
        )
    order_lines = {li.pk: li for li in order.lines.all()}
    shipped = _shipped_quantities(order)
    remaining = {pk: li.quantity - shipped.get(pk, 0) for pk, li in order_lines.items()}
    wanted = (
        lines
        if lines is not None
        else [(pk, q) for pk, q in remaining.items() if q > 0]
    )
    merged = _merge_lines(order, order_lines, wanted, what="Shipped")
    if not merged:
        raise Conflict(_("Everything in this order has shipped already"))
    for line_id, qty in merged.items():
        if qty > remaining[line_id]:
            raise ValidationFailed(
                _("Only %(n)s of line %(line)s are left to ship")
                % {"n": remaining[line_id], "line": line_id}
            )
    try:
        with transaction.atomic():
            shipment = Shipment.objects.create(
                order=order,
                location_id=order.location_id,
                carrier=carrier,
                tracking_number=tracking_number,
            )
    except IntegrityError as exc:
        raise Conflict(
            _("That tracking number is already used for another shipment")
        ) from exc
    ShipmentLine.objects.bulk_create(
        ShipmentLine(shipment=shipment, order_line_id=pk, quantity=q)
        for pk, q in merged.items()
    )
    TrackingEvent.objects.create(
        shipment=shipment,
        status=Shipment.Status.SHIPPED,
        description=reasons.HANDED_TO.text(carrier=carrier),
    )
    emit(
        events.ShipmentCreated(
            shipment_id=shipment.pk,
            order_id=order.pk,
            shop_id=order.shop_id,
            carrier=carrier,
            tracking_number=tracking_number,
        )
    )
    if all(remaining[pk] - merged.get(pk, 0) == 0 for pk in order_lines):
        orders.mark_shipped(
            order=order,
            actor=by,
            reason=reasons.SHIPPED_WITH.text(carrier=carrier, tracking=tracking_number),
        )
    return shipment


@transaction.atomic
def record_tracking(
    *, shipment: Shipment, status: str, description: str, place: str = ""
) -> TrackingEvent:
    """A carrier scan. ``delivered`` on the last shipment delivers the order.

    ValidationFailed for an unknown status or a blank description (what
    happened, e.g. "Arrived at the Hangzhou hub"); nothing is written."""
    if status not in Shipment.Status.values:
        raise ValidationFailed(
            _("Unknown tracking status %(status)s") % {"status": repr(status)},
            field="status",
        )
    description, place = (description or "").strip(), (place or "").strip()
    if not description:
        raise ValidationFailed(
            _("Say what happened to the parcel"), field="description"
        )
    shipment = Shipment.objects.select_for_update().get(pk=shipment.pk)
    if shipment.status == Shipment.Status.DELIVERED:
        raise Conflict(_("This shipment was already delivered"))
    event = TrackingEvent.objects.create(
        shipment=shipment,
        status=status,
        description=description[:255],
        place=place[:120],
    )
    fields = {"status": status}
    if status == Shipment.Status.DELIVERED:
        fields["delivered_at"] = clock.now()
    Shipment.objects.filter(pk=shipment.pk).update(**fields)
    order = Order.objects.get(pk=shipment.order_id)
    if (
        status == Shipment.Status.DELIVERED
        and _awaiting_delivery(order)
        and not order.shipments.exclude(status=Shipment.Status.DELIVERED).exists()
    ):
        orders.mark_delivered(
            order=order, reason=reasons.DELIVERED_BY.text(carrier=shipment.carrier)
        )
    return event


def _awaiting_delivery(order: Order) -> bool:
    """Every unit has shipped and the order is not delivered yet. A return
    refunded while the parcel is on its way leaves the order partially
    refunded; it still gets delivered (and its receipt clock started)."""
    if order.status == S.SHIPPED:
        return True
    if order.status != S.PARTIALLY_REFUNDED or order.delivered_at is not None:
        return False
    shipped = _shipped_quantities(order)
    return all(li.quantity <= shipped.get(li.pk, 0) for li in order.lines.all())


# --- returns -----------------------------------------------------------------


def _return_transition(
    request: ReturnRequest, new: str, *, actor=None, reason: str = "", **fields
) -> ReturnRequest:
    old = request.status
    states.check(old, new)
    if not ReturnRequest.objects.filter(pk=request.pk, status=old).update(
        status=new, **fields
    ):
        raise Conflict(_("The return changed meanwhile; reload and try again"))
    request.status = new
    for k, v in fields.items():
        setattr(request, k, v)
    ReturnStatusChange.objects.create(
        request=request,
        from_status=old,
        to_status=new,
        actor=actor if getattr(actor, "pk", None) else None,
        reason=reason[:255],
    )
    order = request.order
    emit(
        events.ReturnStatusChanged(
            return_id=request.pk,
            order_id=order.pk,
            shop_id=order.shop_id,
            from_status=old,
            to_status=new,
        )
    )
    return request


def _window_days() -> int:
    return settings.EMPORIA.get("RETURN_WINDOW_DAYS", 7)


@transaction.atomic
def request_return(
    *, order: Order, buyer, lines: list[tuple[int, int]], reason: str
) -> ReturnRequest:
    """The buyer asks to send back units of a received order, within the
    return window after delivery. The refund is the lines' share of what was
    paid for them."""
    if order.buyer_id != buyer.pk:
        raise NotFound(_("No such order"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Say why you are returning the items"), field="reason")
    if order.status not in RETURNABLE:
        raise Conflict(
            _("Order %(number)s is %(status)s: nothing can be returned yet")
            % {
                "number": order.number,
                "status": status_words(order.status),
            }
        )
    if order.delivered_at and clock.now() > order.delivered_at + dt.timedelta(
        days=_window_days()
    ):
        raise Conflict(
            _("The %(days)s-day return window for this order has closed")
            % {"days": _window_days()}
        )
    order_lines = {li.pk: li for li in order.lines.all()}
    already = dict(
        ReturnLine.objects.filter(
            request__order=order,
            request__status__in=states.OPEN | {ReturnRequest.Status.REFUNDED},
        )
        .values_list("order_line_id")
        .annotate(q=Sum("quantity"))
    )
    merged = _merge_lines(order, order_lines, lines, what="Returned")
    if not merged:
        raise ValidationFailed(_("Choose what to return"))
    refund = Money.zero(order.currency)
    for line_id, qty in merged.items():
        line = order_lines[line_id]
        left = line.quantity - already.get(line_id, 0)
        if qty > left:
            raise ValidationFailed(
                _("Only %(n)s of %(product)s can still be returned")
                % {"n": left, "product": line.product_name}
            )
        share = Money(line.line_total_minor, order.currency).allocate(
            [qty, line.quantity - qty]
        )
        refund += share[0]
    request = ReturnRequest.objects.create(
        order=order,
        buyer=buyer,
        reason=reason[:500],
        refund_minor=refund.minor,
        currency=order.currency,
    )
    ReturnLine.objects.bulk_create(
        ReturnLine(request=request, order_line_id=pk, quantity=q)
        for pk, q in merged.items()
    )
    ReturnStatusChange.objects.create(
        request=request, to_status=request.status, actor=buyer, reason=reason[:255]
    )
    emit(
        events.ReturnRequested(
            return_id=request.pk,
            order_id=order.pk,
            shop_id=order.shop_id,
            buyer_id=buyer.pk,
        )
    )
    return request


@transaction.atomic
def approve_return(*, request: ReturnRequest, by) -> ReturnRequest:
    return _return_transition(
        request,
        ReturnRequest.Status.APPROVED,
        actor=by,
        reason=reasons.RETURN_APPROVED.text(),
    )


@transaction.atomic
def reject_return(*, request: ReturnRequest, by, reason: str) -> ReturnRequest:
    if not (reason or "").strip():
        raise ValidationFailed(
            _("Tell the buyer why the return is rejected"), field="reason"
        )
    return _return_transition(
        request, ReturnRequest.Status.REJECTED, actor=by, reason=reason
    )


@transaction.atomic
def cancel_return(*, request: ReturnRequest, by) -> ReturnRequest:
    return _return_transition(
        request,
        ReturnRequest.Status.CANCELLED,
        actor=by,
        reason=reasons.RETURN_CANCELLED.text(),
    )


@transaction.atomic
def ship_return(
    *, request: ReturnRequest, by, carrier: str, tracking_number: str
) -> ReturnRequest:
    if not carrier.strip() or not tracking_number.strip():
        raise ValidationFailed(
            _("Give the carrier and the tracking number of the parcel")
        )
    return _return_transition(
        request,
        ReturnRequest.Status.SHIPPED_BACK,
        actor=by,
        reason=reasons.SENT_BACK.text(carrier=carrier),
        return_carrier=carrier.strip()[:40],
        return_tracking=tracking_number.strip()[:64],
    )


@transaction.atomic
def receive_return(*, request: ReturnRequest, by) -> ReturnRequest:
    """The shop has the parcel: units go back on hand and the buyer is refunded."""
    _return_transition(
        request,
        ReturnRequest.Status.RECEIVED,
        actor=by,
        reason=reasons.PARCEL_RECEIVED.text(),
    )
    order = request.order
    if order.location_id:
        lines = {li.pk: li for li in order.lines.all()}
        for rl in request.lines.all():
            item = inventory.stock_item_for(
                sku_id=lines[rl.order_line_id].sku_id, location=order.location
            )
            inventory.restock(
                stock_item_id=item.pk,
                quantity=rl.quantity,
                ref=f"return:{request.pk}",
                reason=reasons.RETURN_RESTOCKED.text(),
                actor=by,
            )
    if request.refund_minor > 0:
        why = reasons.RETURN_REFUND.text(number=request.pk, reason=request.reason)
        payments.refund_order(
            order=order,
            amount=Money(request.refund_minor, request.currency),
            reason=why[:255],
            key=f"return:{request.pk}",
            actor=by,
            actor_kind="shop",
        )
    return _return_transition(
        request,
        ReturnRequest.Status.REFUNDED,
        actor=by,
        reason=reasons.RETURN_REFUNDED.text(),
    )
