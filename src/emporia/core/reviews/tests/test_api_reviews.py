"""Reviews through the API: only a buyer who received the item, once per
line (and once per order for the shop), with aggregates that search sees."""

import uuid
from decimal import Decimal

import pytest

from emporia.core.checkout import services as checkout
from emporia.core.reviews.models import (
    ProductRating,
    ProductReview,
    ShopRating,
    ShopReview,
)
from emporia.core.search import services as search
from emporia.core.search.models import SearchDocument
from emporia.infra.outbox.services import relay_pending

pytestmark = pytest.mark.django_db


def ship_and_deliver(order, api_as, deliver=True):
    seller = api_as(order.shop.members.get().user)
    resp = seller.post(
        f"fulfilment/orders/{order.pk}/shipments",
        {"carrier": "SF Express", "tracking_number": f"SF{order.pk:010d}"},
    )
    assert resp.status_code == 201, resp.content
    if deliver:
        resp = seller.post(
            f"fulfilment/shipments/{resp.json()['id']}/tracking",
            {"status": "delivered", "description": "Signed for at the door"},
        )
        assert resp.status_code == 201, resp.content
    order.refresh_from_db()
    return order


@pytest.fixture
def delivered(paid_order, api_as):
    def make(**kwargs):
        order = ship_and_deliver(paid_order(**kwargs), api_as)
        assert order.status == "delivered"
        return order

    return make


def review(api, line, rating=5, text="Lovely tea"):
    return api.post(
        "reviews/products",
        {"order_line_id": line.pk, "rating": rating, "text": text},
    )


def review_shop(api, order, rating=4, text="Fast"):
    return api.post(
        "reviews/shops", {"order_id": order.pk, "rating": rating, "text": text}
    )


def product_aggregate(product_id):
    agg = ProductRating.objects.filter(product_id=product_id).first()
    return (agg.count, agg.total) if agg else (0, 0)


def test_a_buyer_reviews_a_delivered_line(delivered, api_as, frozen_clock):
    order = delivered()
    order.buyer.display_name = "Zhang Wei"
    order.buyer.save()
    line = order.lines.get()
    resp = review(api_as(order.buyer), line, 5, "  Lovely tea  ")
    assert resp.status_code == 201, resp.content
    assert resp.json() == {
        "id": ProductReview.objects.get().pk,
        "rating": 5,
        "text": "Lovely tea",
        "buyer": "Z**",
        "sku_label": "",
        "created_at": "2026-11-11T10:00:00Z",
    }
    assert product_aggregate(line.product_id) == (1, 5)


def test_a_buyer_reviews_the_shop_once_per_order(delivered, api_as):
    order = delivered()
    buyer = api_as(order.buyer)
    resp = review_shop(buyer, order, 4)
    assert resp.status_code == 201, resp.content
    assert resp.json()["rating"] == 4
    again = review_shop(buyer, order, 1)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "already_reviewed"
    agg = ShopRating.objects.get(shop_id=order.shop_id)
    assert (agg.count, agg.total, agg.average) == (1, 4, 4.0)
    assert ShopReview.objects.count() == 1
    page = api_as().get(f"reviews/shops/{order.shop_id}").json()
    assert (page["count"], page["average"]) == (1, 4.0)
    assert [r["rating"] for r in page["items"]] == [4]


def test_a_second_review_of_the_same_line_is_a_conflict(delivered, api_as):
    order = delivered()
    line = order.lines.get()
    buyer = api_as(order.buyer)
    review(buyer, line, 5)
    resp = review(buyer, line, 1, "Changed my mind")
    assert resp.status_code == 409
    assert resp.json()["error"]["code"] == "already_reviewed"
    assert ProductReview.objects.count() == 1
    assert product_aggregate(line.product_id) == (1, 5)
    assert ProductReview.objects.get().text == "Lovely tea"


@pytest.mark.parametrize("deliver", [False, True])
def test_an_undelivered_order_cannot_be_reviewed(paid_order, api_as, deliver):
    order = paid_order()
    buyer = api_as(order.buyer)
    if deliver:  # shipped, still on its way
        order = ship_and_deliver(order, api_as, deliver=False)
        assert order.status == "shipped"
    resp = review(buyer, order.lines.get())
    assert resp.status_code == 409
    assert resp.json()["error"]["code"] == "not_received"
    assert review_shop(buyer, order).status_code == 409
    assert ProductReview.objects.count() == ShopReview.objects.count() == 0
    assert ProductRating.objects.count() == ShopRating.objects.count() == 0


def test_an_unpaid_order_cannot_be_reviewed(place, api_as):
    order, _ = place()
    resp = review(api_as(order.buyer), order.lines.get())
    assert resp.status_code == 409
    assert ProductReview.objects.count() == 0


def test_another_users_order_is_404(delivered, api_as, user_factory):
    order = delivered()
    seller = api_as(order.shop.members.get().user)
    for api in (api_as(user_factory()), seller):
        assert review(api, order.lines.get()).status_code == 404
        assert review_shop(api, order).status_code == 404
    assert review(
        api_as(order.buyer), type(order.lines.get())(pk=10**9)
    ).status_code == (404)
    assert review(api_as(), order.lines.get()).status_code == 401
    assert review_shop(api_as(), order).status_code == 401
    assert ProductReview.objects.count() == ShopReview.objects.count() == 0
    assert ProductRating.objects.count() == ShopRating.objects.count() == 0


@pytest.mark.parametrize("rating", [0, 6, -1, "five", 4.5, None, True])
def test_a_rating_outside_1_to_5_is_refused(delivered, api_as, rating):
    order = delivered()
    buyer = api_as(order.buyer)
    resp = review(buyer, order.lines.get(), rating)
    assert resp.status_code == 422, resp.content
    assert resp.json()["error"]["details"]["fields"][0]["field"] == (
        "body.payload.rating"
    )
    assert review_shop(buyer, order, rating).status_code == 422
    assert ProductReview.objects.count() == ShopReview.objects.count() == 0
    assert ProductRating.objects.count() == 0


def test_a_review_text_over_2000_characters_is_refused(delivered, api_as):
    order = delivered()
    resp = review(api_as(order.buyer), order.lines.get(), 5, "好" * 2001)
    assert resp.status_code == 422
    assert ProductReview.objects.count() == 0


def test_the_public_listing_masks_names_and_shows_the_average(
    listed_sku, user_factory, address_factory, sandbox, api_as
):
    sku = listed_sku("10.00", quantity=5)
    reviews = [("Li Na", 5, "Great"), ("W", 2, "Meh"), ("Wang Fang", 4, "")]
    for name, rating, text in reviews:
        buyer = user_factory(display_name=name)
        placed = checkout.place_order(
            buyer=buyer,
            idempotency_key=uuid.uuid4().hex,
            lines=[checkout.WantedLine(sku.pk, 1)],
            address_id=address_factory(user=buyer).pk,
        )
        sandbox.pay(placed.checkout.payment)
        order = ship_and_deliver(placed.checkout.orders.get(), api_as)
        assert review(api_as(buyer), order.lines.get(), rating, text).status_code == 201
    resp = api_as().get(f"reviews/products/{sku.product_id}")
    assert resp.status_code == 200
    body = resp.json()
    assert (body["count"], body["average"]) == (3, 3.67)
    assert sorted((r["buyer"], r["rating"], r["text"]) for r in body["items"]) == [
        ("L**", 5, "Great"),
        ("W", 2, "Meh"),
        ("W**", 4, ""),
    ]
    assert "Li Na" not in resp.content.decode()
    assert "Wang" not in resp.content.decode()
    page = api_as().get(
        f"reviews/products/{sku.product_id}", {"page": 2, "page_size": 2}
    )
    assert (page.json()["count"], len(page.json()["items"])) == (3, 1)
    agg = ProductRating.objects.get(product_id=sku.product_id)
    assert (agg.count, agg.total) == (3, 11)
    empty = api_as().get(f"reviews/products/{10**9}").json()
    assert empty == {"count": 0, "average": None, "items": []}


def test_search_carries_the_rating_after_the_relay(delivered, api_as):
    order = delivered()
    product_id = order.lines.get().product_id
    search.reindex_product(product_id=product_id)
    relay_pending()
    assert SearchDocument.objects.get(product_id=product_id).rating_average is None
    review(api_as(order.buyer), order.lines.get(), 4)
    relay_pending()
    doc = SearchDocument.objects.get(product_id=product_id)
    assert doc.rating_average == Decimal("4.00")
    search.reindex_product(product_id=product_id)
    doc.refresh_from_db()
    assert doc.rating_average == Decimal("4.00")


def test_search_carries_a_rating_given_before_the_product_was_indexed(
    delivered, api_as
):
    order = delivered()
    product_id = order.lines.get().product_id
    review(api_as(order.buyer), order.lines.get(), 3)
    relay_pending()
    search.reindex_product(product_id=product_id)
    assert SearchDocument.objects.get(product_id=product_id).rating_average == (
        Decimal("3.00")
    )


def test_a_return_refunded_in_transit_does_not_make_the_order_reviewable(
    paid_order, api_as
):
    order = ship_and_deliver(
        paid_order(price="30.00", quantity=2, stock=2), api_as, deliver=False
    )
    buyer, seller = api_as(order.buyer), api_as(order.shop.members.get().user)
    line = order.lines.get()
    rid = buyer.post(
        f"fulfilment/orders/{order.pk}/returns",
        {"lines": [{"order_line_id": line.pk, "quantity": 1}], "reason": "Torn"},
    ).json()["id"]
    seller.post(f"fulfilment/returns/{rid}/decision", {"decision": "approve"})
    seller.post(f"fulfilment/returns/{rid}/decision", {"decision": "receive"})
    order.refresh_from_db()
    assert order.status == "partially_refunded"
    resp = review(buyer, line)
    assert resp.status_code == 409
    assert resp.json()["error"]["code"] == "not_received"
    assert review_shop(buyer, order).status_code == 409
    assert ProductReview.objects.count() == ShopReview.objects.count() == 0
    assert ProductRating.objects.count() == 0


def test_a_completed_order_that_was_partly_returned_can_be_reviewed(delivered, api_as):
    order = delivered(price="30.00", quantity=2, stock=2)
    buyer, seller = api_as(order.buyer), api_as(order.shop.members.get().user)
    line = order.lines.get()
    assert buyer.post(f"orders/{order.pk}/confirm-receipt").status_code == 200
    rid = buyer.post(
        f"fulfilment/orders/{order.pk}/returns",
        {"lines": [{"order_line_id": line.pk, "quantity": 1}], "reason": "Torn"},
    ).json()["id"]
    seller.post(f"fulfilment/returns/{rid}/decision", {"decision": "approve"})
    seller.post(f"fulfilment/returns/{rid}/decision", {"decision": "receive"})
    order.refresh_from_db()
    assert order.status == "partially_refunded"
    assert review(buyer, line, 3).status_code == 201
    assert product_aggregate(line.product_id) == (1, 3)


def test_refusals_are_worded_in_the_requests_language(paid_order, api_as):
    order = paid_order()
    line = order.lines.get()
    chinese = review(api_as(order.buyer, language="zh-hans"), line)
    assert chinese.status_code == 409
    assert chinese.json()["error"] == {
        "code": "not_received",
        "message": "订单送达后才能评价",
    }
    english = review(api_as(order.buyer), line)
    assert english.json()["error"]["message"] == (
        "You can review an order once it has been delivered"
    )
    assert ProductReview.objects.count() == 0
    assert ProductRating.objects.count() == 0
