"""Trade governance (刷单治理): fake-trade scores, penalties and appeals.

Foreign keys point into the core (orders, shops, users); the core knows
nothing of these tables.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from emporia.core.accounts.models import Shop
from emporia.core.orders.models import Order
from emporia.kernel import clock


class TradeAssessment(models.Model):
    """TradeAssessment — 刷单风险评估: one trade's fake-trade score (0–100) with
    the signals that fired and the evidence, in words, for each.

    ``status``: ``clear`` below the flag threshold; ``flagged`` at or above it
    and awaiting an operator (its escrow is withheld meanwhile); ``dismissed``
    an operator found it honest; ``penalised`` a penalty covers it. Rescoring
    updates the score and evidence but never undoes an operator's decision.
    """

    class Status(models.TextChoices):
        CLEAR = "clear", "Clear"
        FLAGGED = "flagged", "Flagged"
        DISMISSED = "dismissed", "Dismissed"
        PENALISED = "penalised", "Penalised"

    order = models.OneToOneField(
        Order, on_delete=models.CASCADE, related_name="trade_assessment"
    )
    # the c2c_assessment_shop index leads with shop
    shop = models.ForeignKey(
        Shop, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    score = models.PositiveSmallIntegerField(default=0)
    signals = models.JSONField(default=list)  # codes of the signals that fired
    evidence = models.JSONField(default=list)  # [{"signal", "weight", "text"}]
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.CLEAR
    )
    scored_at = models.DateTimeField(default=clock.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(max_length=500, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "-score"], name="c2c_assessment_queue"),
            models.Index(fields=["shop", "status"], name="c2c_assessment_shop"),
        ]

    def __str__(self):
        return f"trade {self.order_id}: {self.score}"


class TradeScoreRequest(models.Model):
    """A trade whose facts changed (placed, paid, shipped, completed, reviewed)
    and that the scoring job should look at again. One row per order."""

    order_id = models.BigIntegerField(unique=True)
    requested_at = models.DateTimeField(default=clock.now)


class Penalty(models.Model):
    """Penalty — 处罚: what the platform did about fake trades of one shop.

    ``measures`` is a subset of ``MEASURES``: ``remove_sales`` (the trades no
    longer count in sales and credit), ``withhold_escrow`` (their money stays
    in escrow), ``demote`` (the shop ranks last in search), ``freeze`` (the
    shop sells nothing). Applied by an operator or, above the automatic
    threshold, by the scoring job (``applied_by`` empty, ``automatic``);
    lifting reverses every measure.
    """

    class Measure(models.TextChoices):
        REMOVE_SALES = "remove_sales", "Remove from sales and credit"
        WITHHOLD_ESCROW = "withhold_escrow", "Withhold escrow"
        DEMOTE = "demote", "Demote in search"
        FREEZE = "freeze", "Freeze the shop"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        LIFTED = "lifted", "Lifted"

    # the c2c_penalty_shop index leads with shop
    shop = models.ForeignKey(
        Shop, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    measures = models.JSONField(default=list)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    reason = models.CharField(max_length=500)
    automatic = models.BooleanField(default=False)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    applied_at = models.DateTimeField(default=clock.now)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        indexes = [models.Index(fields=["shop", "status"], name="c2c_penalty_shop")]

    def __str__(self):
        return f"penalty {self.pk} on shop {self.shop_id}"

    def has(self, measure: str) -> bool:
        return measure in self.measures


class PenalisedTrade(models.Model):
    """A trade a penalty covers, and what was done to it (so lifting undoes
    exactly that: the sales removed, the escrow withheld)."""

    # the c2c_penalised_trade_once unique constraint leads with penalty
    penalty = models.ForeignKey(
        Penalty, on_delete=models.CASCADE, related_name="trades", db_index=False
    )
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="+")
    sales_removed = models.JSONField(default=list)  # [[product_id, quantity], …]

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["penalty", "order"], name="c2c_penalised_trade_once"
            )
        ]


class PenaltyAppeal(models.Model):
    """PenaltyAppeal — 申诉: the seller's case against a penalty, and the
    operator's ruling (uphold, or lift — which reverses the penalty)."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        UPHELD = "upheld", "Upheld"
        LIFTED = "lifted", "Lifted"

    penalty = models.OneToOneField(
        Penalty, on_delete=models.CASCADE, related_name="appeal"
    )
    text = models.TextField(max_length=4000)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(default=clock.now)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.OPEN
    )
    ruled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ruled_at = models.DateTimeField(null=True, blank=True)
    ruling = models.CharField(max_length=1000, blank=True)
