"""The search index: one document per product, with its text segmented for
Chinese (jieba) and English and the facts search filters and sorts on.

On SQLite the text also lives in an FTS5 table (``search_fts``, rowid = the
document id); on PostgreSQL a GIN index over ``to_tsvector('simple', body)``
serves it. Both are created by migration 0002 for the database in use.
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
    listed = models.BooleanField(default=False, db_index=True)
    updated_at = models.DateTimeField(default=clock.now)

    class Meta:
        indexes = [
            models.Index(fields=["listed", "min_price"], name="search_listed_price"),
            models.Index(fields=["listed", "sales_count"], name="search_listed_sales"),
        ]

    def __str__(self):
        return f"search document of product {self.product_id}"
