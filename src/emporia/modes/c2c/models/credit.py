"""Trade ratings and seller credit.

A trade rating is per order (one-to-one) and per shop: good / neutral / bad
with text, plus 1–5 detailed scores for description, service and logistics.
Credit points are derived from ratings, never stored: ``scores`` marks the
one rating per (shop, buyer, trade day) that earns points, enforced by a
partial unique index, and ``counted`` is false once governance excludes the
order from credit.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from emporia.core.accounts.models import Shop
from emporia.core.orders.models import Order
from emporia.kernel import clock

SCORE_RANGE = (1, 5)


def _score_check(field: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": 1, f"{field}__lte": 5}),
        name=f"c2c_rating_{field}_1_5",
    )


class Verdict(models.TextChoices):
    GOOD = "good", "Good"
    NEUTRAL = "neutral", "Neutral"
    BAD = "bad", "Bad"


POINTS = {Verdict.GOOD: 1, Verdict.NEUTRAL: 0, Verdict.BAD: -1}
# How verdicts order for the "only upward" edit rule.
RANK = {Verdict.BAD: 0, Verdict.NEUTRAL: 1, Verdict.GOOD: 2}


class TradeRating(models.Model):
    """TradeRating — 信用评价: the buyer's rating of one completed trade.

    ``trade_day`` is the local calendar day the order was placed (the day of
    trade for the once-per-day rule); ``category_id`` the top-level category
    of the order's largest line, used to compare detailed scores with peers.
    """

    order = models.OneToOneField(
        Order, on_delete=models.PROTECT, related_name="c2c_rating"
    )
    # the c2c_rating_shop_recent index leads with shop
    shop = models.ForeignKey(
        Shop, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    verdict = models.CharField(max_length=8, choices=Verdict.choices)
    text = models.CharField(max_length=500, blank=True)
    description_score = models.PositiveSmallIntegerField()
    service_score = models.PositiveSmallIntegerField()
    logistics_score = models.PositiveSmallIntegerField()
    trade_day = models.DateField()
    category_id = models.BigIntegerField(null=True, blank=True)
    rated_at = models.DateTimeField(default=clock.now)
    amended_at = models.DateTimeField(null=True, blank=True)
    reply = models.CharField(max_length=500, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    counted = models.BooleanField(default=True)
    scores = models.BooleanField(default=True)

    class Meta:
        constraints = [
            _score_check("description_score"),
            _score_check("service_score"),
            _score_check("logistics_score"),
            models.CheckConstraint(
                condition=Q(scores=False) | Q(counted=True),
                name="c2c_rating_scores_only_if_counted",
            ),
            models.UniqueConstraint(
                fields=["shop", "buyer", "trade_day"],
                condition=Q(scores=True),
                name="c2c_rating_one_scoring_per_buyer_day",
            ),
        ]
        indexes = [
            models.Index(fields=["shop", "rated_at"], name="c2c_rating_shop_recent"),
            models.Index(
                fields=["category_id", "rated_at"], name="c2c_rating_category"
            ),
        ]
        ordering = ["-rated_at", "-id"]

    def __str__(self):
        return f"{self.verdict} for order {self.order_id}"

    @property
    def points(self) -> int:
        """What this rating adds to the shop's credit now."""
        return POINTS[self.verdict] if self.scores else 0


class TradeRatingChange(models.Model):
    """Who changed a rating (rated, amended, replied, excluded, restored),
    when and why; the audit trail of a rating."""

    class Kind(models.TextChoices):
        RATED = "rated", "Rated"
        AMENDED = "amended", "Amended"
        REPLIED = "replied", "Replied"
        EXCLUDED = "excluded", "Excluded from credit"
        RESTORED = "restored", "Restored to credit"
        PROMOTED = "promoted", "Now earns the day's points"

    rating = models.ForeignKey(
        TradeRating, on_delete=models.CASCADE, related_name="changes"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    old_verdict = models.CharField(max_length=8, blank=True)
    new_verdict = models.CharField(max_length=8, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    reason = models.CharField(max_length=255, blank=True)
    at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["at", "id"]


class CreditExclusion(models.Model):
    """An order taken out of seller credit (fake trade, abuse), by whom and
    why. It may come before the rating: a rating given later starts
    uncounted. Deleting the row (``restore_rating_to_credit``) counts it again."""

    order = models.OneToOneField(
        Order, on_delete=models.CASCADE, related_name="c2c_credit_exclusion"
    )
    reason = models.CharField(max_length=255)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    at = models.DateTimeField(default=clock.now)


class CategoryScoreDay(models.Model):
    """A top-level category's detailed-score totals over the rolling
    180-day window, computed once per local day by the job
    ``c2c.category_scores``: every shop of the category is compared with the
    same figure all day, read from one row instead of scanning thousands of
    ratings per request. ``ratings`` counted ratings, ``*_sum`` the sums of
    their scores (averages = sum / ratings)."""

    category_id = models.BigIntegerField()
    day = models.DateField()
    ratings = models.PositiveIntegerField()
    description_sum = models.BigIntegerField()
    service_sum = models.BigIntegerField()
    logistics_sum = models.BigIntegerField()
    computed_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["category_id", "day"], name="c2c_category_score_day_once"
            )
        ]
