"""Doorstep pickup for returns: courier slots, bookings and scans."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from emporia.core.fulfilment.models import ReturnRequest
from emporia.kernel import clock

from ..states.pickup import PickupStatus


class PickupSlot(models.Model):
    """PickupSlot — 上门取件时段: a courier's time window in one region on one
    day, with room for ``capacity`` pickups. ``booked`` counts active
    bookings; a check constraint keeps it within capacity."""

    carrier = models.CharField(max_length=40)
    region = models.CharField(max_length=60)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    capacity = models.PositiveIntegerField()
    booked = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["carrier", "region", "starts_at"], name="c2c_slot_once"
            ),
            models.CheckConstraint(
                condition=Q(booked__lte=F("capacity")), name="c2c_slot_within_capacity"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="c2c_slot_window"
            ),
        ]

    @property
    def left(self) -> int:
        return max(0, self.capacity - self.booked)


class PickupBooking(models.Model):
    """A courier booked to collect a return parcel at the buyer's door.

    At most one active (booked or confirmed) booking per return."""

    request = models.ForeignKey(
        ReturnRequest, on_delete=models.PROTECT, related_name="c2c_pickups"
    )
    slot = models.ForeignKey(
        PickupSlot, on_delete=models.PROTECT, related_name="bookings"
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=12, choices=PickupStatus.choices, default=PickupStatus.BOOKED
    )
    address = models.JSONField()
    carrier_ref = models.CharField(max_length=64, blank=True)
    tracking_number = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=clock.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(status__in=["booked", "confirmed"]),
                name="c2c_one_active_pickup",
            )
        ]


class PickupScan(models.Model):
    """A courier's scan of the parcel (or a status change of the booking)."""

    booking = models.ForeignKey(
        PickupBooking, on_delete=models.CASCADE, related_name="scans"
    )
    status = models.CharField(max_length=12, choices=PickupStatus.choices)
    description = models.CharField(max_length=255)
    place = models.CharField(max_length=120, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["at", "id"]
