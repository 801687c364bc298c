"""HTTP API: C2C trade ratings, seller credit and the seller growth center."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from emporia.core.accounts import selectors as accounts
from emporia.kernel.errors import NotFound
from emporia.modes.c2c.credit_levels import CreditLevel
from emporia.modes.c2c.selectors import credit as selectors
from emporia.modes.c2c.selectors import growth
from emporia.modes.c2c.services import credit as services

from .auth import AUTH
from .schemas import MoneyOut, money

router = Router(tags=["C2C credit"])

VerdictIn = Literal["good", "neutral", "bad"]
Score = Field(..., ge=1, le=5, strict=True)


class ProductReviewIn(Schema):
    order_line_id: int = Field(..., gt=0, le=2**62, strict=True)
    rating: int = Field(..., ge=1, le=5, strict=True)
    text: str = Field("", max_length=2000)


class RateIn(Schema):
    order_id: int = Field(..., gt=0, le=2**62, strict=True)
    verdict: VerdictIn
    text: str = Field("", max_length=500)
    description: int = Score
    service: int = Score
    logistics: int = Score
    product_reviews: list[ProductReviewIn] = Field(default_factory=list, max_length=50)


class AmendIn(Schema):
    verdict: VerdictIn
    text: str | None = Field(None, max_length=500)


class TextIn(Schema):
    text: str = Field(..., min_length=1, max_length=500)


class ExclusionIn(Schema):
    order_id: int = Field(..., gt=0, le=2**62, strict=True)
    reason: str = Field(..., min_length=1, max_length=255)


class ReasonIn(Schema):
    reason: str = Field(..., min_length=1, max_length=255)


class ScoresOut(Schema):
    description: int
    service: int
    logistics: int


class RatingOut(Schema):
    id: int
    verdict: str
    text: str
    scores: ScoresOut
    buyer: str
    items: list[str]
    rated_at: dt.datetime
    amended_at: dt.datetime | None
    reply: str
    replied_at: dt.datetime | None


class OwnRatingOut(RatingOut):
    order_id: int
    shop_id: int
    counted: bool
    points: int


class RatingPage(Schema):
    count: int
    items: list[RatingOut]


class LevelOut(Schema):
    rank: int
    tier: str
    icons: int
    symbol: str
    low: int | None
    high: int | None


class DetailedScoreOut(Schema):
    name: str
    shop: Decimal | None
    category: Decimal | None
    diff_percent: Decimal | None


class CreditOut(Schema):
    shop_id: int
    shop_name: str
    points: int
    level: LevelOut
    good: int
    neutral: int
    bad: int
    good_rate: Decimal | None
    category_id: int | None
    scores: list[DetailedScoreOut]


class ExclusionOut(Schema):
    order_id: int
    reason: str
    at: dt.datetime


class GrowthDayOut(Schema):
    day: dt.date
    visitors: int
    buyers: int
    orders: int
    gmv: MoneyOut
    conversion: Decimal | None
    credit_points: int


class CheckOut(Schema):
    code: str
    value: Decimal | None
    limit: Decimal | None
    unit: str
    ok: bool | None
    basis: int
    detail: dict


class GrowthOut(Schema):
    shop_id: int
    visitors: int
    buyers: int
    orders: int
    gmv: MoneyOut
    conversion: Decimal | None
    repeat_buyers: int
    repeat_rate: Decimal | None
    days: list[GrowthDayOut]
    checklist: list[CheckOut]


class PageIn(Schema):
    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(20, ge=1, le=100)
    verdict: VerdictIn | None = None


class DaysIn(Schema):
    days: int = Field(30, ge=1, le=366)


def masked(user) -> str:
    """Raters are shown masked, as on the product reviews."""
    name = user.display_name or "Buyer"
    return name[0] + "**" if len(name) > 1 else name


def _level(level: CreditLevel) -> dict:
    return {
        "rank": level.rank,
        "tier": level.tier,
        "icons": level.icons,
        "symbol": level.symbol,
        "low": level.low,
        "high": level.high,
    }


def _rating(r, *, own: bool = False) -> dict:
    out = {
        "id": r.pk,
        "verdict": r.verdict,
        "text": r.text,
        "scores": {
            "description": r.description_score,
            "service": r.service_score,
            "logistics": r.logistics_score,
        },
        "buyer": masked(r.buyer),
        "items": [line.product_name for line in r.order.lines.all()],
        "rated_at": r.rated_at,
        "amended_at": r.amended_at,
        "reply": r.reply,
        "replied_at": r.replied_at,
    }
    if own:
        out.update(
            order_id=r.order_id, shop_id=r.shop_id, counted=r.counted, points=r.points
        )
    return out


def _own(request, order_id: int) -> dict:
    rating = selectors.rating_for_order(user=request.auth, order_id=order_id)
    if rating is None:
        raise NotFound(_("No such rating"))
    return _rating(rating, own=True)


@router.get("levels", response=list[LevelOut])
def levels(request):
    """The published credit levels: points to hearts, diamonds and crowns."""
    return [_level(level) for level in selectors.level_table()]


@router.post("ratings", response={201: OwnRatingOut}, auth=AUTH)
def rate_trade(request, payload: RateIn):
    """Rate a completed trade (its buyer, once, within 15 days)."""
    services.rate_trade(
        buyer=request.auth,
        order_id=payload.order_id,
        verdict=payload.verdict,
        text=payload.text,
        description=payload.description,
        service=payload.service,
        logistics=payload.logistics,
        product_reviews=[
            services.ProductReviewIn(p.order_line_id, p.rating, p.text)
            for p in payload.product_reviews
        ],
    )
    return Status(201, _own(request, payload.order_id))


@router.get("ratings/{order_id}", response=OwnRatingOut, auth=AUTH)
def get_rating(request, order_id: int):
    """An order's rating, for its buyer or the shop's staff."""
    return _own(request, order_id)


@router.patch("ratings/{order_id}", response=OwnRatingOut, auth=AUTH)
def amend_rating(request, order_id: int, payload: AmendIn):
    """Change a neutral or bad rating to a better one (once, within 30 days)."""
    services.amend_rating(
        buyer=request.auth,
        order_id=order_id,
        verdict=payload.verdict,
        text=payload.text,
    )
    return _own(request, order_id)


@router.post("ratings/{order_id}/reply", response=OwnRatingOut, auth=AUTH)
def reply(request, order_id: int, payload: TextIn):
    """The shop's one reply to a rating (shop staff, within 30 days)."""
    services.reply_to_rating(user=request.auth, order_id=order_id, text=payload.text)
    return _own(request, order_id)


@router.get("shops/{shop_id}", response=CreditOut)
def shop_credit(request, shop_id: int):
    """A shop's public credit: points, level, good-rating rate and detailed
    scores against its category."""
    shop = accounts.public_shop(shop_id=shop_id)
    summary = selectors.credit_summary(shop.pk)
    credit, scores = summary.credit, summary.scores
    return {
        "shop_id": shop.pk,
        "shop_name": shop.name,
        "points": credit.points,
        "level": _level(credit.level),
        "good": credit.good,
        "neutral": credit.neutral,
        "bad": credit.bad,
        "good_rate": credit.good_rate,
        "category_id": scores.category_id,
        "scores": [s.__dict__ for s in scores.scores],
    }


@router.get("shops/{shop_id}/ratings", response=RatingPage)
def shop_ratings(request, shop_id: int, q: Query[PageIn]):
    """A shop's ratings with replies, newest first."""
    shop = accounts.public_shop(shop_id=shop_id)
    qs = selectors.public_ratings(shop.pk, verdict=q.verdict)
    start = (q.page - 1) * q.page_size
    items = qs.prefetch_related("order__lines")[start : start + q.page_size]
    return {"count": qs.count(), "items": [_rating(r) for r in items]}


@router.get("shops/{shop_id}/growth", response=GrowthOut, auth=AUTH)
def shop_growth(request, shop_id: int, q: Query[DaysIn]):
    """The seller growth center (shop staff): visitors, conversion, GMV,
    repeat buyers and credit per day, and the checklist."""
    shop = accounts.staff_shop(user=request.auth, shop_id=shop_id)
    g = growth.shop_growth(shop_id=shop.pk, currency=shop.currency, days=q.days)
    return {
        "shop_id": shop.pk,
        "visitors": g.visitors,
        "buyers": g.buyers,
        "orders": g.orders,
        "gmv": g.gmv.as_dict(),
        "conversion": g.conversion,
        "repeat_buyers": g.repeat_buyers,
        "repeat_rate": g.repeat_rate,
        "days": [
            {
                "day": d.day,
                "visitors": d.visitors,
                "buyers": d.buyers,
                "orders": d.orders,
                "gmv": money(d.gmv_minor, shop.currency),
                "conversion": d.conversion,
                "credit_points": d.credit_points,
            }
            for d in g.days
        ],
        "checklist": [c.__dict__ for c in growth.growth_checklist(shop_id=shop.pk)],
    }


@router.post("exclusions", response={201: ExclusionOut}, auth=AUTH)
def exclude(request, payload: ExclusionIn):
    """Take an order out of its shop's credit (operators; idempotent)."""
    if not request.auth.is_operator:
        raise NotFound(_("Not found"))
    e = services.exclude_rating_from_credit(
        order_id=payload.order_id, reason=payload.reason, actor=request.auth
    )
    return Status(201, {"order_id": e.order_id, "reason": e.reason, "at": e.at})


@router.post("exclusions/{order_id}/restore", response={204: None}, auth=AUTH)
def restore(request, order_id: int, payload: ReasonIn):
    """Count an excluded order's rating again (operators; idempotent)."""
    if not request.auth.is_operator:
        raise NotFound(_("Not found"))
    services.restore_rating_to_credit(
        order_id=order_id, reason=payload.reason, actor=request.auth
    )
    return Status(204, None)
