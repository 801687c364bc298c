"""Shipment and return reads, scoped to the buyer or the shop's staff."""

from __future__ import annotations

from django.db.models import QuerySet

from emporia.core.accounts.models import ShopMember
from emporia.kernel.errors import NotFound

from .models import ReturnRequest, Shipment


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
        raise NotFound("No such shipment")
    return shipment


def return_for_buyer(*, user, return_id: int) -> ReturnRequest:
    request = (
        ReturnRequest.objects.filter(pk=return_id, buyer=user)
        .select_related("order")
        .first()
    )
    if request is None:
        raise NotFound("No such return")
    return request


def return_for_staff(*, user, return_id: int) -> ReturnRequest:
    qs = ReturnRequest.objects.filter(pk=return_id).select_related("order__location")
    if not user.is_operator:
        qs = qs.filter(order__shop__members__user=user)
    request = qs.first()
    if request is None:
        raise NotFound("No such return")
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
