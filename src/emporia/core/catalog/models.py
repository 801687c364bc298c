"""Catalog: a category tree, products with SKUs (variants by attribute),
images, per-shop listing status, and names/descriptions in several languages.

Translated text is a JSON object keyed by language code (``{"zh-hans": "…",
"en": "…"}``); :func:`localized` picks one with a fallback, so adding a
language needs no migration and reading a product needs no extra query.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from emporia.core.accounts.models import Shop
from emporia.kernel import clock

FALLBACK_LANGUAGES = ("zh-hans", "en")


def localized(texts: dict | None, language: str | None) -> str:
    texts = texts or {}
    if language and texts.get(language):
        return texts[language]
    if language:
        base = language.split("-")[0]
        for code, value in texts.items():
            if code.split("-")[0] == base and value:
                return value
    for code in FALLBACK_LANGUAGES:
        if texts.get(code):
            return texts[code]
    return next((v for v in texts.values() if v), "")


class Category(models.Model):
    """A node of the category tree. ``path`` is the materialized path of ids
    (``"/1/5/12/"``) so "this category and everything under it" is one
    ``path__startswith`` filter."""

    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    slug = models.SlugField(max_length=80, unique=True)
    names = models.JSONField(default=dict)
    path = models.CharField(max_length=255, db_index=True, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["path", "position"]
        verbose_name_plural = "categories"

    def __str__(self):
        return localized(self.names, "en") or self.slug

    def name(self, language: str | None = None) -> str:
        return localized(self.names, language)


class Attribute(models.Model):
    """A variant dimension such as colour or size, with translated labels."""

    code = models.SlugField(max_length=40, unique=True)
    names = models.JSONField(default=dict)

    def __str__(self):
        return self.code


class Product(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        LISTED = "listed", "Listed"
        DELISTED = "delisted", "Delisted"
        BANNED = "banned", "Banned by the platform"

    # the product_slug_per_shop unique constraint leads with shop
    shop = models.ForeignKey(
        Shop, on_delete=models.PROTECT, related_name="products", db_index=False
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="products"
    )
    slug = models.SlugField(max_length=120)
    names = models.JSONField(default=dict)
    descriptions = models.JSONField(default=dict, blank=True)
    brand = models.CharField(max_length=80, blank=True)
    specs = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(default=clock.now)
    updated_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "slug"], name="product_slug_per_shop"
            )
        ]
        indexes = [models.Index(fields=["status", "shop"], name="product_status_shop")]

    def __str__(self):
        return localized(self.names, "en") or self.slug

    def name(self, language: str | None = None) -> str:
        return localized(self.names, language)

    def description(self, language: str | None = None) -> str:
        return localized(self.descriptions, language)

    @property
    def is_listed(self) -> bool:
        return self.status == self.Status.LISTED


class Sku(models.Model):
    """A sellable variant: one combination of attribute values with its price.

    ``price`` is a unit price in major units (Decimal, may have more places
    than the currency for wholesale); it becomes Money at the line total.
    """

    # the sku_code_per_product unique constraint leads with product
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="skus", db_index=False
    )
    code = models.CharField(max_length=64)
    attributes = models.JSONField(default=dict, blank=True)
    price = models.DecimalField(max_digits=14, decimal_places=4)
    currency = models.CharField(max_length=3, default="CNY")
    weight_grams = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["product", "code"], name="sku_code_per_product"
            ),
            models.CheckConstraint(
                condition=Q(price__gte=0), name="sku_price_not_negative"
            ),
        ]

    def __str__(self):
        return self.code

    def label(self, language: str | None = None) -> str:
        return " / ".join(str(v) for v in self.attributes.values())


class ProductImage(models.Model):
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="images"
    )
    image = models.ImageField(upload_to="products/%Y/%m/")
    alt = models.CharField(max_length=200, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]


class ProductStatusChange(models.Model):
    """One row per listing-status change, written by the one status setter."""

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="status_changes"
    )
    old_status = models.CharField(max_length=10, choices=Product.Status.choices)
    new_status = models.CharField(max_length=10, choices=Product.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.CharField(max_length=500, blank=True)
    changed_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["changed_at", "id"]
