"""Catalog events."""

from __future__ import annotations

from emporia.kernel.events import event


@event("catalog.product_changed", version=1)
class ProductChanged:
    """A product, one of its SKUs or images, or its listing status changed.

    Carries only ids: subscribers (the search index, caches) read the current
    state themselves, so a late or repeated delivery is harmless.
    """

    product_id: int
    shop_id: int
