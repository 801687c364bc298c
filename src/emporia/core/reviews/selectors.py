"""Review reads (public)."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import ProductRating, ProductReview, ShopRating, ShopReview


def product_reviews(product_id: int) -> QuerySet[ProductReview]:
    return ProductReview.objects.filter(product_id=product_id).select_related(
        "buyer", "order_line"
    )


def shop_reviews(shop_id: int) -> QuerySet[ShopReview]:
    return ShopReview.objects.filter(shop_id=shop_id).select_related("buyer")


def product_rating(product_id: int) -> tuple[int, float | None]:
    agg = ProductRating.objects.filter(product_id=product_id).first()
    return (agg.count, agg.average) if agg else (0, None)


def shop_rating(shop_id: int) -> tuple[int, float | None]:
    agg = ShopRating.objects.filter(shop_id=shop_id).first()
    return (agg.count, agg.average) if agg else (0, None)


def reviewed_by_buyer(*, buyer, order_id: int) -> tuple[set[int], bool]:
    """What the buyer already reviewed on an order: the ids of the order lines
    with a product review, and whether the shop was rated for it."""
    lines = set(
        ProductReview.objects.filter(
            buyer=buyer, order_line__order_id=order_id
        ).values_list("order_line_id", flat=True)
    )
    return lines, ShopReview.objects.filter(buyer=buyer, order_id=order_id).exists()
