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
from emporia.core.inventory import selectors as inventory

from . import text
from .extensions import Visitor, sponsored_sources
from .models import SearchDocument

MAX_SPONSORED = 5
SORTS = ("relevance", "price_asc", "price_desc", "newest", "sales", "rating")
MAX_PAGE_SIZE = 100
MAX_PAGE = 1000

_DOC = SearchDocument._meta.db_table
# A stored generated column, GIN-indexed (migration 0003): matching and
# ranking read the vector instead of parsing the body again per row.
_POSTGRES_VECTOR = f"{_DOC}.body_tsv"


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
    # Demoted shops (search.services.set_shop_demotion) rank last in every sort.
    return ["demoted", *_sort_keys(sort, has_text=has_text)]


def _sort_keys(sort: str, *, has_text: bool) -> list:
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

    # The document carries its product's shop: filter on it directly (no join
    # through catalog_product), so the text match can drive the plan.
    qs = SearchDocument.objects.filter(
        listed=True,
        shop_id__in=Shop.objects.filter(status=Shop.Status.ACTIVE).values("pk"),
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


def best_seller_ids(*, limit: int = 8) -> list[int]:
    """Listed products of active shops that have sold, most units first."""
    limit = min(max(1, limit), MAX_PAGE_SIZE)
    return list(
        SearchDocument.objects.filter(
            listed=True, product__shop__status=Shop.Status.ACTIVE, sales_count__gt=0
        )
        .order_by("-sales_count", "-product_id")
        .values_list("product_id", flat=True)[:limit]
    )


def top_rated_ids(*, limit: int = 8) -> list[int]:
    """Listed products of active shops that have ratings, best average first."""
    limit = min(max(1, limit), MAX_PAGE_SIZE)
    return list(
        SearchDocument.objects.filter(
            listed=True,
            product__shop__status=Shop.Status.ACTIVE,
            rating_average__isnull=False,
        )
        .order_by("-rating_average", "-sales_count", "-product_id")
        .values_list("product_id", flat=True)[:limit]
    )


def showable_products(product_ids) -> set[int]:
    """Which of these products a shopper could buy now: listed (an active
    SKU on sale), its shop active, and at least one unit in stock (one
    query). Sponsored slots are only ever for such products."""
    ids = set(product_ids)
    if not ids:
        return set()
    return set(
        SearchDocument.objects.filter(
            product_id__in=inventory.in_stock_product_ids(ids),
            listed=True,
            product__shop__status=Shop.Status.ACTIVE,
        ).values_list("product_id", flat=True)
    )


class ShowableCheck:
    """``showable_products`` remembered for one search: the core hands it to
    every sponsored source (which must filter with it before ranking) and
    makes its own final check with it, so each product is looked up once.
    Callable: ``check(product_ids) -> set[int]``."""

    def __init__(self):
        self._known: dict[int, bool] = {}

    def __call__(self, product_ids) -> set[int]:
        ids = set(product_ids)
        unknown = ids - self._known.keys()
        if unknown:
            found = showable_products(unknown)
            self._known.update((p, p in found) for p in unknown)
        return {p for p in ids if self._known[p]}


def sponsored(
    *,
    query: str,
    visitor: Visitor,
    limit: int = 3,
    language: str | None = None,
) -> list[dict]:
    """The sponsored slots for a search, as product cards marked
    ``sponsored: True`` with the source's ``click_url`` (every link to the
    product must go through it) and ``details``. Asks each registered
    ``extensions.sponsored_sources`` in order for up to ``limit`` slots
    (at most ``MAX_SPONSORED``), keeps showable products only, each once.
    Empty for a blank query or when no source is registered."""
    limit = min(max(0, limit), MAX_SPONSORED)
    tokens = text.query_tokens(query)
    if not tokens or not limit or not len(sponsored_sources):
        return []
    slots = []
    check = ShowableCheck()
    for entry in sponsored_sources.entries():
        found = entry.item.sponsored(
            query=query, tokens=tokens, visitor=visitor, limit=limit, showable=check
        )
        slots.extend(found[:limit])
    if not slots:
        return []
    showable = check(s.product_id for s in slots)
    cards = catalog.product_cards(
        [s.product_id for s in slots if s.product_id in showable], language=language
    )
    items, seen = [], set()
    for slot in slots:
        card = cards.get(slot.product_id)
        if card is None or slot.product_id in seen or len(items) >= limit:
            continue
        seen.add(slot.product_id)
        items.append(
            {
                **card,
                "sponsored": True,
                "click_url": slot.click_url,
                "source": slot.source,
                "details": slot.details,
            }
        )
    return items
