"""Escrow disputes and the buyer's one extension of the release date."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from emporia.core.accounts.models import Shop
from emporia.core.orders.models import Order
from emporia.kernel import clock

from ..states.disputes import DisputeOutcome, DisputeReason, DisputeStatus


class EscrowExtension(models.Model):
    """EscrowExtension — 延长收货: the buyer pushed the automatic release back.

    One per order (the unique order makes "only once" hold under races)."""

    order = models.OneToOneField(
        Order, on_delete=models.PROTECT, related_name="c2c_extension"
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    days = models.PositiveSmallIntegerField()
    old_release_at = models.DateTimeField()
    new_release_at = models.DateTimeField()
    at = models.DateTimeField(default=clock.now)


class Dispute(models.Model):
    """Dispute — 交易纠纷 / 维权: the buyer contests an order before escrow is
    released; the seller answers; a platform operator rules.

    One per order. ``refund_minor`` is what the ruling returned to the buyer.
    """

    order = models.OneToOneField(
        Order, on_delete=models.PROTECT, related_name="c2c_dispute"
    )
    shop = models.ForeignKey(Shop, on_delete=models.PROTECT, related_name="+")
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=20, choices=DisputeReason.choices)
    status = models.CharField(
        max_length=12, choices=DisputeStatus.choices, default=DisputeStatus.OPEN
    )
    outcome = models.CharField(
        max_length=16, choices=DisputeOutcome.choices, blank=True
    )
    refund_minor = models.BigIntegerField(default=0)
    currency = models.CharField(max_length=3)
    answer_by = models.DateTimeField()
    opened_at = models.DateTimeField(default=clock.now)
    ruled_at = models.DateTimeField(null=True, blank=True)
    ruled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    ruling_note = models.CharField(max_length=1000, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "opened_at"], name="c2c_dispute_q")]
        constraints = [
            models.CheckConstraint(
                condition=Q(refund_minor__gte=0), name="c2c_dispute_refund_ge_0"
            )
        ]

    @property
    def is_open(self) -> bool:
        return self.status in (DisputeStatus.OPEN, DisputeStatus.ANSWERED)


class DisputeEvidence(models.Model):
    """A statement by one party, optionally with one image."""

    class Party(models.TextChoices):
        BUYER = "buyer", "Buyer"
        SELLER = "seller", "Seller"
        OPERATOR = "operator", "Operator"

    dispute = models.ForeignKey(
        Dispute, on_delete=models.CASCADE, related_name="evidence"
    )
    party = models.CharField(max_length=10, choices=Party.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(max_length=2000)
    image = models.ImageField(upload_to="c2c/disputes/%Y/%m/", blank=True)
    at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["at", "id"]


class DisputeStatusChange(models.Model):
    """One row per dispute status change: who, when, why."""

    dispute = models.ForeignKey(
        Dispute, on_delete=models.CASCADE, related_name="history"
    )
    from_status = models.CharField(
        max_length=12, choices=DisputeStatus.choices, blank=True
    )
    to_status = models.CharField(max_length=12, choices=DisputeStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_kind = models.CharField(max_length=10)
    reason = models.CharField(max_length=255, blank=True)
    at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["at", "id"]
