"""Order reads, each scoped to who is asking: a buyer sees only their orders,
shop staff only their shop's, operators everything. Anything else is
NotFound, so ids of other people's orders reveal nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _

from emporia.core.accounts.models import ShopMember
from emporia.infra.sql import CompiledQuery
from emporia.kernel import clock
from emporia.kernel.errors import NotFound

from .models import Order, OrderLine, OrderStatusChange
from .states import OrderStatus


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
        raise NotFound(_("No such order"))
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
        raise NotFound(_("No such order"))
    return order


def order_for_party(*, user, order_id: int) -> Order:
    """The order if the user bought it or works for its shop."""
    order = _with_details(Order.objects.filter(pk=order_id)).first()
    if order is None or not (
        order.buyer_id == user.pk
        or user.is_operator
        or ShopMember.objects.filter(shop_id=order.shop_id, user=user).exists()
    ):
        raise NotFound(_("No such order"))
    return order


# Read by several subscribers of every paid order: compiled once.
_LINES = CompiledQuery(
    lambda order_id: (
        OrderLine.objects.filter(order_id=order_id)
        .order_by("pk")
        .values_list("product_id", "quantity", "line_total_minor")
    ),
    order_id=int,
)


def line_quantities(*, order_id: int) -> list[tuple[int, int]]:
    """(product_id, quantity) for each line of an order."""
    return [(p, q) for p, q, _ in _LINES.all(order_id=order_id)]


def line_totals(*, order_id: int) -> list[tuple[int, int]]:
    """(product_id, line total in minor units of the order's currency) for
    each line of an order (for attributing sales, e.g. to ad clicks)."""
    return [(p, t) for p, _, t in _LINES.all(order_id=order_id)]


# --- figures for the dashboards ------------------------------------------------


@dataclass(frozen=True)
class DaySales:
    """One calendar day (UTC) of paid orders."""

    day: dt.date
    orders: int
    revenue_minor: int
    buyers: int


def _since(days: int) -> dt.datetime:
    """Midnight UTC at the start of the first of the last ``days`` days."""
    days = max(1, min(int(days), 366))
    today = (
        clock.now()
        .astimezone(dt.UTC)
        .replace(hour=0, minute=0, second=0, microsecond=0)
    )
    return today - dt.timedelta(days=days - 1)


def _days(qs: QuerySet[Order], days: int) -> list[DaySales]:
    """Zero-filled per-day (UTC) counts of ``qs`` (paid orders) over the last
    ``days``."""
    days = max(1, min(int(days), 366))
    since = _since(days)
    rows = (
        qs.filter(paid_at__gte=since)
        .annotate(day=TruncDate("paid_at", tzinfo=dt.UTC))
        .values("day")
        .annotate(
            n=Count("id"),
            revenue=Sum("total_minor"),
            buyers=Count("buyer_id", distinct=True),
        )
    )
    found = {r["day"]: r for r in rows}
    start = since.date()
    out = []
    for i in range(days):
        day = start + dt.timedelta(days=i)
        r = found.get(day, {})
        out.append(
            DaySales(
                day=day,
                orders=r.get("n", 0),
                revenue_minor=int(r.get("revenue") or 0),
                buyers=r.get("buyers", 0),
            )
        )
    return out


def shop_sales_by_day(*, shop_id: int, currency: str, days: int = 30) -> list[DaySales]:
    """A shop's paid orders and their revenue (minor units of ``currency``) per
    day over the last ``days`` days, oldest first, days without sales as zero.
    Three queries at most; the caller checks the user may see the shop."""
    qs = Order.objects.filter(shop_id=shop_id, currency=currency, paid_at__isnull=False)
    return _days(qs, days)


def shop_top_products(*, shop_id: int, days: int = 30, limit: int = 5) -> list[dict]:
    """The shop's best sellers by units in paid orders over the last ``days``:
    ``[{"product_id", "name", "units", "revenue_minor"}]``, most units first."""
    rows = (
        OrderLine.objects.filter(
            order__shop_id=shop_id,
            order__paid_at__gte=_since(days),
        )
        .values("product_id")
        .annotate(units=Sum("quantity"), revenue=Sum("line_total_minor"))
        .order_by("-units", "product_id")[: max(1, min(limit, 50))]
    )
    rows = list(rows)
    names = dict(
        OrderLine.objects.filter(product_id__in=[r["product_id"] for r in rows])
        .order_by("product_id", "-id")
        .values_list("product_id", "product_name")
    )
    return [
        {
            "product_id": r["product_id"],
            "name": names.get(r["product_id"], str(r["product_id"])),
            "units": int(r["units"] or 0),
            "revenue_minor": int(r["revenue"] or 0),
        }
        for r in rows
    ]


def platform_sales_by_day(*, currency: str, days: int = 30) -> list[DaySales]:
    """Platform-wide GMV (paid orders' totals in ``currency``), paid orders and
    distinct paying buyers per day over the last ``days`` days (operators)."""
    qs = Order.objects.filter(currency=currency, paid_at__isnull=False)
    return _days(qs, days)


def orders_by_status() -> dict[str, int]:
    """How many orders are in each status, every status listed (operators)."""
    counts = dict(
        Order.objects.values_list("status").annotate(n=Count("id")).order_by()
    )
    return {status: counts.get(status, 0) for status in OrderStatus.values}


def shop_of_order(*, order_id: int) -> int | None:
    """The id of the shop an order belongs to (None: no such order). For
    services acting on an order by id without a user, such as governance."""
    return Order.objects.filter(pk=order_id).values_list("shop_id", flat=True).first()


def paid_at(*, order_id: int) -> dt.datetime | None:
    """When the order was paid (None: unpaid or no such order). One query."""
    return Order.objects.filter(pk=order_id).values_list("paid_at", flat=True).first()
