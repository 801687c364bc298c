"""Product search: full text (Chinese and English) with filters and sorts.

The query is segmented by ``text.query_tokens`` and every word is quoted
before it reaches the database, so FTS5 or tsquery syntax in a query (quotes,
``*``, ``NEAR``, ``OR``, parentheses) is only ever text: a hostile query
cannot fail, it just finds nothing. All words must match. Relevance is
FTS5's bm25 on SQLite and ``ts_rank`` on PostgreSQL. An empty query browses
with the filters. Only listed products of active shops are found.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import BooleanField, F, FloatField, QuerySet
from django.db.models.expressions import RawSQL

from emporia.core.accounts.models import Shop
from emporia.core.catalog import selectors as catalog

from . import text
from .models import SearchDocument

SORTS = ("relevance", "price_asc", "price_desc", "newest", "sales", "rating")
MAX_PAGE_SIZE = 100
MAX_PAGE = 1000

_DOC = SearchDocument._meta.db_table
_POSTGRES_VECTOR = f"to_tsvector('simple', {_DOC}.body)"


@dataclass(frozen=True)
class SearchResults:
    items: list[dict]
    total: int
    page: int
    page_size: int
    query_tokens: list[str]


def _fts5_query(tokens: list[str]) -> str:
    # A double-quoted FTS5 string is a phrase of plain text: operators and
    # column filters inside it are inert. Adjacent phrases are ANDed.
    return " ".join('"' + t.replace('"', '""') + '"' for t in tokens)


def _tsquery(tokens: list[str]) -> str:
    # Quoted lexemes, taken as they are (no parser runs on a ::tsquery cast).
    return " & ".join(
        "'" + t.replace("\\", "\\\\").replace("'", "''") + "'" for t in tokens
    )


def _match(qs: QuerySet, tokens: list[str]) -> QuerySet:
    """Keep matching documents and annotate ``score`` (higher is better)."""
    # The SQL below is constant; the user's words travel only as parameters.
    if connection.vendor == "sqlite":
        return qs.extra(  # noqa: S610 (a join to the FTS5 table the ORM can't name)
            tables=["search_fts"],
            where=["search_fts.rowid = " + _DOC + ".id", "search_fts MATCH %s"],
            params=[_fts5_query(tokens)],
            select={"score": "-bm25(search_fts)"},
        )
    query = _tsquery(tokens)
    return qs.filter(
        RawSQL(  # noqa: S611
            f"{_POSTGRES_VECTOR} @@ %s::tsquery", [query], output_field=BooleanField()
        )
    ).annotate(
        score=RawSQL(  # noqa: S611
            f"ts_rank({_POSTGRES_VECTOR}, %s::tsquery)",
            [query],
            output_field=FloatField(),
        )
    )


def _ordering(sort: str, *, has_text: bool) -> list:
    newest = [F("product__created_at").desc(), F("id").desc()]
    if sort == "relevance":
        return ["-score", "-id"] if has_text else newest
    return {
        "price_asc": [F("min_price").asc(), F("id").asc()],
        "price_desc": [F("min_price").desc(), F("id").desc()],
        "newest": newest,
        "sales": [F("sales_count").desc(), F("id").desc()],
        "rating": [F("rating_average").desc(nulls_last=True), F("id").desc()],
    }[sort]


def search(
    *,
    query: str = "",
    category_id: int | None = None,
    shop_id: int | None = None,
    min_price: Decimal | None = None,
    max_price: Decimal | None = None,
    sort: str = "relevance",
    page: int = 1,
    page_size: int = 20,
    language: str | None = None,
) -> SearchResults:
    """Listed products of active shops matching every word of ``query``
    (all of them when it is blank), within a category and its subcategories,
    a shop and a price range (major units of the product's currency, on its
    cheapest SKU on sale), sorted by ``sort`` (one of ``SORTS``), one page of
    product cards plus the total. Never raises for odd query text."""
    if sort not in SORTS:
        sort = "relevance"
    page = min(max(1, page), MAX_PAGE)
    page_size = min(max(1, page_size), MAX_PAGE_SIZE)
    tokens = text.query_tokens(query)
    empty = SearchResults([], 0, page, page_size, tokens)

    qs = SearchDocument.objects.filter(
        listed=True, product__shop__status=Shop.Status.ACTIVE
    )
    if category_id is not None:
        path = catalog.category_path(category_id)
        if path is None:
            return empty
        qs = qs.filter(category_path__startswith=path)
    if shop_id is not None:
        qs = qs.filter(shop_id=shop_id)
    if min_price is not None:
        qs = qs.filter(min_price__gte=min_price)
    if max_price is not None:
        qs = qs.filter(min_price__lte=max_price)
    if tokens:
        qs = _match(qs, tokens)
    elif (query or "").strip():
        return empty  # only punctuation or symbols: nothing to look for

    total = qs.count()
    start = (page - 1) * page_size
    if start >= total:
        return SearchResults([], total, page, page_size, tokens)
    rows = list(
        qs.order_by(*_ordering(sort, has_text=bool(tokens))).values_list(
            "product_id", "sales_count", "rating_average"
        )[start : start + page_size]
    )
    cards = catalog.product_cards([r[0] for r in rows], language=language)
    items = []
    for product_id, sales, rating in rows:
        card = cards.get(product_id)
        if card is not None:  # delisted since it was indexed: skip it
            items.append(
                {
                    **card,
                    "sales_count": sales,
                    "rating": str(rating) if rating is not None else None,
                }
            )
    return SearchResults(items, total, page, page_size, tokens)
