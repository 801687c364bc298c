"""Shipping through the API: partial and full shipments, tracking scans,
and refusals that leave no shipment behind."""

import uuid

import pytest

from emporia.core.checkout import services as checkout
from emporia.core.fulfilment.models import Shipment, ShipmentLine, TrackingEvent
from emporia.core.orders.models import Order

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_line_order(shopper, listed_sku, shop_factory, sandbox):
    """A paid order of one shop with two lines: 2 teas and 1 cup."""
    shop = shop_factory()
    tea = listed_sku("38.00", quantity=5, shop=shop)
    cup = listed_sku("12.50", quantity=5, shop=shop)
    placed = checkout.place_order(
        buyer=shopper,
        idempotency_key=uuid.uuid4().hex,
        lines=[checkout.WantedLine(tea.pk, 2), checkout.WantedLine(cup.pk, 1)],
        address_id=shopper.default_address.pk,
    )
    sandbox.pay(placed.checkout.payment)
    order = placed.checkout.orders.get()
    assert order.status == "paid"
    return order


def seller_of(order, api_as):
    return api_as(order.shop.members.get().user)


def lines_of(order):
    tea, cup = order.lines.order_by("id")
    return tea, cup


def ship(api, order, tracking, lines=None, carrier="SF Express"):
    body = {"carrier": carrier, "tracking_number": tracking}
    if lines is not None:
        body["lines"] = [{"order_line_id": li.pk, "quantity": q} for li, q in lines]
    return api.post(f"fulfilment/orders/{order.pk}/shipments", body)


def scan(api, shipment_id, status="delivered"):
    return api.post(
        f"fulfilment/shipments/{shipment_id}/tracking",
        {"status": status, "description": "Scan", "place": "Hangzhou"},
    )


def status_of(order):
    return Order.objects.get(pk=order.pk).status


def test_shipping_one_line_of_two_leaves_the_order_paid(two_line_order, api_as):
    order = two_line_order
    tea, _cup = lines_of(order)
    resp = ship(seller_of(order, api_as), order, "SF1", lines=[(tea, 2)])
    assert resp.status_code == 201, resp.content
    body = resp.json()
    assert body["lines"] == [{"order_line_id": tea.pk, "quantity": 2}]
    assert body["status"] == "shipped"
    assert [e["status"] for e in body["events"]] == ["shipped"]
    assert status_of(order) == "paid"


def test_shipping_the_rest_ships_the_order(two_line_order, api_as):
    order = two_line_order
    tea, cup = lines_of(order)
    seller = seller_of(order, api_as)
    ship(seller, order, "SF1", lines=[(tea, 1)])
    ship(seller, order, "SF2", lines=[(tea, 1)])
    assert status_of(order) == "paid"
    resp = ship(seller, order, "SF3")  # no lines: everything left
    assert resp.status_code == 201
    assert resp.json()["lines"] == [{"order_line_id": cup.pk, "quantity": 1}]
    assert status_of(order) == "shipped"
    listed = api_as(order.buyer).get(f"fulfilment/orders/{order.pk}/shipments")
    assert [s["tracking_number"] for s in listed.json()] == ["SF1", "SF2", "SF3"]


def test_shipping_more_than_ordered_is_refused(two_line_order, api_as):
    order = two_line_order
    tea, _cup = lines_of(order)
    seller = seller_of(order, api_as)
    resp = ship(seller, order, "SF1", lines=[(tea, 3)])
    assert resp.status_code == 422
    assert "Only 2" in resp.json()["error"]["message"]
    ship(seller, order, "SF2", lines=[(tea, 1)])
    resp = ship(seller, order, "SF3", lines=[(tea, 1), (tea, 1)])
    assert resp.status_code == 422
    assert Shipment.objects.count() == 1
    assert ShipmentLine.objects.get().quantity == 1
    assert status_of(order) == "paid"


def test_shipping_a_line_of_another_order_is_refused(
    two_line_order, paid_order, api_as
):
    order = two_line_order
    other_line = paid_order().lines.get()
    resp = ship(seller_of(order, api_as), order, "SF1", lines=[(other_line, 1)])
    assert resp.status_code == 404
    assert Shipment.objects.count() == 0
    assert status_of(order) == "paid"


def test_shipping_everything_twice_is_a_conflict(paid_order, api_as):
    order = paid_order()
    seller = seller_of(order, api_as)
    assert ship(seller, order, "SF1").status_code == 201
    resp = ship(seller, order, "SF2")
    assert resp.status_code == 409
    assert Shipment.objects.count() == 1


def test_an_unpaid_order_cannot_be_shipped(place, api_as):
    order, _ = place()
    resp = ship(seller_of(order, api_as), order, "SF1")
    assert resp.status_code == 409
    assert resp.json()["error"]["code"] == "invalid_transition"
    assert Shipment.objects.count() == 0
    assert status_of(order) == "awaiting_payment"


def test_the_refusal_is_worded_in_the_requests_language(place, api_as):
    order, _ = place()
    seller = order.shop.members.get().user
    body = {"carrier": "SF Express", "tracking_number": "SF1"}
    url = f"fulfilment/orders/{order.pk}/shipments"

    chinese = api_as(seller, language="zh-hans").post(url, body)
    english = api_as(seller).post(url, body)

    assert chinese.status_code == 409
    assert chinese.json()["error"] == {
        "code": "invalid_transition",
        "message": f"订单 {order.number} 当前为“待付款”状态，无法发货",
    }
    assert english.json()["error"]["message"] == (
        f"Order {order.number} is awaiting payment: it cannot be shipped"
    )
    assert Shipment.objects.count() == 0
    assert TrackingEvent.objects.count() == 0
    assert status_of(order) == "awaiting_payment"


def test_a_cancelled_order_cannot_be_shipped(place, api_as):
    order, _ = place()
    resp = api_as(order.buyer).post(f"orders/{order.pk}/cancel", {"reason": "No"})
    assert resp.json()["status"] == "cancelled"
    resp = ship(seller_of(order, api_as), order, "SF1")
    assert resp.status_code == 409
    assert Shipment.objects.count() == 0
    assert status_of(order) == "cancelled"


def test_a_refunded_order_cannot_be_shipped(paid_order, api_as):
    order = paid_order()
    api_as(order.buyer).post(f"orders/{order.pk}/cancel", {"reason": "No"})
    resp = ship(seller_of(order, api_as), order, "SF1")
    assert resp.status_code == 409
    assert Shipment.objects.count() == 0
    assert status_of(order) == "refunded"


def test_a_reused_tracking_number_is_a_conflict(paid_order, api_as):
    first, second = paid_order(), paid_order()
    assert ship(seller_of(first, api_as), first, "SF1").status_code == 201
    resp = ship(seller_of(second, api_as), second, "SF1")
    assert resp.status_code == 409
    assert "tracking number" in resp.json()["error"]["message"]
    assert Shipment.objects.count() == 1
    assert status_of(second) == "paid"
    # The same number with another carrier is another parcel.
    resp = ship(seller_of(second, api_as), second, "SF1", carrier="YTO")
    assert resp.status_code == 201


def test_tracking_moves_the_shipment_and_delivers_the_order(
    paid_order, api_as, frozen_clock
):
    order = paid_order()
    seller = seller_of(order, api_as)
    sid = ship(seller, order, "SF1").json()["id"]
    resp = scan(seller, sid, "in_transit")
    assert resp.status_code == 201
    assert resp.json()["status"] == "in_transit"
    assert status_of(order) == "shipped"
    resp = scan(seller, sid)
    assert resp.json()["status"] == "delivered"
    assert [e["status"] for e in resp.json()["events"]] == [
        "shipped",
        "in_transit",
        "delivered",
    ]
    order.refresh_from_db()
    assert order.status == "delivered"
    assert order.delivered_at == frozen_clock()


def test_a_scan_on_a_delivered_shipment_is_a_conflict(paid_order, api_as):
    order = paid_order()
    seller = seller_of(order, api_as)
    sid = ship(seller, order, "SF1").json()["id"]
    scan(seller, sid)
    events = TrackingEvent.objects.count()
    for status in ("delivered", "in_transit"):
        resp = scan(seller, sid, status)
        assert resp.status_code == 409
    assert TrackingEvent.objects.count() == events
    assert Shipment.objects.get().status == "delivered"
    assert status_of(order) == "delivered"


def test_an_unknown_scan_status_is_refused(paid_order, api_as):
    order = paid_order()
    seller = seller_of(order, api_as)
    sid = ship(seller, order, "SF1").json()["id"]
    resp = scan(seller, sid, "lost")
    assert resp.status_code == 422
    assert TrackingEvent.objects.count() == 1
    assert Shipment.objects.get().status == "shipped"


def test_two_shipments_deliver_the_order_only_when_both_arrive(two_line_order, api_as):
    order = two_line_order
    tea, _cup = lines_of(order)
    seller = seller_of(order, api_as)
    first = ship(seller, order, "SF1", lines=[(tea, 2)]).json()["id"]
    assert scan(seller, first).status_code == 201
    assert status_of(order) == "paid"  # the cup has not even shipped
    second = ship(seller, order, "SF2").json()["id"]
    assert status_of(order) == "shipped"
    scan(seller, second, "in_transit")
    assert status_of(order) == "shipped"
    scan(seller, second)
    assert status_of(order) == "delivered"


def test_strangers_cannot_ship_scan_or_list(
    paid_order, api_as, user_factory, shop_factory
):
    order = paid_order()
    seller = seller_of(order, api_as)
    sid = ship(seller, order, "SF1").json()["id"]
    other_seller = api_as(shop_factory().members.get().user)
    stranger = api_as(user_factory())
    buyer = api_as(order.buyer)
    for api in (stranger, other_seller, buyer):
        assert scan(api, sid).status_code == 404
    for api in (stranger, other_seller):
        assert api.get(f"fulfilment/orders/{order.pk}/shipments").status_code == 404
    assert ship(api_as(), order, "SF2").status_code == 401
    assert scan(api_as(), sid).status_code == 401
    assert api_as().get(f"fulfilment/orders/{order.pk}/shipments").status_code == 401
    assert TrackingEvent.objects.count() == 1
    assert Shipment.objects.get().status == "shipped"
    assert status_of(order) == "shipped"
