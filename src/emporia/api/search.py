"""HTTP API: search."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from ninja import Field, Query, Router, Schema

from emporia.core.search import selectors
from emporia.core.search.extensions import Visitor

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
    sponsored: int = Field(3, ge=0, le=selectors.MAX_SPONSORED)


def visitor_of(request) -> Visitor:
    """Who searches, for sponsored slots: the session's user if any, else the
    session key if the client has one, else its IP and user agent."""
    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    return Visitor(
        user_id=user.pk if user is not None and user.is_authenticated else None,
        session_key=(session.session_key or "") if session is not None else "",
        ip=request.META.get("REMOTE_ADDR", ""),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
    )


@router.get("/")
def search(request, params: Query[SearchQuery]):
    """Search listed products by words (Chinese or English) with filters.

    ``sponsored`` holds up to ``sponsored`` (default 3) paid slots for the
    words, each marked ``"sponsored": true``; a client must show them
    labelled as ads and link them through their ``click_url``."""
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
        "sponsored": selectors.sponsored(
            query=params.q,
            visitor=visitor_of(request),
            limit=params.sponsored if params.page == 1 else 0,
            language=language_of(request, params.lang),
        ),
    }
