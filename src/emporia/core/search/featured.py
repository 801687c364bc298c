"""The search app's shelves for the storefront home (see
``catalog.extensions.featured_sources``): best sellers and top rated, from
the sales and rating counts the search index keeps."""

from __future__ import annotations

from django.utils.translation import gettext as _

from emporia.core.catalog.extensions import Shelf

from . import selectors


class BestSellers:
    """Products by units sold, for everyone alike."""

    def featured(self, *, user, limit: int, language: str | None) -> Shelf | None:
        ids = selectors.best_seller_ids(limit=limit)
        if not ids:
            return None
        return Shelf(
            key="search.best_sellers",
            title=_("Best sellers"),
            reason=_("Bought most often by other shoppers"),
            product_ids=ids,
        )


class TopRated:
    """Products by their buyers' average rating."""

    def featured(self, *, user, limit: int, language: str | None) -> Shelf | None:
        ids = selectors.top_rated_ids(limit=limit)
        if not ids:
            return None
        return Shelf(
            key="search.top_rated",
            title=_("Top rated"),
            reason=_("Rated best by the buyers who received them"),
            product_ids=ids,
        )
