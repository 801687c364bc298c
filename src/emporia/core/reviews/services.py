"""Review writes. Only the buyer of an order that was delivered may review
its products (one review per order line) and its shop (one per order). The
running aggregates are updated with F() expressions in the same
transaction, so concurrent reviews never lose a count."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from emporia.core.orders.models import Order, OrderLine
from emporia.core.orders.states import OrderStatus as S
from emporia.infra.outbox.services import emit
from emporia.kernel.errors import Conflict, NotFound, ValidationFailed

from . import events
from .models import ProductRating, ProductReview, ShopRating, ShopReview

REVIEWABLE = frozenset({S.DELIVERED, S.COMPLETED, S.PARTIALLY_REFUNDED})
MAX_TEXT = 2000


def _clean(rating: int, text: str) -> str:
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationFailed(
            _("A rating is a whole number from 1 to 5"), field="rating"
        )
    text = (text or "").strip()
    if len(text) > MAX_TEXT:
        raise ValidationFailed(
            _("A review is at most %(max)s characters") % {"max": MAX_TEXT},
            field="text",
        )
    return text


def _check_received(order: Order, buyer) -> None:
    if order.buyer_id != buyer.pk:
        raise NotFound(_("No such order"))
    # Partially refunded can also mean "a return was refunded while the
    # parcel was on its way": only a delivered or completed order counts.
    if order.status not in REVIEWABLE or not (order.delivered_at or order.completed_at):
        raise Conflict(
            _("You can review an order once it has been delivered"),
            code="not_received",
        )


@transaction.atomic
def review_product(
    *, buyer, order_line_id: int, rating: int, text: str = ""
) -> ProductReview:
    """Rate a product bought in a delivered order; once per order line."""
    text = _clean(rating, text)
    line = OrderLine.objects.select_related("order").filter(pk=order_line_id).first()
    if line is None:
        raise NotFound(_("No such order line"))
    _check_received(line.order, buyer)
    try:
        with transaction.atomic():
            review = ProductReview.objects.create(
                order_line=line,
                product_id=line.product_id,
                buyer=buyer,
                rating=rating,
                text=text,
            )
    except IntegrityError as exc:
        raise Conflict(
            _("You have already reviewed this item"), code="already_reviewed"
        ) from exc
    ProductRating.objects.get_or_create(product_id=line.product_id)
    ProductRating.objects.filter(product_id=line.product_id).update(
        count=F("count") + 1, total=F("total") + rating
    )
    agg = ProductRating.objects.get(product_id=line.product_id)
    emit(
        events.ProductReviewed(
            review_id=review.pk,
            product_id=line.product_id,
            shop_id=line.order.shop_id,
            buyer_id=buyer.pk,
            rating=rating,
            average=str(agg.average),
            count=agg.count,
        )
    )
    return review


@transaction.atomic
def review_shop(*, buyer, order_id: int, rating: int, text: str = "") -> ShopReview:
    """Rate the shop of a delivered order; once per order."""
    text = _clean(rating, text)
    order = Order.objects.filter(pk=order_id).first()
    if order is None:
        raise NotFound(_("No such order"))
    _check_received(order, buyer)
    try:
        with transaction.atomic():
            review = ShopReview.objects.create(
                order=order,
                shop_id=order.shop_id,
                buyer=buyer,
                rating=rating,
                text=text,
            )
    except IntegrityError as exc:
        raise Conflict(
            _("You have already reviewed this shop for this order"),
            code="already_reviewed",
        ) from exc
    ShopRating.objects.get_or_create(shop_id=order.shop_id)
    ShopRating.objects.filter(shop_id=order.shop_id).update(
        count=F("count") + 1, total=F("total") + rating
    )
    emit(
        events.ShopReviewed(
            review_id=review.pk, shop_id=order.shop_id, buyer_id=buyer.pk, rating=rating
        )
    )
    return review
