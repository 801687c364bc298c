"""Search index writes.

``reindex_product`` rebuilds one product's SearchDocument from the catalog;
it runs on every ``catalog.product_changed`` (see ``handlers``), so the index
follows the catalog within one relay round. Sales counts and ratings are
facts the catalog does not hold: other apps report them with
``record_sales`` and ``set_rating``, and a reindex keeps them.

On SQLite the document body is also written to the FTS5 table ``search_fts``
(rowid = document id) in the same transaction; PostgreSQL indexes the body
column itself.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import connection, transaction
from django.utils.translation import gettext as _

from emporia.core.catalog import selectors as catalog
from emporia.infra.sql import Add, update_where
from emporia.kernel import clock
from emporia.kernel.errors import ValidationFailed
from emporia.kernel.money import Money

from . import text
from .models import SearchDocument, ShopDemotion

FTS_TABLE = "search_fts"
MAX_SALES_STEP = 10**6


def _uses_fts5() -> bool:
    return connection.vendor == "sqlite"


def _write_fts(document_id: int, body: str | None) -> None:
    """Replace (or with ``body=None`` remove) a document's FTS5 row."""
    if not _uses_fts5():
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [document_id])
        if body is not None:
            cursor.execute(
                f"INSERT INTO {FTS_TABLE} (rowid, body) VALUES (%s, %s)",
                [document_id, body],
            )


@transaction.atomic
def reindex_product(*, product_id: int) -> SearchDocument | None:
    """Bring a product's search document up to date with the catalog.

    The body holds the segmented words of its names and descriptions (every
    language), brand, category names up the tree and SKU attribute values;
    the facts are shop, category path, cheapest active SKU price, whether
    it is listed and whether its shop is demoted. Sales and rating are kept. A product that no longer exists
    loses its document; returns the document or None.
    """
    facts = catalog.indexable_product(product_id)
    if facts is None:
        for doc_id in SearchDocument.objects.filter(product_id=product_id).values_list(
            "pk", flat=True
        ):
            _write_fts(doc_id, None)
        SearchDocument.objects.filter(product_id=product_id).delete()
        return None
    body = text.index_body(facts.texts)
    document, _created = SearchDocument.objects.update_or_create(
        product_id=facts.id,
        defaults={
            "shop_id": facts.shop_id,
            "category_path": facts.category_path,
            "body": body,
            "min_price": facts.min_price,
            "min_price_minor": Money.from_decimal(
                facts.min_price, facts.currency
            ).minor,
            "currency": facts.currency,
            "listed": facts.listed,
            "demoted": ShopDemotion.objects.filter(shop_id=facts.shop_id).exists(),
            "updated_at": clock.now(),
        },
    )
    _write_fts(document.pk, body)
    return document


def reindex_all(*, batch_size: int = 500) -> int:
    """Rebuild every product's document (each product in its own transaction),
    and drop FTS rows whose document is gone. Returns how many were indexed."""
    count = 0
    for product_id in catalog.all_product_ids():
        reindex_product(product_id=product_id)
        count += 1
    if _uses_fts5():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {FTS_TABLE} WHERE rowid NOT IN "
                f"(SELECT id FROM {SearchDocument._meta.db_table})"
            )
    elif connection.vendor == "postgresql":
        # Fresh statistics, so the planner reaches matches through the GIN
        # index rather than by joining every listed product.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {SearchDocument._meta.db_table}")
    return count


def _document(product_id: int) -> SearchDocument:
    document = SearchDocument.objects.filter(product_id=product_id).first()
    return document or reindex_product(product_id=product_id)


def record_sales(*, product_id: int, quantity: int) -> None:
    """Add ``quantity`` sold units (negative for returns) to a product's sales
    count, which the ``sales`` sort uses. Unknown products are ignored."""
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        raise ValidationFailed(_("quantity must be a whole number"), field="quantity")
    if abs(quantity) > MAX_SALES_STEP:
        raise ValidationFailed(_("quantity is out of range"), field="quantity")
    # One statement when the product is indexed (the usual case); never below
    # zero. A product not indexed yet is indexed first.
    bump = {"sales_count": Add(quantity, floor=0)}
    if update_where(SearchDocument, bump, product_id=product_id):
        return
    with transaction.atomic():
        if _document(product_id) is not None:
            update_where(SearchDocument, bump, product_id=product_id)


@transaction.atomic
def set_rating(*, product_id: int, average: Decimal | None) -> None:
    """Set a product's average rating (0–5, two places; None: no ratings),
    which the ``rating`` sort uses. Unknown products are ignored."""
    if average is not None:
        try:
            average = Decimal(str(average)).quantize(Decimal("0.01"))
        except ArithmeticError as exc:
            raise ValidationFailed(
                _("average must be a number"), field="average"
            ) from exc
        if not Decimal(0) <= average <= Decimal(5):
            raise ValidationFailed(
                _("average must be between 0 and 5"), field="average"
            )
    if _document(product_id) is None:
        return
    SearchDocument.objects.filter(product_id=product_id).update(rating_average=average)


@transaction.atomic
def set_shop_demotion(
    *, shop_id: int, demoted: bool, reason: str = "", actor_id: int | None = None
) -> int:
    """Demote a shop in search (its products rank after every other shop's, in
    every sort) or lift the demotion. Idempotent; demoting needs a reason.
    Returns how many search documents changed."""
    if demoted:
        reason = (reason or "").strip()
        if not reason:
            raise ValidationFailed(_("A demotion needs a reason"), field="reason")
        ShopDemotion.objects.update_or_create(
            shop_id=shop_id,
            defaults={"reason": reason[:255], "actor_id": actor_id},
            create_defaults={
                "reason": reason[:255],
                "actor_id": actor_id,
                "since": clock.now(),
            },
        )
    else:
        ShopDemotion.objects.filter(shop_id=shop_id).delete()
    return (
        SearchDocument.objects.filter(shop_id=shop_id)
        .exclude(demoted=demoted)
        .update(demoted=demoted)
    )
