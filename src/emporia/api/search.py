"""HTTP API: search."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from ninja import Field, Query, Router, Schema

from emporia.core.search import selectors

from .catalog import LANG_PATTERN, MAX_ID, MAX_PRICE, language_of

router = Router(tags=["Search"])


class SearchQuery(Schema):
    # Long or odd queries are not an error: the search reads the first 200
    # characters and ignores everything that is not a word.
    q: str = Field("", max_length=10_000)
    category: int | None = Field(None, ge=1, le=MAX_ID)
    shop: int | None = Field(None, ge=1, le=MAX_ID)
    min_price: Decimal | None = Field(None, ge=0, le=MAX_PRICE, max_digits=14)
    max_price: Decimal | None = Field(None, ge=0, le=MAX_PRICE, max_digits=14)
    sort: Literal[
        "relevance", "price_asc", "price_desc", "newest", "sales", "rating"
    ] = "relevance"
    page: int = Field(1, ge=1, le=selectors.MAX_PAGE)
    page_size: int = Field(20, ge=1, le=selectors.MAX_PAGE_SIZE)
    lang: str | None = Field(None, max_length=20, pattern=LANG_PATTERN)


@router.get("/")
def search(request, params: Query[SearchQuery]):
    """Search listed products by words (Chinese or English) with filters."""
    results = selectors.search(
        query=params.q,
        category_id=params.category,
        shop_id=params.shop,
        min_price=params.min_price,
        max_price=params.max_price,
        sort=params.sort,
        page=params.page,
        page_size=params.page_size,
        language=language_of(request, params.lang),
    )
    return {
        "items": results.items,
        "total": results.total,
        "page": results.page,
        "page_size": results.page_size,
    }
