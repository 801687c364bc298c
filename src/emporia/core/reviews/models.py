"""Reviews: 1–5 ratings with text, by buyers who received the item, for
products (per order line) and shops (per order), with running aggregates."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from emporia.core.accounts.models import Shop
from emporia.core.catalog.models import Product
from emporia.core.orders.models import Order, OrderLine
from emporia.kernel import clock

RATING_RANGE = Q(rating__gte=1, rating__lte=5)


class ProductReview(models.Model):
    order_line = models.OneToOneField(
        OrderLine, on_delete=models.PROTECT, related_name="review"
    )
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="reviews"
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    rating = models.PositiveSmallIntegerField()
    text = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=RATING_RANGE, name="product_rating_1_5")
        ]
        ordering = ["-created_at"]


class ShopReview(models.Model):
    order = models.OneToOneField(
        Order, on_delete=models.PROTECT, related_name="shop_review"
    )
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="reviews")
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    rating = models.PositiveSmallIntegerField()
    text = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=RATING_RANGE, name="shop_rating_1_5")
        ]
        ordering = ["-created_at"]


class ProductRating(models.Model):
    """Aggregate kept by reviews.services in the same transaction as each review."""

    product = models.OneToOneField(
        Product, on_delete=models.CASCADE, related_name="rating"
    )
    count = models.PositiveIntegerField(default=0)
    total = models.PositiveBigIntegerField(default=0)

    @property
    def average(self):
        return round(self.total / self.count, 2) if self.count else None


class ShopRating(models.Model):
    shop = models.OneToOneField(Shop, on_delete=models.CASCADE, related_name="rating")
    count = models.PositiveIntegerField(default=0)
    total = models.PositiveBigIntegerField(default=0)

    @property
    def average(self):
        return round(self.total / self.count, 2) if self.count else None
