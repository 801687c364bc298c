"""The C2C trust pages through the Django test client: open a shop, the
order panel, disputes for buyer, seller and operator, money, pickup."""

import io
import re

import pytest
from django.test import Client
from PIL import Image

from emporia.core.accounts.models import Shop
from emporia.core.fulfilment import services as fulfilment
from emporia.modes.c2c.models import Dispute, PickupBooking

from .trust_helpers import balances, make_id_number

pytestmark = pytest.mark.django_db


def client_as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def title(response) -> str:
    match = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)
    return match.group(1).strip() if match else ""


def jpeg():
    buf = io.BytesIO()
    Image.new("RGB", (5, 5), "green").save(buf, format="JPEG")
    buf.name = "crack.jpg"
    buf.seek(0)
    return buf


def test_open_an_individual_shop_page(user):
    client = client_as(user)
    page = client.get("/seller/open/individual/")
    assert page.status_code == 200
    assert title(page) == "开个人店铺 · Emporia"
    bad = client.post(
        "/seller/open/individual/",
        {
            "shop_name": "Knits",
            "real_name": "王芳",
            "id_number": "11010519491231002" + "1",
            "mobile": "13800001111",
        },
    )
    assert bad.status_code == 422
    assert Shop.objects.count() == 0
    ok = client.post(
        "/seller/open/individual/",
        {
            "shop_name": "Knits",
            "real_name": "王芳",
            "id_number": make_id_number(77),
            "mobile": "13800001111",
        },
    )
    assert ok.status_code == 302
    assert Shop.objects.get().kind == "individual"


def test_buyer_seller_operator_dispute_pages(operator, user, delivered_order):
    order = delivered_order("100.00")
    buyer = client_as(order.buyer)
    page = buyer.get(f"/account/orders/{order.pk}/")
    assert 'data-testid="open-dispute"' in page.content.decode()
    assert 'data-testid="extend-release"' in page.content.decode()
    # a stranger cannot open the dispute page of this order
    assert (
        client_as(user).get(f"/account/orders/{order.pk}/dispute/").status_code == 404
    )
    resp = buyer.post(
        f"/account/orders/{order.pk}/dispute/",
        {"reason": "not_as_described", "text": "Cracked", "image": jpeg()},
    )
    assert resp.status_code == 302, resp.content
    dispute = Dispute.objects.get()
    detail = buyer.get(resp["Location"])
    assert detail.status_code == 200
    evidence_id = dispute.evidence.get().pk
    assert buyer.get(f"/c2c/evidence/{evidence_id}/image").status_code == 200
    assert client_as(user).get(f"/c2c/evidence/{evidence_id}/image").status_code == 404
    assert client_as(user).get(f"/account/disputes/{dispute.pk}/").status_code == 404
    # the seller answers from the seller center
    seller = client_as(order.shop.members.get().user)
    listing = seller.get(f"/seller/{order.shop_id}/disputes/")
    assert listing.content.decode().count('data-testid="dispute-row"') == 1
    resp = seller.post(
        f"/seller/{order.shop_id}/disputes/{dispute.pk}/", {"text": "Packed well"}
    )
    assert resp.status_code == 302
    assert Dispute.objects.get().status == "answered"
    # only operators see the queue; a partial refund without amount is a 422
    assert client_as(user).get("/ops/disputes/").status_code == 404
    ops = client_as(operator)
    assert ops.get("/ops/disputes/").content.decode().count("dispute-row") == 1
    bad = ops.post(
        f"/ops/disputes/{dispute.pk}/", {"outcome": "refund_partial", "note": "x"}
    )
    assert bad.status_code == 422
    assert Dispute.objects.get().status == "answered"
    ok = ops.post(
        f"/ops/disputes/{dispute.pk}/",
        {"outcome": "refund_partial", "refund": "30.00", "note": "Minor damage"},
    )
    assert ok.status_code == 302
    assert balances(order.shop_id)["payable"] == 6650
    money = seller.get(f"/seller/{order.shop_id}/money/").content.decode()
    assert 'data-testid="in-disputes"' in money
    assert "66.50" in money


def test_extend_from_the_order_page(delivered_order):
    order = delivered_order()
    buyer = client_as(order.buyer)
    assert buyer.post(f"/account/orders/{order.pk}/extend-release/").status_code == 302
    again = buyer.post(f"/account/orders/{order.pk}/extend-release/")
    assert again.status_code == 409


def test_pickup_page_books_and_cancels(frozen_clock, user, delivered_order):
    order = delivered_order()
    request = fulfilment.request_return(
        order=order, buyer=order.buyer, lines=[(order.lines.get().pk, 1)], reason="x"
    )
    fulfilment.approve_return(request=request, by=order.shop.members.get().user)
    buyer = client_as(order.buyer)
    assert (
        'data-testid="pickup-link"'
        in buyer.get(f"/account/orders/{order.pk}/").content.decode()
    )
    assert (
        client_as(user).get(f"/account/returns/{request.pk}/pickup/").status_code == 404
    )
    page = buyer.get(f"/account/returns/{request.pk}/pickup/")
    select = page.content.decode().split('name="starts_at"', 1)[1]
    first = re.search(r'<option value="([^"]+)"', select).group(1)
    resp = buyer.post(f"/account/returns/{request.pk}/pickup/", {"starts_at": first})
    assert resp.status_code == 302, re.findall(
        r"errorlist[^>]*>(.*?)</ul>", resp.content.decode(), re.S
    )
    booking = PickupBooking.objects.get()
    assert booking.status == "confirmed"
    assert (
        client_as(user).post(f"/account/pickups/{booking.pk}/cancel/").status_code
        == 404
    )
    assert buyer.post(f"/account/pickups/{booking.pk}/cancel/").status_code == 302
    assert PickupBooking.objects.get().status == "cancelled"
