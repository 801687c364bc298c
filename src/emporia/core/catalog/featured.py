"""The catalog's own shelf for the storefront home: new arrivals. See
``extensions.featured_sources`` for the contract."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .extensions import Shelf
from .selectors import public_products


class NewArrivals:
    """The newest public products."""

    def featured(self, *, user, limit: int, language: str | None) -> Shelf | None:
        ids = list(
            public_products()
            .order_by("-created_at", "-id")
            .values_list("pk", flat=True)[:limit]
        )
        if not ids:
            return None
        return Shelf(
            key="catalog.new_arrivals",
            title=_("New arrivals"),
            reason=_("Just listed by our shops"),
            product_ids=ids,
        )
