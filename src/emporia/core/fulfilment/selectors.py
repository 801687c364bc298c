"""Shipment and return reads, scoped to the buyer or the shop's staff."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from emporia.core.accounts.models import ShopMember
from emporia.core.orders.models import Order
from emporia.core.orders.states import OrderStatus
from emporia.kernel.errors import NotFound

from .models import ReturnRequest, ReturnStatusChange, Shipment, TrackingEvent


def shipments_for_order(order_id: int) -> QuerySet[Shipment]:
    return (
        Shipment.objects.filter(order_id=order_id)
        .prefetch_related("events", "lines")
        .order_by("id")
    )


def shipment_for_staff(*, user, shipment_id: int) -> Shipment:
    qs = Shipment.objects.filter(pk=shipment_id).select_related("order")
    if not user.is_operator:
        qs = qs.filter(
            order__shop__members__user=user,
            order__shop__members__role__in=ShopMember.Role.values,
        )
    shipment = qs.first()
    if shipment is None:
        raise NotFound(_("No such shipment"))
    return shipment


def return_for_buyer(*, user, return_id: int) -> ReturnRequest:
    request = (
        ReturnRequest.objects.filter(pk=return_id, buyer=user)
        .select_related("order")
        .first()
    )
    if request is None:
        raise NotFound(_("No such return"))
    return request


def return_for_staff(*, user, return_id: int) -> ReturnRequest:
    qs = ReturnRequest.objects.filter(pk=return_id).select_related("order__location")
    if not user.is_operator:
        qs = qs.filter(order__shop__members__user=user)
    request = qs.first()
    if request is None:
        raise NotFound(_("No such return"))
    return request


def returns_for_shop(*, shop_id: int) -> QuerySet[ReturnRequest]:
    return (
        ReturnRequest.objects.filter(order__shop_id=shop_id)
        .select_related("order")
        .order_by("-created_at", "-id")
    )


def returns_for_buyer(*, user) -> QuerySet[ReturnRequest]:
    return (
        ReturnRequest.objects.filter(buyer=user)
        .select_related("order")
        .order_by("-created_at", "-id")
    )


@dataclass(frozen=True)
class TimelineEntry:
    """One moment in an order's life as its buyer and shop see it.

    ``kind`` is ``order`` (a status change), ``tracking`` (a carrier scan) or
    ``return`` (a return request's status change); ``label`` is the English
    status label (the faces translate it); ``note`` says why or where;
    ``actor`` is the person who did it, or None for the system or a carrier.
    """

    at: dt.datetime
    kind: str
    status: str
    label: str
    note: str
    actor: object | None
    ref: str = ""


def order_timeline(order: Order) -> list[TimelineEntry]:
    """Every status change of the order, every tracking scan of its
    shipments and every step of its returns, oldest first (ties keep that
    order: a carrier scan first, as it is what moves the order, then the
    order's own change, then returns). Four queries.
    Callers check that the user may see the order."""
    entries: list[tuple[tuple, TimelineEntry]] = []
    for h in order.history.select_related("actor").order_by("at", "id"):
        entries.append(
            (
                (h.at, 1, h.pk),
                TimelineEntry(
                    at=h.at,
                    kind="order",
                    status=h.to_status,
                    label=_label(OrderStatus, h.to_status),
                    note=h.reason,
                    actor=h.actor,
                ),
            )
        )
    scans = TrackingEvent.objects.filter(shipment__order=order).select_related(
        "shipment"
    )
    for e in scans.order_by("at", "id"):
        entries.append(
            (
                (e.at, 0, e.pk),
                TimelineEntry(
                    at=e.at,
                    kind="tracking",
                    status=e.status,
                    label=_label(Shipment.Status, e.status),
                    note=" · ".join(p for p in (e.description, e.place) if p),
                    actor=None,
                    ref=f"{e.shipment.carrier} {e.shipment.tracking_number}",
                ),
            )
        )
    steps = ReturnStatusChange.objects.filter(request__order=order).select_related(
        "actor"
    )
    for r in steps.order_by("at", "id"):
        entries.append(
            (
                (r.at, 2, r.pk),
                TimelineEntry(
                    at=r.at,
                    kind="return",
                    status=r.to_status,
                    label=_label(ReturnRequest.Status, r.to_status),
                    note=r.reason,
                    actor=r.actor,
                    ref=f"#{r.request_id}",
                ),
            )
        )
    return [entry for _, entry in sorted(entries, key=lambda pair: pair[0])]


def _label(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def return_history(return_id: int) -> QuerySet[ReturnStatusChange]:
    return ReturnStatusChange.objects.filter(request_id=return_id).order_by("at", "id")
