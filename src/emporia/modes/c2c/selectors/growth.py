"""Seller growth center — 生意参谋: a shop's visitors, conversion, GMV, repeat
buyers and credit trend, and the checklist of what holds the shop back.

Days are calendar days in UTC, as on the core sales dashboard, so the order
figures here are the dashboard's. Visitors are unique per shop per day
(``ShopVisit``); the conversion rate of a period is the sum of each day's
paying buyers over the sum of each day's visitors.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from django.db.models import Count, Min, Q

from emporia.core.fulfilment import selectors as fulfilment
from emporia.core.orders import selectors as orders
from emporia.core.orders.states import OrderStatus
from emporia.kernel import clock
from emporia.kernel.money import Money

from ..extensions import Check, growth_checks
from ..models.credit import TradeRating, Verdict
from ..models.growth import ShopVisit
from .credit import SCORE_WINDOW_DAYS, credit_trend, detailed_scores

TWO = Decimal("0.01")
CHECK_DAYS = 30
SHIP_WITHIN_HOURS = 48
MAX_LATE_SHIPPING_PERCENT = Decimal(5)
MAX_RETURN_PERCENT = Decimal(5)
MAX_BAD_PERCENT = Decimal(2)


def percent(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` in percent, two places; None when whole is 0."""
    if not whole:
        return None
    return (Decimal(100 * part) / whole).quantize(TWO, ROUND_HALF_EVEN)


@dataclass(frozen=True)
class GrowthDay:
    day: dt.date
    visitors: int
    buyers: int
    orders: int
    gmv_minor: int
    conversion: Decimal | None  # paying buyers per 100 visitors
    credit_points: int


@dataclass(frozen=True)
class Growth:
    """A shop's figures over the last ``days`` days, with one row per day."""

    shop_id: int
    days: list[GrowthDay]
    visitors: int
    buyers: int  # distinct paying buyers over the period
    orders: int
    gmv: Money
    conversion: Decimal | None
    repeat_buyers: int  # of ``buyers``, those with two or more paid orders ever
    repeat_rate: Decimal | None


def shop_growth(*, shop_id: int, currency: str, days: int = 30) -> Growth:
    """Visitors, paying buyers, orders, GMV (paid orders' totals in
    ``currency``), conversion, repeat buyers and credit points per day.
    A fixed number of queries; the caller checks the user may see the shop."""
    sales = orders.shop_sales_by_day(shop_id=shop_id, currency=currency, days=days)
    start = sales[0].day
    visitors = dict(
        ShopVisit.objects.filter(shop_id=shop_id, day__gte=start)
        .values_list("day")
        .annotate(n=Count("id"))
        .order_by()
    )
    trend = dict(credit_trend(shop_id, days=len(sales)))
    rows = [
        GrowthDay(
            day=s.day,
            visitors=visitors.get(s.day, 0),
            buyers=s.buyers,
            orders=s.orders,
            gmv_minor=s.revenue_minor,
            conversion=percent(s.buyers, visitors.get(s.day, 0)),
            credit_points=trend.get(s.day, 0),
        )
        for s in sales
    ]
    since = dt.datetime.combine(start, dt.time.min, tzinfo=dt.UTC)
    paid = orders.orders_for_shop(shop_id=shop_id).filter(paid_at__isnull=False)
    period_buyers = (
        paid.filter(paid_at__gte=since, currency=currency)
        .order_by()
        .values_list("buyer_id", flat=True)
        .distinct()
    )
    buyers = len(set(period_buyers))
    repeat = (
        paid.filter(buyer_id__in=period_buyers)
        .order_by()
        .values("buyer_id")
        .annotate(n=Count("id"))
        .filter(n__gte=2)
        .count()
    )
    total_visitors = sum(r.visitors for r in rows)
    return Growth(
        shop_id=shop_id,
        days=rows,
        visitors=total_visitors,
        buyers=buyers,
        orders=sum(r.orders for r in rows),
        gmv=Money(sum(r.gmv_minor for r in rows), currency),
        conversion=percent(sum(r.buyers for r in rows), total_visitors),
        repeat_buyers=repeat,
        repeat_rate=percent(repeat, buyers),
    )


def _check(code, value, limit, unit, *, ok, basis, **detail) -> Check:
    return Check(code, value, limit, unit, None if value is None else ok, basis, detail)


def _score_checks(shop_id: int) -> list[Check]:
    scores = detailed_scores(shop_id)
    return [
        _check(
            f"score_{s.name}",
            s.diff_percent,
            Decimal(0),
            "percent_vs_category",
            ok=not s.below,
            basis=scores.ratings,
            shop=s.shop,
            category=s.category,
            category_id=scores.category_id,
        )
        for s in scores.scores
    ]


def _shipping_check(shop_id: int) -> Check:
    now = clock.now()
    since = now - dt.timedelta(days=CHECK_DAYS)
    due = dt.timedelta(hours=SHIP_WITHIN_HOURS)
    rows = (
        orders.orders_for_shop(shop_id=shop_id)
        .filter(paid_at__gte=since)
        .order_by()
        .annotate(shipped_at=Min("history__at", filter=Q(history__to_status="shipped")))
        .values_list("paid_at", "shipped_at", "status")
    )
    waiting = {OrderStatus.PAID, OrderStatus.FULFILLING}
    hours, late, basis = [], 0, 0
    for paid_at, shipped_at, status in rows:
        if shipped_at is not None:
            basis += 1
            took = shipped_at - paid_at
            hours.append(Decimal(int(took.total_seconds())) / 3600)
            late += took > due
        elif status in waiting and now - paid_at > due:
            basis += 1
            late += 1
    average = (
        (sum(hours) / len(hours)).quantize(TWO, ROUND_HALF_EVEN) if hours else None
    )
    value = percent(late, basis)
    return _check(
        "late_shipping",
        value,
        MAX_LATE_SHIPPING_PERCENT,
        "percent",
        ok=value is not None and value <= MAX_LATE_SHIPPING_PERCENT,
        basis=basis,
        late=late,
        average_hours=average,
        within_hours=SHIP_WITHIN_HOURS,
    )


def _returns_check(shop_id: int) -> Check:
    since = clock.now() - dt.timedelta(days=CHECK_DAYS)
    paid = list(
        orders.orders_for_shop(shop_id=shop_id)
        .filter(paid_at__gte=since)
        .order_by()
        .values_list("pk", "status")
    )
    refunded = {
        pk
        for pk, status in paid
        if status in (OrderStatus.REFUNDED, OrderStatus.PARTIALLY_REFUNDED)
    }
    returned = set(
        fulfilment.returns_for_shop(shop_id=shop_id)
        .filter(order__paid_at__gte=since)
        .exclude(status__in=["rejected", "cancelled"])
        .values_list("order_id", flat=True)
    )
    hit = len(refunded | returned)
    value = percent(hit, len(paid))
    return _check(
        "returns",
        value,
        MAX_RETURN_PERCENT,
        "percent",
        ok=value is not None and value <= MAX_RETURN_PERCENT,
        basis=len(paid),
        orders=hit,
    )


def _bad_ratings_check(shop_id: int) -> Check:
    since = clock.now() - dt.timedelta(days=SCORE_WINDOW_DAYS)
    row = TradeRating.objects.filter(
        shop_id=shop_id, counted=True, rated_at__gte=since
    ).aggregate(n=Count("id"), bad=Count("id", filter=Q(verdict=Verdict.BAD)))
    value = percent(row["bad"], row["n"])
    return _check(
        "bad_ratings",
        value,
        MAX_BAD_PERCENT,
        "percent",
        ok=value is not None and value <= MAX_BAD_PERCENT,
        basis=row["n"],
        bad=row["bad"],
    )


def growth_checklist(*, shop_id: int) -> list[Check]:
    """What holds the shop back, each with its figure and threshold: detailed
    scores below the category average, orders shipped (or still waiting)
    more than ``SHIP_WITHIN_HOURS`` after payment, orders returned or
    refunded, and bad ratings; then the checks other parts of the C2C mode
    register in ``extensions.growth_checks`` (disputes, penalties)."""
    checks = [
        *_score_checks(shop_id),
        _shipping_check(shop_id),
        _returns_check(shop_id),
        _bad_ratings_check(shop_id),
    ]
    for extra in growth_checks:
        found = extra(shop_id)
        if found is not None:
            checks.append(found)
    return checks
