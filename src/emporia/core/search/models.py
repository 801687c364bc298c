"""The search index: one document per product, with its text segmented for
Chinese (jieba) and English and the facts search filters and sorts on.

On SQLite the text also lives in an FTS5 table (``search_fts``, rowid = the
document id, migration 0002); on PostgreSQL in ``body_tsv``, a stored
generated column ``to_tsvector('simple', body)`` with a GIN index (migration
0003), which the database keeps up to date and the ORM never writes.
"""

from __future__ import annotations

from django.db import models

from emporia.core.catalog.models import Product
from emporia.kernel import clock


class SearchDocument(models.Model):
    product = models.OneToOneField(
        Product, on_delete=models.CASCADE, related_name="search_doc"
    )
    shop_id = models.BigIntegerField(db_index=True)
    category_path = models.CharField(max_length=255, db_index=True)
    body = models.TextField()
    min_price_minor = models.BigIntegerField()
    # The same price in major units, so one price filter reads the same for
    # every currency (minor units differ: JPY has none, KWD three).
    min_price = models.DecimalField(max_digits=14, decimal_places=4, default=0)
    currency = models.CharField(max_length=3)
    sales_count = models.BigIntegerField(default=0)
    rating_average = models.DecimalField(max_digits=3, decimal_places=2, null=True)
    # the search_listed_price and search_listed_sales indexes lead with listed
    listed = models.BooleanField(default=False)
    # Copied from ShopDemotion: every sort ranks demoted shops' products last.
    demoted = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=clock.now)

    class Meta:
        indexes = [
            models.Index(fields=["listed", "min_price"], name="search_listed_price"),
            models.Index(fields=["listed", "sales_count"], name="search_listed_sales"),
        ]

    def __str__(self):
        return f"search document of product {self.product_id}"


class ShopDemotion(models.Model):
    """A shop whose products rank below everyone else's in search (a trust and
    safety penalty), with who/when/why. One row per demoted shop."""

    shop_id = models.BigIntegerField(unique=True)
    reason = models.CharField(max_length=255)
    actor_id = models.BigIntegerField(null=True, blank=True)
    since = models.DateTimeField(default=clock.now)

    def __str__(self):
        return f"shop {self.shop_id} demoted"
