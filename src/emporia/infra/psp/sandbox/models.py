"""The sandbox gateway's own books: it plays a third-party payment provider,
so it keeps its own tables and talks to the platform only over HTTP."""

from __future__ import annotations

import secrets

from django.db import models

from emporia.kernel import clock


def new_charge_ref() -> str:
    return "sbx_ch_" + secrets.token_hex(12)


def new_refund_ref() -> str:
    return "sbx_re_" + secrets.token_hex(12)


class SandboxCharge(models.Model):
    """A payment the merchant asked the gateway to collect.

    ``token`` is the secret capability in the hosted pay page's URL; the
    merchant refers to the charge by ``provider_ref``, which pays nothing.
    """

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    token = models.CharField(max_length=64, unique=True)
    provider_ref = models.CharField(max_length=40, unique=True, default=new_charge_ref)
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
    # Fingerprint of the test card the buyer paid with (services.payer_ref).
    payer_ref = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(default=clock.now)
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(refunded_minor__gte=0)
                & models.Q(refunded_minor__lte=models.F("amount_minor")),
                name="sandbox_refund_within_charge",
            )
        ]

    def __str__(self):
        return self.provider_ref


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
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        indexes = [
            models.Index(
                fields=["delivered_at", "next_attempt_at"], name="sandbox_callback_due"
            )
        ]


class SandboxRefund(models.Model):
    """Money the gateway returned to the buyer; one per (charge, key)."""

    # the sandbox_refund_once unique constraint leads with charge
    charge = models.ForeignKey(
        SandboxCharge, on_delete=models.CASCADE, related_name="refunds", db_index=False
    )
    key = models.CharField(max_length=100)
    provider_ref = models.CharField(max_length=40, unique=True, default=new_refund_ref)
    amount_minor = models.BigIntegerField()
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["charge", "key"], name="sandbox_refund_once"
            ),
            models.CheckConstraint(
                condition=models.Q(amount_minor__gt=0), name="sandbox_refund_positive"
            ),
        ]
