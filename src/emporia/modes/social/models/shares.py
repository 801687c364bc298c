"""Share attribution: who shared which group on which channel, and who came.

A :class:`GroupShare` is one press of a share button; its signed token is in
the link. A :class:`ShareVisit` is the first visit of one visitor through one
share (unique per share and visitor), so reloading a page counts once.
Joins and purchases point back to the share through ``GroupMember.share``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from emporia.kernel import clock


class Channel(models.TextChoices):
    WECHAT = "wechat", "WeChat"
    WEIBO = "weibo", "Weibo"
    QQ = "qq", "QQ"
    LINK = "link", "Link"
    POSTER = "poster", "Poster QR code"


class GroupShare(models.Model):
    """GroupShare — 分享: a member invites people to a group on one channel."""

    group = models.ForeignKey(
        "social.Group", on_delete=models.CASCADE, related_name="shares"
    )
    # the social_share_campaign index leads with campaign
    campaign = models.ForeignKey(
        "social.GroupCampaign",
        on_delete=models.CASCADE,
        related_name="shares",
        db_index=False,
    )
    sharer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        indexes = [
            models.Index(fields=["campaign", "channel"], name="social_share_campaign")
        ]


class ShareVisit(models.Model):
    # the social_visit_once unique constraint leads with share
    share = models.ForeignKey(
        GroupShare, on_delete=models.CASCADE, related_name="visits", db_index=False
    )
    visitor_key = models.CharField(max_length=64)
    at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["share", "visitor_key"], name="social_visit_once"
            )
        ]
