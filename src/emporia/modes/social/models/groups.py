"""Group buying: campaigns, groups and their members.

Seats are the concurrency-critical part. A group's ``seats_taken`` counts its
pending and paid members and is raised only by one conditional
``UPDATE … WHERE seats_taken < size`` in the buyer's checkout transaction; a
check constraint backs it, so no group ever holds more than ``size`` members.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from emporia.kernel import clock
from emporia.kernel.money import Money

from ..states import ACTIVE_MEMBER, CampaignStatus, GroupStatus, MemberStatus


class GroupCampaign(models.Model):
    """GroupCampaign — 拼团活动: a shop offers one SKU at a group price beside
    its solo (list) price, for teams of ``team_size``, each group open for
    ``window_minutes``, at most ``stock_cap`` units in all and
    ``per_buyer_limit`` units per buyer."""

    shop = models.ForeignKey(
        "accounts.Shop", on_delete=models.PROTECT, related_name="group_campaigns"
    )
    # the social_campaign_sku index leads with sku
    sku = models.ForeignKey(
        "catalog.Sku",
        on_delete=models.PROTECT,
        related_name="group_campaigns",
        db_index=False,
    )
    title = models.CharField(max_length=120, blank=True)
    group_price = models.DecimalField(max_digits=14, decimal_places=4)
    currency = models.CharField(max_length=3)
    team_size = models.PositiveSmallIntegerField()
    window_minutes = models.PositiveIntegerField()
    stock_cap = models.PositiveIntegerField()
    per_buyer_limit = models.PositiveSmallIntegerField()
    units_claimed = models.PositiveIntegerField(default=0)
    status = models.CharField(
        max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.ACTIVE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(units_claimed__lte=F("stock_cap")),
                name="social_campaign_within_cap",
            ),
            models.CheckConstraint(
                condition=Q(team_size__gte=2), name="social_campaign_team_of_two"
            ),
            models.CheckConstraint(
                condition=Q(group_price__gt=0), name="social_campaign_price_positive"
            ),
        ]
        indexes = [models.Index(fields=["sku", "status"], name="social_campaign_sku")]

    def __str__(self):
        return self.title or f"Group campaign {self.pk}"

    @property
    def units_left(self) -> int:
        return max(self.stock_cap - self.units_claimed, 0)

    def group_unit_price(self) -> Money:
        return Money.from_decimal(self.group_price, self.currency)


class CampaignChange(models.Model):
    campaign = models.ForeignKey(
        GroupCampaign, on_delete=models.CASCADE, related_name="history"
    )
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=255, blank=True)
    at = models.DateTimeField(default=clock.now)


class Group(models.Model):
    """Group — 拼团 (one team): forms until ``size`` members have paid or
    ``expires_at`` passes. ``ref`` is random (not guessable); people reach a
    group only through a signed share link."""

    # the social_group_open index leads with campaign
    campaign = models.ForeignKey(
        GroupCampaign, on_delete=models.PROTECT, related_name="groups", db_index=False
    )
    ref = models.CharField(max_length=24, unique=True)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    size = models.PositiveSmallIntegerField()
    status = models.CharField(
        max_length=10, choices=GroupStatus.choices, default=GroupStatus.FORMING
    )
    seats_taken = models.PositiveSmallIntegerField(default=0)
    paid_count = models.PositiveSmallIntegerField(default=0)
    opened_at = models.DateTimeField(default=clock.now)
    expires_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(seats_taken__lte=F("size")),
                name="social_group_never_overfull",
            ),
            models.CheckConstraint(
                condition=Q(paid_count__lte=F("size")),
                name="social_group_paid_within_size",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "expires_at"], name="social_group_due"),
            models.Index(
                fields=["campaign", "status", "expires_at"], name="social_group_open"
            ),
        ]

    def __str__(self):
        return self.ref

    @property
    def seats_left(self) -> int:
        return max(self.size - self.seats_taken, 0)


class GroupChange(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_kind = models.CharField(max_length=10, default="system")
    reason = models.CharField(max_length=255, blank=True)
    at = models.DateTimeField(default=clock.now)


class GroupMember(models.Model):
    """One buyer's seat in a group, tied one-to-one to the core order that
    pays for it. A buyer holds at most one active seat per group (database
    constraint); ``share`` is the link the buyer came through, if any."""

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="members")
    # the social_member_request_once unique constraint and the
    # social_member_recent index lead with buyer
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    order = models.OneToOneField(
        "orders.Order", on_delete=models.PROTECT, related_name="group_member"
    )
    quantity = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(
        max_length=10, choices=MemberStatus.choices, default=MemberStatus.PENDING
    )
    share = models.ForeignKey(
        "social.GroupShare",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    idempotency_key = models.CharField(max_length=100)
    joined_at = models.DateTimeField(default=clock.now)
    paid_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["group", "buyer"],
                condition=Q(status__in=ACTIVE_MEMBER),
                name="social_member_once_per_group",
            ),
            models.UniqueConstraint(
                fields=["buyer", "idempotency_key"], name="social_member_request_once"
            ),
        ]
        indexes = [
            models.Index(fields=["buyer", "-joined_at"], name="social_member_recent")
        ]

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_MEMBER
