"""HTTP API: reviews of products and shops."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Query, Router, Schema

from emporia.core.reviews import selectors, services

from .auth import AUTH

router = Router(tags=["Reviews"])


class ProductReviewIn(Schema):
    order_line_id: int = Field(..., gt=0, le=2**62, strict=True)
    rating: int = Field(..., ge=1, le=5, strict=True)
    text: str = Field("", max_length=2000)


class ShopReviewIn(Schema):
    order_id: int = Field(..., gt=0, le=2**62, strict=True)
    rating: int = Field(..., ge=1, le=5, strict=True)
    text: str = Field("", max_length=2000)


class ReviewOut(Schema):
    id: int
    rating: int
    text: str
    buyer: str
    sku_label: str = ""
    created_at: dt.datetime


class ReviewPage(Schema):
    count: int
    average: float | None
    items: list[ReviewOut]


class PageIn(Schema):
    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(20, ge=1, le=100)


def _name(user) -> str:
    name = user.display_name or "Buyer"
    return name[0] + "**" if len(name) > 1 else name  # reviewers are shown masked


def _page(qs, page: PageIn, rating: tuple) -> dict:
    start = (page.page - 1) * page.page_size
    items = list(qs[start : start + page.page_size])
    return {
        "count": rating[0],
        "average": rating[1],
        "items": [
            {
                "id": r.pk,
                "rating": r.rating,
                "text": r.text,
                "buyer": _name(r.buyer),
                "sku_label": getattr(getattr(r, "order_line", None), "sku_label", ""),
                "created_at": r.created_at,
            }
            for r in items
        ],
    }


@router.post("/products", response={201: ReviewOut}, auth=AUTH)
def review_product(request, payload: ProductReviewIn):
    r = services.review_product(buyer=request.auth, **payload.dict())
    return 201, {
        "id": r.pk,
        "rating": r.rating,
        "text": r.text,
        "buyer": _name(request.auth),
        "created_at": r.created_at,
    }


@router.post("/shops", response={201: ReviewOut}, auth=AUTH)
def review_shop(request, payload: ShopReviewIn):
    r = services.review_shop(buyer=request.auth, **payload.dict())
    return 201, {
        "id": r.pk,
        "rating": r.rating,
        "text": r.text,
        "buyer": _name(request.auth),
        "created_at": r.created_at,
    }


@router.get("/products/{product_id}", response=ReviewPage)
def product_reviews(request, product_id: int, page: Query[PageIn]):
    return _page(
        selectors.product_reviews(product_id),
        page,
        selectors.product_rating(product_id),
    )


@router.get("/shops/{shop_id}", response=ReviewPage)
def shop_reviews(request, shop_id: int, page: Query[PageIn]):
    return _page(selectors.shop_reviews(shop_id), page, selectors.shop_rating(shop_id))
