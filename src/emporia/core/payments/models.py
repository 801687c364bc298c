"""Payments: one buyer payment covering the orders of a checkout, its
per-attempt event log, refunds and shop payouts.

The payment provider is a real boundary (``emporia.infra.psp``): we create a
charge there, send the buyer to its hosted page, and learn the outcome from a
signed asynchronous callback. Every callback is logged as a PaymentEvent,
whatever it says; duplicates and stale ones change nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from emporia.core.accounts.models import Shop
from emporia.core.orders.models import Order
from emporia.kernel import clock


class Payment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payments"
    )
    orders = models.ManyToManyField(Order, related_name="payments")
    # Our reference at the provider (its "merchant reference"): random, so it
    # can be sent to the provider before the row exists and reveals no count.
    reference = models.CharField(max_length=40, unique=True)
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING
    )
    provider = models.CharField(max_length=30, default="sandbox")
    provider_ref = models.CharField(max_length=64, blank=True, db_index=True)
    redirect_url = models.CharField(max_length=500, blank=True)
    # The provider's opaque reference of the account that paid (a card
    # fingerprint), when it reports one: psp.base.CallbackData.payer_ref.
    payer_ref = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(default=clock.now)
    succeeded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_minor__gte=0), name="payment_amount_not_negative"
            )
        ]


class PaymentEvent(models.Model):
    """Every attempt and callback on a payment, accepted or not."""

    payment = models.ForeignKey(
        Payment, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(max_length=30)
    provider_event_id = models.CharField(max_length=64, blank=True)
    payload = models.JSONField(default=dict)
    outcome = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["at", "id"]


class CallbackReceipt(models.Model):
    """A provider callback event id seen once; replays are recognised by it."""

    provider = models.CharField(max_length=30)
    event_id = models.CharField(max_length=64)
    received_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "event_id"], name="callback_once"
            )
        ]


class Refund(models.Model):
    class Status(models.TextChoices):
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, related_name="refunds"
    )
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="refunds")
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    reason = models.CharField(max_length=255)
    key = models.CharField(max_length=120, unique=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.SUCCEEDED
    )
    provider_ref = models.CharField(max_length=64, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_minor__gt=0), name="refund_amount_positive"
            )
        ]


class Payout(models.Model):
    """Money paid out from a shop's payable balance to its bank account."""

    shop = models.ForeignKey(Shop, on_delete=models.PROTECT, related_name="payouts")
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    bank_account = models.CharField(max_length=40)
    key = models.CharField(max_length=120, unique=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_minor__gt=0), name="payout_amount_positive"
            )
        ]
