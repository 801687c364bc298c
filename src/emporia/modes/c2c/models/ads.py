"""Keyword ads — 直通车 (pay per click).

A shop's ``Campaign`` promotes some of its products (``CampaignProduct``)
on search words (``AdKeyword``, each with a bid and a match type), within a
daily budget and a schedule. Impressions and clicks are counted per keyword
(totals on the keyword feed the quality score; ``AdKeywordDay`` feeds the
reports); ``CampaignDay`` holds what the campaign spent on one local day and
is the row the budget cut-off updates atomically; every click is an
``AdClick`` (charged or not, and why); paid orders that follow a click are
``AdConversion`` rows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from emporia.core.accounts.models import Shop
from emporia.core.catalog.models import Product
from emporia.kernel import clock


class Campaign(models.Model):
    """Campaign — 推广计划: products, keywords, a daily budget and a schedule."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=80)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    currency = models.CharField(max_length=3)
    daily_budget_minor = models.BigIntegerField()
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    # Local hours [hour_from, hour_to) the ads may show; 0–24 is all day.
    hour_from = models.PositiveSmallIntegerField(default=0)
    hour_to = models.PositiveSmallIntegerField(default=24)
    products = models.ManyToManyField(
        Product, through="CampaignProduct", related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now)
    updated_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(daily_budget_minor__gt=0), name="c2c_ad_budget_positive"
            ),
            models.CheckConstraint(
                condition=Q(hour_from__lt=models.F("hour_to")) & Q(hour_to__lte=24),
                name="c2c_ad_hours_window",
            ),
        ]

    def __str__(self):
        return f"campaign {self.pk} {self.name}"


class CampaignProduct(models.Model):
    # the c2c_ad_product_once unique constraint leads with campaign
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, db_index=False)
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "product"], name="c2c_ad_product_once"
            )
        ]


class AdKeyword(models.Model):
    """Keyword — 关键词: a bid on search words, matched exactly or broadly."""

    class Match(models.TextChoices):
        EXACT = "exact", "Exact"
        BROAD = "broad", "Broad"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"

    # the c2c_ad_keyword_once unique constraint leads with campaign
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="keywords", db_index=False
    )
    text = models.CharField(max_length=60)
    # The keyword's words (search.text.query_tokens), sorted, space-joined;
    # ``lead`` is the first of them: candidates are found by it, then checked.
    tokens = models.CharField(max_length=300)
    lead = models.CharField(max_length=64, db_index=True)
    match = models.CharField(max_length=5, choices=Match.choices, default=Match.BROAD)
    bid_minor = models.BigIntegerField()
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    impressions = models.BigIntegerField(default=0)
    clicks = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "tokens", "match"], name="c2c_ad_keyword_once"
            ),
            models.CheckConstraint(
                condition=Q(bid_minor__gt=0), name="c2c_ad_bid_positive"
            ),
        ]

    def __str__(self):
        return f"keyword {self.text!r} ({self.match})"


class AdKeywordDay(models.Model):
    """One keyword's figures on one local day (for reports)."""

    # the c2c_ad_kw_day unique constraint leads with keyword
    keyword = models.ForeignKey(
        AdKeyword, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    day = models.DateField()
    impressions = models.BigIntegerField(default=0)
    clicks = models.BigIntegerField(default=0)
    charged_clicks = models.BigIntegerField(default=0)
    spend_minor = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["keyword", "day"], name="c2c_ad_kw_day")
        ]


class CampaignDay(models.Model):
    """What a campaign spent on one local day; the budget cut-off row."""

    # the c2c_ad_campaign_day unique constraint leads with campaign
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    day = models.DateField()
    spent_minor = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "day"], name="c2c_ad_campaign_day"
            ),
            models.CheckConstraint(
                condition=Q(spent_minor__gte=0), name="c2c_ad_spent_not_negative"
            ),
        ]


class AdClick(models.Model):
    """A click on a sponsored slot: charged at its auction price, or not
    (``reason`` says why: repeat, budget, balance, paused)."""

    keyword = models.ForeignKey(AdKeyword, on_delete=models.CASCADE, related_name="+")
    # the c2c_ad_click_dedup index leads with campaign
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    shop_id = models.BigIntegerField()
    product_id = models.BigIntegerField()
    visitor_key = models.CharField(max_length=300)
    user_id = models.BigIntegerField(null=True, blank=True)
    nonce = models.CharField(max_length=32)
    price_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    charged = models.BooleanField(default=False)
    reason = models.CharField(max_length=20, blank=True)
    day = models.DateField()
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        indexes = [
            models.Index(
                fields=["campaign", "product_id", "visitor_key", "created_at"],
                name="c2c_ad_click_dedup",
            ),
            models.Index(
                fields=["user_id", "product_id", "created_at"],
                name="c2c_ad_click_buyer",
            ),
        ]


class AdConversion(models.Model):
    """A paid order line attributed to the buyer's last charged click on
    that product within the attribution window."""

    click = models.ForeignKey(AdClick, on_delete=models.CASCADE, related_name="+")
    keyword = models.ForeignKey(AdKeyword, on_delete=models.CASCADE, related_name="+")
    order_id = models.BigIntegerField()
    product_id = models.BigIntegerField()
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    day = models.DateField()
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["order_id", "product_id"], name="c2c_ad_conversion_once"
            )
        ]


class AdChange(models.Model):
    """Who changed what in a campaign, when and why (status, budget, bids)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    keyword = models.ForeignKey(
        AdKeyword, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=30)
    detail = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(default=clock.now)


class AdServingVersion(models.Model):
    """One row whose ``token`` changes (a fresh random value) in the same
    transaction as every campaign, keyword or status change: a server
    process keeps the eligible keyword map (``ads.eligible``) while the
    token it was built at is still the current one. Random, not a counter,
    so a rolled-back change can never make an old map look current."""

    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField(default=clock.now)
