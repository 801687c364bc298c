"""Fulfilment and returns: shipments of order lines from a location, carrier
tracking events, and return requests with their own status history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from emporia.core.inventory.models import Location
from emporia.core.orders.models import Order, OrderLine
from emporia.kernel import clock


class Shipment(models.Model):
    class Status(models.TextChoices):
        SHIPPED = "shipped", "Shipped"
        IN_TRANSIT = "in_transit", "In transit"
        DELIVERED = "delivered", "Delivered"

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="shipments")
    location = models.ForeignKey(Location, null=True, on_delete=models.PROTECT)
    carrier = models.CharField(max_length=40)
    tracking_number = models.CharField(max_length=64)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.SHIPPED
    )
    shipped_at = models.DateTimeField(default=clock.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["carrier", "tracking_number"], name="tracking_unique"
            )
        ]


class ShipmentLine(models.Model):
    shipment = models.ForeignKey(
        Shipment, on_delete=models.CASCADE, related_name="lines"
    )
    order_line = models.ForeignKey(
        OrderLine, on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveIntegerField()


class TrackingEvent(models.Model):
    shipment = models.ForeignKey(
        Shipment, on_delete=models.CASCADE, related_name="events"
    )
    status = models.CharField(max_length=12, choices=Shipment.Status.choices)
    description = models.CharField(max_length=255)
    place = models.CharField(max_length=120, blank=True)
    at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["at", "id"]


class ReturnRequest(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        SHIPPED_BACK = "shipped_back", "Shipped back"
        RECEIVED = "received", "Received by the shop"
        REFUNDED = "refunded", "Refunded"
        CANCELLED = "cancelled", "Cancelled"

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="returns")
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.REQUESTED
    )
    reason = models.CharField(max_length=500)
    refund_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    return_carrier = models.CharField(max_length=40, blank=True)
    return_tracking = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(refund_minor__gte=0), name="return_refund_not_negative"
            )
        ]


class ReturnLine(models.Model):
    request = models.ForeignKey(
        ReturnRequest, on_delete=models.CASCADE, related_name="lines"
    )
    order_line = models.ForeignKey(
        OrderLine, on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveIntegerField()


class ReturnStatusChange(models.Model):
    request = models.ForeignKey(
        ReturnRequest, on_delete=models.CASCADE, related_name="history"
    )
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.CharField(max_length=255, blank=True)
    at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["at", "id"]
