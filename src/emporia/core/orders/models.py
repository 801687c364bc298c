"""Orders: one shop's part of a checkout, with its lines and status history.

An order snapshots prices, taxes and the address; they are never recomputed.
Modes never add columns here: an order carries an opaque ``source``
("social.group") and ``source_ref``, and modes point foreign keys at orders.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from emporia.core.accounts.models import Shop
from emporia.core.catalog.models import Sku
from emporia.core.inventory.models import Location
from emporia.kernel import clock
from emporia.kernel.money import Money

from .states import OrderStatus


class Order(models.Model):
    number = models.CharField(max_length=32, unique=True)
    # the order_buyer_recent index leads with buyer
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="orders",
        db_index=False,
    )
    # the order_shop_status index leads with shop
    shop = models.ForeignKey(
        Shop, on_delete=models.PROTECT, related_name="orders", db_index=False
    )
    location = models.ForeignKey(Location, null=True, on_delete=models.PROTECT)
    status = models.CharField(
        max_length=20, choices=OrderStatus.choices, default=OrderStatus.AWAITING_PAYMENT
    )
    hold_reason = models.CharField(max_length=40, blank=True)
    # A hold decided at placement that starts when payment arrives (a group
    # still forming, made-to-order production); see checkout.placement_policies.
    hold_on_payment = models.CharField(max_length=40, blank=True)
    source = models.CharField(max_length=40, default="storefront")
    source_ref = models.CharField(max_length=64, blank=True)
    currency = models.CharField(max_length=3)
    items_minor = models.BigIntegerField()
    shipping_minor = models.BigIntegerField(default=0)
    discount_minor = models.BigIntegerField(default=0)
    tax_minor = models.BigIntegerField(default=0)
    total_minor = models.BigIntegerField()
    commission_rate = models.DecimalField(max_digits=5, decimal_places=4)
    shipping_address = models.JSONField()
    note = models.CharField(max_length=500, blank=True)
    placed_at = models.DateTimeField(default=clock.now)
    pay_by = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    auto_complete_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    settled_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["buyer", "-placed_at"], name="order_buyer_recent"),
            models.Index(fields=["shop", "status"], name="order_shop_status"),
            models.Index(fields=["status", "pay_by"], name="order_payment_due"),
            models.Index(
                fields=["status", "auto_complete_at"], name="order_autocomplete_due"
            ),
            models.Index(fields=["source", "source_ref"], name="order_source"),
        ]

    def __str__(self):
        return self.number

    @property
    def total(self) -> Money:
        return Money(self.total_minor, self.currency)

    @property
    def items_total(self) -> Money:
        return Money(self.items_minor, self.currency)


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    sku = models.ForeignKey(Sku, on_delete=models.PROTECT, related_name="+")
    product_id = models.BigIntegerField()
    product_name = models.CharField(max_length=255)
    sku_label = models.CharField(max_length=255, blank=True)
    quantity = models.PositiveIntegerField()
    unit_price = models.DecimalField(max_digits=14, decimal_places=4)
    line_total_minor = models.BigIntegerField()
    price_reasons = models.JSONField(default=list, blank=True)

    @property
    def line_total(self) -> Money:
        return Money(self.line_total_minor, self.order.currency)


class OrderStatusChange(models.Model):
    """Who moved an order from one status to another, when and why."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    actor_kind = models.CharField(max_length=10, default="system")
    reason = models.CharField(max_length=255, blank=True)
    at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["at", "id"]
