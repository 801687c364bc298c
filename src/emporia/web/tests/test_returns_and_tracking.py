"""Buyer ships a return back; shop staff record tracking scans; both show on
the order's timeline."""

from __future__ import annotations

import pytest

from emporia.core.accounts.models import ShopMember
from emporia.core.fulfilment import services as fulfilment
from emporia.core.fulfilment.models import ReturnRequest, Shipment, TrackingEvent

from .conftest import title

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipped(frozen_clock, paid_order):
    """A paid order its shop shipped an hour later: (order, seller, shipment)."""
    order = paid_order("50.00", quantity=2)
    frozen_clock.advance(hours=1)
    seller = ShopMember.objects.get(shop=order.shop, role="owner").user
    shipment = fulfilment.ship_order(
        order=order, by=seller, carrier="顺丰速运", tracking_number="SF100"
    )
    order.refresh_from_db()
    return order, seller, shipment


@pytest.fixture
def approved_return(shipped):
    order, seller, _ = shipped
    line = order.lines.get()
    ret = fulfilment.request_return(
        order=order, buyer=order.buyer, lines=[(line.pk, 1)], reason="尺码不合适"
    )
    fulfilment.approve_return(request=ret, by=seller)
    return ret


def test_order_detail_links_an_approved_return_to_the_ship_back_page(
    english, approved_return
):
    client = english(approved_return.buyer)
    page = client.get(f"/account/orders/{approved_return.order_id}/").content.decode()
    assert f'href="/account/returns/{approved_return.pk}/ship/"' in page
    assert "Send the parcel back" in page
    assert f"Return #{approved_return.pk}: Approved" in page


def test_buyer_ships_the_return_back(english, approved_return):
    client = english(approved_return.buyer)
    url = f"/account/returns/{approved_return.pk}/ship/"
    page = client.get(url)
    assert page.status_code == 200
    assert title(page).startswith("Return for order ")
    assert '<label for="id_tracking_number">' in page.content.decode()

    response = client.post(url, {"carrier": "中通快递", "tracking_number": "ZT777"})

    assert response.status_code == 302
    ret = ReturnRequest.objects.get(pk=approved_return.pk)
    assert (ret.status, ret.return_carrier, ret.return_tracking) == (
        "shipped_back",
        "中通快递",
        "ZT777",
    )
    detail = client.get(response["Location"]).content.decode()
    assert f"Return #{ret.pk}: Shipped back" in detail
    assert "Sent back with 中通快递" in detail
    again = client.get(url).content.decode()
    assert 'data-testid="return-tracking">ZT777<' in again
    assert 'name="carrier"' not in again


def test_ship_back_needs_carrier_and_tracking(english, approved_return):
    client = english(approved_return.buyer)
    response = client.post(
        f"/account/returns/{approved_return.pk}/ship/",
        {"carrier": "", "tracking_number": "x" * 65},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "This field is required." in page
    assert "Ensure this value has at most 64 characters (it has 65)." in page
    assert ReturnRequest.objects.get(pk=approved_return.pk).status == "approved"


def test_a_return_not_yet_approved_cannot_be_shipped(english, shipped):
    order, _, _ = shipped
    ret = fulfilment.request_return(
        order=order,
        buyer=order.buyer,
        lines=[(order.lines.get().pk, 1)],
        reason="坏了",
    )
    client = english(order.buyer)
    page = client.get(f"/account/returns/{ret.pk}/ship/").content.decode()
    assert 'name="carrier"' not in page
    response = client.post(
        f"/account/returns/{ret.pk}/ship/", {"carrier": "EMS", "tracking_number": "1"}
    )
    assert response.status_code == 422
    assert "A return cannot go from requested to shipped back" in (
        response.content.decode()
    )
    assert ReturnRequest.objects.get(pk=ret.pk).status == "requested"


def test_another_buyer_cannot_see_or_ship_the_return(
    english, approved_return, user_factory
):
    client = english(user_factory())
    url = f"/account/returns/{approved_return.pk}/ship/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"carrier": "X", "tracking_number": "1"}).status_code == 404
    assert ReturnRequest.objects.get(pk=approved_return.pk).status == "approved"


def test_staff_record_scans_and_the_buyer_sees_them(frozen_clock, english, shipped):
    order, seller, shipment = shipped
    client = english(seller)
    url = f"/seller/{order.shop_id}/shipments/{shipment.pk}/"
    page = client.get(f"/seller/{order.shop_id}/orders/{order.pk}/").content.decode()
    assert f'href="{url}"' in page
    assert title(client.get(url)) == "Tracking SF100 · Emporia"

    frozen_clock.advance(hours=5)
    response = client.post(
        url,
        {"status": "in_transit", "description": "到达杭州转运中心", "place": "杭州"},
    )
    assert response.status_code == 302
    frozen_clock.advance(hours=20)
    client.post(url, {"status": "delivered", "description": "已签收", "place": ""})

    assert Shipment.objects.get(pk=shipment.pk).status == "delivered"
    order.refresh_from_db()
    assert order.status == "delivered"
    scans = client.get(url).content.decode()
    assert "no more scans can be recorded" in scans
    buyer_page = english(order.buyer).get(f"/account/orders/{order.pk}/")
    timeline = buyer_page.content.decode().split('data-testid="timeline"')[1]
    timeline = timeline.split("</ol>")[0]
    kinds = [part.split('"')[0] for part in timeline.split('data-kind="')[1:]]
    assert kinds == [
        "order",  # awaiting payment
        "order",  # paid
        "tracking",  # handed to the carrier
        "order",  # shipped
        "tracking",
        "tracking",
        "order",  # delivered
    ]
    assert "Parcel: In transit" in timeline
    assert "到达杭州转运中心 · 杭州 · 顺丰速运 SF100" in timeline
    assert "Parcel: Delivered" in timeline


def test_a_blank_scan_is_refused_and_nothing_recorded(english, shipped):
    order, seller, shipment = shipped
    before = TrackingEvent.objects.count()
    response = english(seller).post(
        f"/seller/{order.shop_id}/shipments/{shipment.pk}/",
        {"status": "teleported", "description": "  "},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Select a valid choice. teleported is not one of the available choices." in (
        page
    )
    assert TrackingEvent.objects.count() == before


def test_another_shop_cannot_record_scans(english, shipped, shop_factory, user_factory):
    order, _, shipment = shipped
    stranger = user_factory()
    other = shop_factory(owner=stranger)
    client = english(stranger)
    before = TrackingEvent.objects.count()
    for shop_id in (order.shop_id, other.pk):
        url = f"/seller/{shop_id}/shipments/{shipment.pk}/"
        assert client.get(url).status_code == 404
        response = client.post(url, {"status": "delivered", "description": "x"})
        assert response.status_code == 404
    assert TrackingEvent.objects.count() == before
    assert Shipment.objects.get(pk=shipment.pk).status == "shipped"
