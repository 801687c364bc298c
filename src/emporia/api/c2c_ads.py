"""HTTP API: C2C keyword ads (直通车) for shop staff.

Campaigns live under a shop; a campaign or keyword of a shop the caller does
not work for is a 404. Money goes in as ``*_minor`` integers in the ads
currency (CNY) and comes out as MoneyOut.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import StrictInt

from emporia.core.accounts import selectors as accounts
from emporia.kernel.errors import ValidationFailed
from emporia.kernel.money import MAX_MINOR, Money
from emporia.modes.c2c.ads import campaigns, config, reports

from .auth import AUTH

router = Router(tags=["C2C ads"], auth=AUTH)


class CampaignIn(Schema):
    name: str = Field(..., min_length=1, max_length=80)
    daily_budget_minor: int = Field(..., gt=0, le=MAX_MINOR, strict=True)
    start_date: dt.date
    end_date: dt.date | None = None
    hour_from: int = Field(0, ge=0, le=24, strict=True)
    hour_to: int = Field(24, ge=0, le=24, strict=True)
    product_ids: list[StrictInt] = Field(..., min_length=1, max_length=50)


class CampaignUpdate(CampaignIn):
    product_ids: list[int] | None = Field(None, min_length=1, max_length=50)


class StatusIn(Schema):
    status: Literal["active", "paused"]
    reason: str = Field("", max_length=200)


class KeywordIn(Schema):
    text: str = Field(..., min_length=1, max_length=60)
    bid_minor: int = Field(..., gt=0, le=MAX_MINOR, strict=True)
    match: Literal["exact", "broad"] = "broad"


class KeywordChange(Schema):
    bid_minor: int | None = Field(None, gt=0, le=MAX_MINOR, strict=True)
    status: Literal["active", "paused"] | None = None


class ReportQuery(Schema):
    start: dt.date | None = None
    end: dt.date | None = None


def _money(minor: int) -> Money:
    return Money(minor, config.currency())


def _campaign(c, products=None) -> dict:
    return {
        "id": c.pk,
        "shop_id": c.shop_id,
        "name": c.name,
        "status": c.status,
        "daily_budget": Money(c.daily_budget_minor, c.currency).as_dict(),
        "start_date": c.start_date,
        "end_date": c.end_date,
        "hour_from": c.hour_from,
        "hour_to": c.hour_to,
        "product_ids": sorted(products if products is not None else []),
    }


def _keyword(k) -> dict:
    return {
        "id": k.pk,
        "campaign_id": k.campaign_id,
        "text": k.text,
        "words": k.tokens.split(),
        "match": k.match,
        "bid": _money(k.bid_minor).as_dict(),
        "status": k.status,
        "impressions": k.impressions,
        "clicks": k.clicks,
    }


def _products(campaign) -> list[int]:
    return list(campaign.products.values_list("pk", flat=True))


@router.get("shops/{shop_id}/campaigns")
def list_campaigns(request, shop_id: int):
    """A shop's campaigns with today's spend."""
    shop = accounts.staff_shop(user=request.auth, shop_id=shop_id)
    return [
        {
            **_campaign(row["campaign"], _products(row["campaign"])),
            "spent_today": row["spent_today"].as_dict(),
            "keywords": row["keywords"],
        }
        for row in reports.campaigns_for_shop(shop.pk)
    ]


@router.post("shops/{shop_id}/campaigns", response={201: dict})
def create_campaign(request, shop_id: int, body: CampaignIn):
    """Open a campaign for some of the shop's products."""
    campaign = campaigns.create_campaign(
        shop_id=shop_id,
        by=request.auth,
        name=body.name,
        daily_budget=_money(body.daily_budget_minor),
        start_date=body.start_date,
        end_date=body.end_date,
        hour_from=body.hour_from,
        hour_to=body.hour_to,
        product_ids=body.product_ids,
    )
    return Status(201, _campaign(campaign, _products(campaign)))


@router.get("campaigns/{campaign_id}")
def get_campaign(request, campaign_id: int):
    """A campaign with its keywords."""
    campaign = campaigns.campaign_for(user=request.auth, campaign_id=campaign_id)
    return {
        **_campaign(campaign, _products(campaign)),
        "keywords": [_keyword(k) for k in campaign.keywords.order_by("id")],
    }


@router.put("campaigns/{campaign_id}")
def update_campaign(request, campaign_id: int, body: CampaignUpdate):
    """Change the name, budget, schedule and (when given) products."""
    campaign = campaigns.update_campaign(
        campaign_id=campaign_id,
        by=request.auth,
        name=body.name,
        daily_budget=_money(body.daily_budget_minor),
        start_date=body.start_date,
        end_date=body.end_date,
        hour_from=body.hour_from,
        hour_to=body.hour_to,
        product_ids=body.product_ids,
    )
    return _campaign(campaign, _products(campaign))


@router.post("campaigns/{campaign_id}/status")
def set_campaign_status(request, campaign_id: int, body: StatusIn):
    """Pause or resume a campaign."""
    campaign = campaigns.set_campaign_status(
        campaign_id=campaign_id, by=request.auth, status=body.status, reason=body.reason
    )
    return _campaign(campaign, _products(campaign))


@router.post("campaigns/{campaign_id}/keywords", response={201: dict})
def add_keyword(request, campaign_id: int, body: KeywordIn):
    """Bid on a keyword (at least 0.10 CNY a click)."""
    keyword = campaigns.add_keyword(
        campaign_id=campaign_id,
        by=request.auth,
        text=body.text,
        bid=_money(body.bid_minor),
        match=body.match,
    )
    return Status(201, _keyword(keyword))


@router.patch("keywords/{keyword_id}")
def change_keyword(request, keyword_id: int, body: KeywordChange):
    """Change a keyword's bid or pause/resume it."""
    keyword = campaigns.set_keyword(
        keyword_id=keyword_id,
        by=request.auth,
        bid=_money(body.bid_minor) if body.bid_minor is not None else None,
        status=body.status,
    )
    return _keyword(keyword)


@router.get("campaigns/{campaign_id}/report")
def campaign_report(request, campaign_id: int, q: Query[ReportQuery]):
    """Per keyword: impressions, clicks, CTR %, spend, average CPC, orders,
    attributed sales and ROI over local days start..end (default: the last
    30 days); plus the last 14 days per day."""
    campaign = campaigns.campaign_for(user=request.auth, campaign_id=campaign_id)
    end = q.end or config.today()
    start = q.start or end - dt.timedelta(days=29)
    if start > end or (end - start).days > 366:
        raise ValidationFailed(_("Choose a range of up to a year"), field="start")
    rows = reports.keyword_report(campaign=campaign, start=start, end=end)
    return {
        "campaign_id": campaign.pk,
        "start": start,
        "end": end,
        "keywords": [
            {
                "keyword_id": r.keyword.pk,
                "text": r.keyword.text,
                "impressions": r.impressions,
                "clicks": r.clicks,
                "charged_clicks": r.charged_clicks,
                "ctr_percent": str(r.ctr) if r.ctr is not None else None,
                "spend": r.spend.as_dict(),
                "average_cpc": r.average_cpc.as_dict() if r.average_cpc else None,
                "orders": r.orders,
                "sales": r.sales.as_dict(),
                "roi": str(r.roi) if r.roi is not None else None,
            }
            for r in rows
        ],
        "days": [
            {**d, "day": d["day"]} for d in reports.daily_series(campaign=campaign)
        ],
    }
