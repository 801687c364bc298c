"""Invite rewards — 邀请有礼.

Every buyer has a ``ReferralCode``. A visitor who signs up through it (or
types it in within a few days of signing up) is bound to that inviter once
and for ever (``Invite``, first touch). When the invitee's first paid order
completes, the invite gets exactly one ``InviteReward`` row: rewarded (the
inviter's credit grows, booked as marketing expense) or blocked with the
reason (same device, address or payment account, a cycle, a cap).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from emporia.kernel import clock


class ReferralCode(models.Model):
    """A buyer's invite code — 邀请码: short, random, unique."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    code = models.CharField(max_length=16, unique=True)
    created_at = models.DateTimeField(default=clock.now)

    def __str__(self):
        return self.code


class DeviceSighting(models.Model):
    """A device id (a first-party cookie or an app's X-Device-Id) seen with a
    user: at signup, or when they open the invite or orchard page."""

    class Source(models.TextChoices):
        SIGNUP = "signup", "Signup"
        VISIT = "visit", "Visit"

    # the social_device_once_per_user unique constraint leads with user
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    device_id = models.CharField(max_length=64)
    ip = models.CharField(max_length=45, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices)
    seen_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "device_id"], name="social_device_once_per_user"
            )
        ]
        indexes = [models.Index(fields=["device_id"], name="social_device_id")]


class Invite(models.Model):
    """One invitee bound to one inviter — 邀请关系 (first touch, never moved)."""

    class Status(models.TextChoices):
        JOINED = "joined", "Joined"
        REWARDED = "rewarded", "Rewarded"
        BLOCKED = "blocked", "Not eligible"

    class Channel(models.TextChoices):
        LINK = "link", "Invite link"
        CODE = "code", "Code typed in"

    # the social_inv_by index leads with inviter
    inviter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    invitee = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField(max_length=16)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.JOINED
    )
    bound_at = models.DateTimeField(default=clock.now)

    class Meta:
        indexes = [models.Index(fields=["inviter", "-bound_at"], name="social_inv_by")]


class InviteReward(models.Model):
    """The one decision on an invite: rewarded, or blocked with a reason.
    Never deleted; a blocked row is how a refusal is remembered."""

    class Outcome(models.TextChoices):
        REWARDED = "rewarded", "Rewarded"
        BLOCKED = "blocked", "Blocked"

    class Reason(models.TextChoices):
        NONE = "", "—"
        SELF = "self_referral", "Self-referral"
        CYCLE = "cycle", "Invite cycle"
        DEVICE = "same_device", "Same device as the inviter"
        ADDRESS = "same_address", "Same shipping address as the inviter"
        PAYMENT = "same_payment_account", "Same payment account as the inviter"
        DAILY_CAP = "daily_cap", "Inviter's daily reward cap reached"
        TOTAL_CAP = "total_cap", "Inviter's total reward cap reached"

    invite = models.OneToOneField(
        Invite, on_delete=models.PROTECT, related_name="reward"
    )
    # the social_rew_cap index leads with inviter
    inviter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    reason = models.CharField(max_length=30, choices=Reason.choices, blank=True)
    detail = models.CharField(max_length=255, blank=True)
    amount_minor = models.BigIntegerField(default=0)
    currency = models.CharField(max_length=3)
    order_id = models.BigIntegerField(null=True, blank=True)
    ledger_key = models.CharField(max_length=120, blank=True)
    day = models.DateField()
    decided_at = models.DateTimeField(default=clock.now)

    class Meta:
        indexes = [
            models.Index(fields=["inviter", "outcome", "day"], name="social_rew_cap"),
            models.Index(fields=["day"], name="social_rew_day"),
        ]
