"""Reactions to other apps' events."""

from __future__ import annotations

from emporia.core.catalog.events import ProductChanged

from . import services


def reindex_changed_product(event: ProductChanged) -> None:
    """Keep the product's search document in step with the catalog."""
    services.reindex_product(product_id=event.product_id)
