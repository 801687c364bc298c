from __future__ import annotations

from emporia.kernel.events import event


@event("reviews.product_reviewed")
class ProductReviewed:
    review_id: int
    product_id: int
    shop_id: int
    buyer_id: int
    rating: int
    average: str
    count: int


@event("reviews.shop_reviewed")
class ShopReviewed:
    review_id: int
    shop_id: int
    buyer_id: int
    rating: int
