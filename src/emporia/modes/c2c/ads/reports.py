"""Ad reports for shop staff: per keyword and per day.

Per keyword over a date range (local days): impressions, clicks, CTR
(clicks / impressions), spend, average CPC (spend / charged clicks), orders
and sales attributed to clicks, and ROI (attributed sales / spend). Reading
a report first writes this process's buffered impressions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from django.db.models import Count, Sum

from emporia.kernel.money import Money

from ..models import AdConversion, AdKeyword, AdKeywordDay, Campaign, CampaignDay
from . import config, impressions


@dataclass(frozen=True)
class KeywordRow:
    keyword: AdKeyword
    impressions: int
    clicks: int
    charged_clicks: int
    spend: Money
    orders: int
    sales: Money

    @property
    def ctr(self) -> Decimal | None:
        """Clicks per impression as a percentage, two places."""
        if not self.impressions:
            return None
        return (Decimal(self.clicks * 100) / self.impressions).quantize(
            Decimal("0.01"), ROUND_HALF_EVEN
        )

    @property
    def average_cpc(self) -> Money | None:
        if not self.charged_clicks:
            return None
        return Money(
            int(
                (Decimal(self.spend.minor) / self.charged_clicks).quantize(
                    Decimal(1), ROUND_HALF_EVEN
                )
            ),
            self.spend.currency,
        )

    @property
    def roi(self) -> Decimal | None:
        """Attributed sales per unit of spend, two places."""
        if not self.spend.minor:
            return None
        return (Decimal(self.sales.minor) / self.spend.minor).quantize(
            Decimal("0.01"), ROUND_HALF_EVEN
        )


def campaigns_for_shop(shop_id: int) -> list[dict]:
    """The shop's campaigns, newest first, each with today's spend."""
    impressions.flush()
    campaigns = list(Campaign.objects.filter(shop_id=shop_id).order_by("-id"))
    spent = dict(
        CampaignDay.objects.filter(
            campaign__in=campaigns, day=config.today()
        ).values_list("campaign_id", "spent_minor")
    )
    counts = dict(
        AdKeyword.objects.filter(campaign__in=campaigns)
        .values("campaign_id")
        .annotate(n=Count("id"))
        .values_list("campaign_id", "n")
    )
    return [
        {
            "campaign": c,
            "budget": Money(c.daily_budget_minor, c.currency),
            "spent_today": Money(spent.get(c.pk, 0), c.currency),
            "keywords": counts.get(c.pk, 0),
        }
        for c in campaigns
    ]


def keyword_report(
    *, campaign: Campaign, start: dt.date, end: dt.date
) -> list[KeywordRow]:
    """One row per keyword of the campaign for local days start..end."""
    impressions.flush()
    keywords = list(AdKeyword.objects.filter(campaign=campaign).order_by("id"))
    days = {
        r["keyword_id"]: r
        for r in AdKeywordDay.objects.filter(
            keyword__campaign=campaign, day__gte=start, day__lte=end
        )
        .values("keyword_id")
        .annotate(
            i=Sum("impressions"),
            c=Sum("clicks"),
            cc=Sum("charged_clicks"),
            s=Sum("spend_minor"),
        )
    }
    sales = {
        r["keyword_id"]: r
        for r in AdConversion.objects.filter(
            keyword__campaign=campaign, day__gte=start, day__lte=end
        )
        .values("keyword_id")
        .annotate(o=Count("order_id", distinct=True), a=Sum("amount_minor"))
    }
    rows = []
    for k in keywords:
        d, s = days.get(k.pk, {}), sales.get(k.pk, {})
        rows.append(
            KeywordRow(
                keyword=k,
                impressions=int(d.get("i") or 0),
                clicks=int(d.get("c") or 0),
                charged_clicks=int(d.get("cc") or 0),
                spend=Money(int(d.get("s") or 0), campaign.currency),
                orders=int(s.get("o") or 0),
                sales=Money(int(s.get("a") or 0), campaign.currency),
            )
        )
    return rows


def daily_series(*, campaign: Campaign, days: int = 14) -> list[dict]:
    """The last ``days`` local days of the campaign: impressions, clicks,
    spend (minor units) per day, oldest first, zeros included."""
    impressions.flush()
    end = config.today()
    start = end - dt.timedelta(days=days - 1)
    rows = {
        r["day"]: r
        for r in AdKeywordDay.objects.filter(
            keyword__campaign=campaign, day__gte=start, day__lte=end
        )
        .values("day")
        .annotate(i=Sum("impressions"), c=Sum("clicks"), s=Sum("spend_minor"))
    }
    out = []
    for n in range(days):
        day = start + dt.timedelta(days=n)
        r = rows.get(day, {})
        out.append(
            {
                "day": day,
                "impressions": int(r.get("i") or 0),
                "clicks": int(r.get("c") or 0),
                "spend_minor": int(r.get("s") or 0),
            }
        )
    return out
