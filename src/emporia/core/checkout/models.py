"""Carts and checkout records.

A cart belongs to a buyer or, before login, to an anonymous session key; the
two merge on login. A ``Checkout`` remembers the Idempotency-Key and a hash
of the request body that placed a set of orders, so a retried request returns
the same orders and a reused key with a different body is refused.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from emporia.core.catalog.models import Sku
from emporia.core.orders.models import Order
from emporia.core.payments.models import Payment
from emporia.kernel import clock


class Cart(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="cart",
    )
    session_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    updated_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(session_key__isnull=False),
                name="cart_has_owner",
            )
        ]


class CartLine(models.Model):
    # the cart_line_per_sku unique constraint leads with cart
    cart = models.ForeignKey(
        Cart, on_delete=models.CASCADE, related_name="lines", db_index=False
    )
    sku = models.ForeignKey(Sku, on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField()
    added_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cart", "sku"], name="cart_line_per_sku"),
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="cart_quantity_positive"
            ),
        ]
        ordering = ["added_at", "id"]


class Checkout(models.Model):
    # the checkout_idempotency_key unique constraint leads with buyer
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="checkouts",
        db_index=False,
    )
    idempotency_key = models.CharField(max_length=100)
    body_hash = models.CharField(max_length=64)
    orders = models.ManyToManyField(Order, related_name="checkouts")
    payment = models.ForeignKey(
        Payment, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now)
    # Who placed it, for trust and safety (accounts.clients): blanked after
    # EMPORIA["CLIENT_DATA_RETENTION_DAYS"].
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    device_id = models.CharField(max_length=64, blank=True)

    class Meta:
        indexes = [models.Index(fields=["device_id"], name="checkout_device")]
        constraints = [
            models.UniqueConstraint(
                fields=["buyer", "idempotency_key"], name="checkout_idempotency_key"
            )
        ]
