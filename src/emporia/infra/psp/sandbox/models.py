"""The sandbox gateway's own books: it plays a third-party payment provider,
so it keeps its own tables and talks to the platform only over HTTP."""

from __future__ import annotations

from django.db import models

from emporia.kernel import clock


class SandboxCharge(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    token = models.CharField(max_length=40, unique=True)
    merchant_ref = models.CharField(max_length=64)
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    description = models.CharField(max_length=200, blank=True)
    callback_url = models.CharField(max_length=500)
    return_url = models.CharField(max_length=500)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.OPEN
    )
    refunded_minor = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(default=clock.now)


class SandboxCallback(models.Model):
    """A signed notification the gateway owes the merchant; retried until 2xx."""

    charge = models.ForeignKey(
        SandboxCharge, on_delete=models.CASCADE, related_name="callbacks"
    )
    event_id = models.CharField(max_length=40, unique=True)
    body = models.JSONField()
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=clock.now)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_status = models.IntegerField(null=True)
