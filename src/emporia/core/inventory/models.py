"""Inventory: locations, stock per (SKU, location), reservations and the
append-only movement log.

Invariants, enforced by the database where it can:
- ``0 <= reserved <= on_hand`` on every StockItem (check constraints), so a
  conditional UPDATE that would oversell matches no row instead;
- the sum of a StockItem's movements equals its ``on_hand`` (the only writer
  of ``on_hand`` is ``services`` and it always writes a movement beside it).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from emporia.core.accounts.models import Shop
from emporia.core.catalog.models import Sku
from emporia.kernel import clock


class Location(models.Model):
    class Kind(models.TextChoices):
        WAREHOUSE = "warehouse", "Warehouse"
        STORE = "store", "Store"
        OVERSEAS = "overseas", "Overseas warehouse"

    # the location_code_per_shop unique constraint leads with shop
    shop = models.ForeignKey(
        Shop, on_delete=models.PROTECT, related_name="locations", db_index=False
    )
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.WAREHOUSE)
    country = models.CharField(max_length=2, default="CN")
    region = models.CharField(max_length=60, blank=True)
    city = models.CharField(max_length=60, blank=True)
    latitude = models.DecimalField(
        max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        max_digits=9, decimal_places=6, null=True, blank=True
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "code"], name="location_code_per_shop"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"


class StockItem(models.Model):
    # the stock_per_sku_location unique constraint leads with sku
    sku = models.ForeignKey(
        Sku, on_delete=models.CASCADE, related_name="stock", db_index=False
    )
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="stock"
    )
    on_hand = models.BigIntegerField(default=0)
    reserved = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["sku", "location"], name="stock_per_sku_location"
            ),
            models.CheckConstraint(
                condition=Q(on_hand__gte=0), name="stock_on_hand_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(reserved__gte=0), name="stock_reserved_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(reserved__lte=F("on_hand")),
                name="stock_reserved_within_on_hand",
            ),
        ]

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


class Reservation(models.Model):
    """Units held for an unpaid order line until it is paid, cancelled or expires."""

    class Status(models.TextChoices):
        HELD = "held", "Held"
        COMMITTED = "committed", "Committed (sold)"
        RELEASED = "released", "Released"

    stock_item = models.ForeignKey(
        StockItem, on_delete=models.PROTECT, related_name="reservations"
    )
    quantity = models.PositiveIntegerField()
    ref = models.CharField(max_length=64, db_index=True, help_text="e.g. order:123")
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.HELD
    )
    expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=clock.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "expires_at"], name="reservation_due")
        ]


class StockMovement(models.Model):
    """One change of on-hand stock; append-only. Sum of deltas == on_hand."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", "Goods received"
        ADJUSTMENT = "adjustment", "Manual adjustment"
        SALE = "sale", "Sold"
        RESTOCK = "restock", "Returned to stock"
        TRANSFER_IN = "transfer_in", "Transfer in"
        TRANSFER_OUT = "transfer_out", "Transfer out"

    stock_item = models.ForeignKey(
        StockItem, on_delete=models.PROTECT, related_name="movements"
    )
    delta = models.BigIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    reason = models.CharField(max_length=200, blank=True)
    ref = models.CharField(max_length=64, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(default=clock.now)
