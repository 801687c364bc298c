"""The C2C trust API: shapes, 4xx for bad input and for other users."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from emporia.core.accounts.models import Shop
from emporia.core.fulfilment import services as fulfilment
from emporia.modes.c2c.models import Dispute, EscrowExtension, PickupBooking

from .trust_helpers import balances, make_id_number

pytestmark = pytest.mark.django_db


def form_post(api, path, data):
    return api.client.post(f"/api/{path}", data, **api.headers)


def png():
    buf = io.BytesIO()
    Image.new("RGB", (3, 3), "blue").save(buf, format="PNG")
    return SimpleUploadedFile("p.png", buf.getvalue(), content_type="image/png")


def test_open_a_shop_returns_the_masked_id(api_as, user):
    number = make_id_number(42)
    resp = api_as(user).post(
        "c2c/shops",
        {
            "shop_name": "Little Loom",
            "real_name": "韩梅梅",
            "id_number": number,
            "mobile": "13700001111",
        },
    )
    assert resp.status_code == 201, resp.content
    body = resp.json()
    assert body["kind"] == "individual"
    assert body["id_number_masked"] == number[:3] + "*" * 11 + number[-4:]
    assert number not in resp.content.decode()
    tier = api_as(user).get(f"c2c/shops/{body['id']}/listing-tier").json()
    assert tier == {
        "good_orders": 0,
        "completed_orders": 0,
        "lost_disputes": 0,
        "listed": 0,
        "limit": 50,
        "next_at": 10,
        "next_limit": 200,
    }


def test_a_bad_id_number_is_a_422_naming_the_field(api_as, user):
    resp = api_as(user).post(
        "c2c/shops",
        {
            "shop_name": "X",
            "real_name": "韩梅梅",
            "id_number": "11010519491231002" + "1",
            "mobile": "13700001111",
        },
    )
    assert resp.status_code == 422
    assert resp.json()["error"]["details"]["field"] == "id_number"
    assert Shop.objects.count() == 0


def test_listing_tier_of_another_shop_is_404(api_as, user, individual_shop):
    shop = individual_shop()
    assert api_as(user).get(f"c2c/shops/{shop.pk}/listing-tier").status_code == 404


def test_dispute_journey_over_the_api(api_as, operator, user, delivered_order):
    order = delivered_order("100.00")
    buyer, seller = api_as(order.buyer), api_as(order.shop.members.get().user)
    # a stranger cannot open a dispute on the order
    resp = form_post(
        api_as(user),
        f"c2c/orders/{order.pk}/disputes",
        {"reason": "not_received", "text": "x"},
    )
    assert resp.status_code == 404
    # the buyer opens one with a photo
    resp = form_post(
        buyer,
        f"c2c/orders/{order.pk}/disputes",
        {"reason": "not_as_described", "text": "Wrong colour", "image": png()},
    )
    assert resp.status_code == 201, resp.content
    dispute = resp.json()
    assert dispute["status"] == "open"
    assert dispute["held"]["minor"] == 10000
    assert dispute["evidence"][0]["image_url"].endswith("/image")
    did = dispute["id"]
    # strangers see nothing; the buyer cannot rule
    assert api_as(user).get(f"c2c/disputes/{did}").status_code == 404
    resp = buyer.post(
        f"c2c/disputes/{did}/ruling", {"outcome": "refund_full", "note": "x"}
    )
    assert resp.status_code == 404
    # the seller answers
    resp = form_post(seller, f"c2c/disputes/{did}/answer", {"text": "It is blue"})
    assert resp.status_code == 200, resp.content
    assert resp.json()["status"] == "answered"
    # the operator's queue has it; a bad amount is a 422 changing nothing
    queue = api_as(operator).get("c2c/disputes").json()
    assert [d["id"] for d in queue] == [did]
    resp = api_as(operator).post(
        f"c2c/disputes/{did}/ruling",
        {"outcome": "refund_partial", "note": "Half", "refund_minor": 20000},
    )
    assert resp.status_code == 422
    assert Dispute.objects.get(pk=did).status == "answered"
    resp = api_as(operator).post(
        f"c2c/disputes/{did}/ruling",
        {"outcome": "refund_partial", "note": "Half", "refund_minor": 2000},
    )
    assert resp.status_code == 200, resp.content
    assert resp.json()["refund"]["minor"] == 2000
    assert balances(order.shop_id) == {
        "escrow": 0,
        "payable": 7600,
        "commission": 400,
        "clearing": 8000,
    }
    # a second ruling is a 409
    resp = api_as(operator).post(
        f"c2c/disputes/{did}/ruling", {"outcome": "release", "note": "again"}
    )
    assert resp.status_code == 409


def test_extension_over_the_api(api_as, user, delivered_order):
    order = delivered_order()
    assert api_as(user).post(f"c2c/orders/{order.pk}/extend-release").status_code == 404
    resp = api_as(order.buyer).post(f"c2c/orders/{order.pk}/extend-release")
    assert resp.status_code == 200
    assert resp.json()["days"] == 5
    again = api_as(order.buyer).post(f"c2c/orders/{order.pk}/extend-release")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "already_extended"


def test_pickup_over_the_api(api_as, user, operator, frozen_clock, delivered_order):
    order = delivered_order()
    request = fulfilment.request_return(
        order=order, buyer=order.buyer, lines=[(order.lines.get().pk, 1)], reason="x"
    )
    fulfilment.approve_return(request=request, by=order.shop.members.get().user)
    buyer = api_as(order.buyer)
    assert (
        api_as(user).get(f"c2c/returns/{request.pk}/pickup-windows").status_code == 404
    )
    windows = buyer.get(f"c2c/returns/{request.pk}/pickup-windows").json()
    first = windows[0]["starts_at"]
    assert dt.datetime.fromisoformat(first) > frozen_clock()
    resp = buyer.post(f"c2c/returns/{request.pk}/pickups", {"starts_at": first})
    assert resp.status_code == 201, resp.content
    bid = resp.json()["id"]
    resp = buyer.post(f"c2c/returns/{request.pk}/pickups", {"starts_at": "soon"})
    assert resp.status_code == 422
    assert api_as(user).post(f"c2c/pickups/{bid}/cancel").status_code == 404
    assert (
        buyer.post(f"c2c/pickups/{bid}/scans", {"status": "picked_up"}).status_code
        == 404
    )
    resp = api_as(operator).post(f"c2c/pickups/{bid}/scans", {"status": "picked_up"})
    assert resp.status_code == 200
    assert resp.json()["status"] == "picked_up"
    assert PickupBooking.objects.get().status == "picked_up"


def test_refusals_are_worded_in_the_requests_language(api_as, c2c_order):
    order = c2c_order("100.00")  # paid, not shipped yet
    body = {"reason": "not_received", "text": "Never came"}
    path = f"c2c/orders/{order.pk}/disputes"
    chinese = form_post(api_as(order.buyer, language="zh-hans"), path, body)
    assert chinese.status_code == 409
    assert chinese.json()["error"] == {
        "code": "not_disputable",
        "message": f"订单 {order.number} 当前为“已付款”：维权须在卖家发货后、"
        "货款打给卖家前申请",
    }
    english = form_post(api_as(order.buyer), path, body)
    assert english.json()["error"]["message"] == (
        f"Order {order.number} is paid: a dispute can be opened after shipping "
        "and before the money is released to the seller"
    )
    assert not Dispute.objects.exists()


def test_a_second_extension_is_refused_in_chinese(api_as, delivered_order):
    order = delivered_order()
    path = f"c2c/orders/{order.pk}/extend-release"
    assert api_as(order.buyer).post(path).status_code == 200
    order.refresh_from_db()
    extended_to = order.auto_complete_at
    again = api_as(order.buyer, language="zh-hans").post(path)
    assert again.status_code == 409
    assert again.json()["error"] == {
        "code": "already_extended",
        "message": "该订单已延长过收货，每笔订单只能延长一次",
    }
    order.refresh_from_db()
    assert order.auto_complete_at == extended_to
    assert EscrowExtension.objects.filter(order_id=order.pk).count() == 1
