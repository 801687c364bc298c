"""Attributing paid orders to ad clicks.

When an order is paid (``orders.order_paid``), each of its lines is credited
to the buyer's latest *charged* click on that product in the
``ADS_ATTRIBUTION_DAYS`` (7) days before payment — last click wins. Only
clicks made while signed in can be matched (the order knows its buyer, not
the browser session). One ``AdConversion`` per order and product, so a
redelivered event changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from emporia.core.orders import selectors as orders
from emporia.infra.sql import CompiledQuery
from emporia.kernel import clock

from ..models import AdClick, AdConversion
from . import config


@transaction.atomic
def attribute_order(*, order_id: int, buyer_id: int, currency: str) -> int:
    """Record conversions for an order's lines; returns how many were new."""
    now = clock.now()
    since = now - dt.timedelta(days=int(config.get("ADS_ATTRIBUTION_DAYS")))
    lines = orders.line_totals(order_id=order_id)
    if not lines:
        return 0
    latest: dict[int, AdClick] = {}
    for click in AdClick.objects.filter(
        user_id=buyer_id,
        product_id__in={p for p, _ in lines},
        charged=True,
        created_at__gte=since,
        created_at__lte=now,
        currency=currency,
    ).order_by("created_at", "id"):
        latest[click.product_id] = click
    new = [
        AdConversion(
            click=latest[product_id],
            keyword_id=latest[product_id].keyword_id,
            order_id=order_id,
            product_id=product_id,
            amount_minor=amount,
            currency=currency,
            day=config.today(),
            created_at=now,
        )
        for product_id, amount in lines
        if product_id in latest
    ]
    if not new:
        return 0
    before = AdConversion.objects.filter(order_id=order_id).count()
    AdConversion.objects.bulk_create(new, ignore_conflicts=True)
    return AdConversion.objects.filter(order_id=order_id).count() - before


# Every paid order is asked about; most buyers never clicked a paid ad.
_ANY_CHARGED_CLICK = CompiledQuery(
    lambda user_id: AdClick.objects.filter(user_id=user_id, charged=True).values_list(
        "pk", flat=True
    )[:1],
    user_id=int,
)


def on_order_paid(event) -> None:
    """``orders.order_paid`` handler (one compiled read when the buyer has
    no charged click at all)."""
    if _ANY_CHARGED_CLICK.first(user_id=event.buyer_id) is None:
        return
    attribute_order(
        order_id=event.order_id, buyer_id=event.buyer_id, currency=event.currency
    )
