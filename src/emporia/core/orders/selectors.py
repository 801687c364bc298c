"""Order reads, each scoped to who is asking: a buyer sees only their orders,
shop staff only their shop's, operators everything. Anything else is
NotFound, so ids of other people's orders reveal nothing."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from emporia.core.accounts.models import ShopMember
from emporia.kernel.errors import NotFound

from .models import Order, OrderLine, OrderStatusChange


def _with_details(qs: QuerySet[Order]) -> QuerySet[Order]:
    return qs.select_related("shop").prefetch_related(
        Prefetch("lines", queryset=OrderLine.objects.order_by("id")),
        Prefetch("history", queryset=OrderStatusChange.objects.select_related("actor")),
    )


def orders_for_buyer(*, user, status: str | None = None) -> QuerySet[Order]:
    qs = (
        Order.objects.filter(buyer=user)
        .select_related("shop")
        .order_by("-placed_at", "-id")
    )
    return qs.filter(status=status) if status else qs


def orders_for_shop(*, shop_id: int, status: str | None = None) -> QuerySet[Order]:
    qs = (
        Order.objects.filter(shop_id=shop_id)
        .select_related("buyer")
        .order_by("-placed_at", "-id")
    )
    return qs.filter(status=status) if status else qs


def order_for_buyer(*, user, order_id: int) -> Order:
    order = _with_details(Order.objects.filter(pk=order_id, buyer=user)).first()
    if order is None:
        raise NotFound("No such order")
    return order


def order_for_staff(*, user, order_id: int) -> Order:
    """An order of a shop the user works for (operators: any order)."""
    qs = Order.objects.filter(pk=order_id)
    if not user.is_operator:
        qs = qs.filter(
            shop__members__user=user, shop__members__role__in=ShopMember.Role.values
        )
    order = _with_details(qs).first()
    if order is None:
        raise NotFound("No such order")
    return order


def order_for_party(*, user, order_id: int) -> Order:
    """The order if the user bought it or works for its shop."""
    order = _with_details(Order.objects.filter(pk=order_id)).first()
    if order is None or not (
        order.buyer_id == user.pk
        or user.is_operator
        or ShopMember.objects.filter(shop_id=order.shop_id, user=user).exists()
    ):
        raise NotFound("No such order")
    return order


def line_quantities(*, order_id: int) -> list[tuple[int, int]]:
    """(product_id, quantity) for each line of an order."""
    return list(
        OrderLine.objects.filter(order_id=order_id).values_list(
            "product_id", "quantity"
        )
    )
