"""Shop visits for the seller growth center."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from emporia.core.accounts.models import Shop
from emporia.kernel import clock


class ShopVisit(models.Model):
    """ShopVisit — 访客: one visitor on one shop on one local day, however
    many pages they viewed. ``visitor`` is "u<user id>" for a logged-in user
    and "s<session key>" for an anonymous one; ``product_id`` is the product
    page they landed on first (None: the shop page)."""

    # the c2c_visit_once_a_day unique constraint leads with shop
    shop = models.ForeignKey(
        Shop, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    day = models.DateField()
    visitor = models.CharField(max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    product_id = models.BigIntegerField(null=True, blank=True)
    first_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "day", "visitor"], name="c2c_visit_once_a_day"
            )
        ]
