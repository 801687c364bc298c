"""The orchard game — 多多果园.

A buyer plants a ``Tree`` whose fruit is a real product the platform offers
(``OrchardPrize``). Daily tasks give water, each grant an append-only
``WaterGrant`` row with its task, amount, day and slot: the slot (1..cap)
is unique per (buyer, task, day), so the daily cap holds in the database
even when scripts fire many claims at once. Browsing for 30 seconds is timed
by the server (``BrowseVisit``). Water moves the tree through its stages;
when ripe the buyer claims the fruit as a zero-price order the platform's
marketing budget pays the shop for.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from emporia.core.catalog.models import Sku
from emporia.core.orders.models import Order
from emporia.kernel import clock


class OrchardPrize(models.Model):
    """A product the platform gives away as orchard fruit — 果园奖品."""

    sku = models.OneToOneField(Sku, on_delete=models.PROTECT, related_name="+")
    is_active = models.BooleanField(default=True)
    added_at = models.DateTimeField(default=clock.now)


class Tree(models.Model):
    """A buyer's virtual fruit tree — 果树. One growing tree per buyer."""

    class Status(models.TextChoices):
        GROWING = "growing", "Growing"
        CLAIMED = "claimed", "Claimed"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    prize = models.ForeignKey(OrchardPrize, on_delete=models.PROTECT)
    water = models.PositiveIntegerField(default=0)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.GROWING
    )
    planted_at = models.DateTimeField(default=clock.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    prize_order = models.OneToOneField(
        Order, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner"],
                condition=Q(status="growing"),
                name="social_one_growing_tree",
            )
        ]


class WaterGrant(models.Model):
    """Water a task gave a tree — 浇水记录. Append-only."""

    class Task(models.TextChoices):
        CHECK_IN = "check_in", "Daily check-in"
        BROWSE = "browse", "Browse for 30 seconds"
        SHARE = "share", "Share the orchard"
        INVITE = "invite", "Invite a friend"
        BUY = "buy", "Buy something"

    tree = models.ForeignKey(Tree, on_delete=models.PROTECT, related_name="grants")
    # the social_grant_slot unique constraint and the social_grant_day
    # index lead with owner
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    task = models.CharField(max_length=10, choices=Task.choices)
    amount = models.PositiveIntegerField()
    day = models.DateField()
    slot = models.PositiveSmallIntegerField()
    ref = models.CharField(max_length=64, blank=True)
    granted_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "task", "day", "slot"], name="social_grant_slot"
            )
        ]
        indexes = [models.Index(fields=["owner", "day"], name="social_grant_day")]


class BrowseVisit(models.Model):
    """A started browse task: the token the page holds while the buyer
    browses; claimable once, no sooner than 30 s after ``started_at``."""

    token = models.CharField(max_length=64, unique=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()
    started_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
