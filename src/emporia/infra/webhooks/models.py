"""Outgoing webhooks: endpoints subscribed to event topics, one delivery per
(event, endpoint), and a log row for every attempt."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from emporia.infra.outbox.models import OutboxEvent
from emporia.kernel import clock


class WebhookEndpoint(models.Model):
    """Where to POST events. ``owner_kind``/``owner_id`` scope it (a shop, an
    organization or the platform) without infra knowing those models."""

    url = models.URLField(max_length=500)
    secret = models.CharField(max_length=64)
    topics = models.JSONField(default=list, help_text='Topic names, or ["*"] for all')
    owner_kind = models.CharField(max_length=20, default="platform")
    owner_id = models.BigIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=clock.now)

    def __str__(self):
        return self.url


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed (gave up)"

    # the delivery_once unique constraint leads with endpoint
    endpoint = models.ForeignKey(
        WebhookEndpoint,
        on_delete=models.CASCADE,
        related_name="deliveries",
        db_index=False,
    )
    event = models.ForeignKey(OutboxEvent, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=clock.now)
    created_at = models.DateTimeField(default=clock.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event"], name="delivery_once")
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due")
        ]


class WebhookAttempt(models.Model):
    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="log"
    )
    at = models.DateTimeField(default=clock.now)
    status_code = models.IntegerField(null=True)
    error = models.CharField(max_length=500, blank=True)
    duration_ms = models.IntegerField(default=0)

    class Meta:
        ordering = ["at", "id"]
