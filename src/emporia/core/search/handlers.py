"""Reactions to other apps' events."""

from __future__ import annotations

from decimal import Decimal

from emporia.core.catalog.events import ProductChanged
from emporia.core.orders import selectors as order_selectors
from emporia.core.orders.events import OrderPaid
from emporia.core.reviews.events import ProductReviewed

from . import services


def reindex_changed_product(event: ProductChanged) -> None:
    """Keep the product's search document in step with the catalog."""
    services.reindex_product(product_id=event.product_id)


def count_sales(event: OrderPaid) -> None:
    """Sales counts feed the "sales" sort and ranking."""
    for product_id, quantity in order_selectors.line_quantities(
        order_id=event.order_id
    ):
        services.record_sales(product_id=product_id, quantity=quantity)


def update_rating(event: ProductReviewed) -> None:
    services.set_rating(product_id=event.product_id, average=Decimal(event.average))
