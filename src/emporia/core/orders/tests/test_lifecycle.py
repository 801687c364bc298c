"""An order's whole life through the API, with the money checked in the ledger."""

import pytest

from emporia.core.inventory.models import StockItem
from emporia.core.ledger import selectors as ledger
from emporia.core.orders.models import Order
from emporia.infra.jobs.services import run_job

pytestmark = pytest.mark.django_db


def balances(order):
    s = order.shop_id
    return {
        "escrow": ledger.balance(f"shop:{s}:escrow:CNY").minor,
        "payable": ledger.balance(f"shop:{s}:payable:CNY").minor,
        "commission": ledger.balance("platform:commission:CNY").minor,
        "clearing": ledger.balance("platform:psp_clearing:CNY").minor,
    }


def ship_and_deliver(order, api_as):
    seller = api_as(order.shop.members.get().user)
    resp = seller.post(
        f"fulfilment/orders/{order.pk}/shipments",
        {"carrier": "SF Express", "tracking_number": f"SF{order.pk:010d}"},
    )
    assert resp.status_code == 201, resp.content
    shipment_id = resp.json()["id"]
    resp = seller.post(
        f"fulfilment/shipments/{shipment_id}/tracking",
        {"status": "delivered", "description": "Signed for at the door"},
    )
    assert resp.status_code == 201, resp.content
    order.refresh_from_db()
    return order


def test_confirming_receipt_releases_escrow_minus_commission(paid_order, api_as):
    order = ship_and_deliver(paid_order(price="100.00"), api_as)
    assert order.status == "delivered"
    resp = api_as(order.buyer).post(f"orders/{order.pk}/confirm-receipt")
    assert resp.status_code == 200
    assert resp.json()["status"] == "completed"
    assert balances(order) == {
        "escrow": 0,
        "payable": 9500,
        "commission": 500,
        "clearing": 10000,
    }
    statuses = [h["to_status"] for h in resp.json()["history"]]
    assert statuses == ["awaiting_payment", "paid", "shipped", "delivered", "completed"]


def test_receipt_is_confirmed_automatically_after_ten_days(
    paid_order, api_as, frozen_clock
):
    order = ship_and_deliver(paid_order(price="100.00"), api_as)
    frozen_clock.advance(days=9, hours=23)
    assert run_job("orders.auto_complete") == 0
    frozen_clock.advance(hours=2)
    assert run_job("orders.auto_complete") == 1
    order.refresh_from_db()
    assert order.status == "completed"
    assert order.history.last().actor_kind == "system"
    assert balances(order)["payable"] == 9500


def test_a_paid_order_cancelled_before_shipping_is_refunded_and_restocked(
    paid_order, api_as
):
    order = paid_order(price="40.00", quantity=2, stock=5)
    resp = api_as(order.buyer).post(
        f"orders/{order.pk}/cancel", {"reason": "Changed my mind"}
    )
    assert resp.status_code == 200
    assert resp.json()["status"] == "refunded"
    assert balances(order) == {
        "escrow": 0,
        "payable": 0,
        "commission": 0,
        "clearing": 0,
    }
    item = StockItem.objects.get(sku_id=order.lines.get().sku_id)
    assert (item.on_hand, item.reserved) == (5, 0)


def test_a_return_restocks_and_refunds_its_share(paid_order, api_as):
    order = ship_and_deliver(paid_order(price="30.00", quantity=3, stock=3), api_as)
    buyer, seller = api_as(order.buyer), api_as(order.shop.members.get().user)
    line = order.lines.get()
    resp = buyer.post(
        f"fulfilment/orders/{order.pk}/returns",
        {
            "lines": [{"order_line_id": line.pk, "quantity": 1}],
            "reason": "Wrong colour",
        },
    )
    assert resp.status_code == 201, resp.content
    rid = resp.json()["id"]
    assert resp.json()["refund"]["minor"] == 3000
    assert (
        seller.post(
            f"fulfilment/returns/{rid}/decision", {"decision": "approve"}
        ).status_code
        == 200
    )
    assert (
        buyer.post(
            f"fulfilment/returns/{rid}/ship-back",
            {"carrier": "YTO", "tracking_number": "YT1"},
        ).status_code
        == 200
    )
    resp = seller.post(f"fulfilment/returns/{rid}/decision", {"decision": "receive"})
    assert resp.json()["status"] == "refunded"
    order.refresh_from_db()
    assert order.status == "partially_refunded"
    assert balances(order)["escrow"] == 6800  # 90.00 + 8.00 shipping − 30.00
    item = StockItem.objects.get(sku_id=line.sku_id)
    assert item.on_hand == 1
    assert sum(item.movements.values_list("delta", flat=True)) == 1


def test_strangers_cannot_see_or_move_an_order(
    paid_order, api_as, user_factory, shop_factory
):
    order = paid_order()
    stranger = api_as(user_factory())
    other_seller = api_as(shop_factory().members.get().user)
    for api in (stranger, other_seller):
        assert api.get(f"orders/{order.pk}").status_code == 404
        assert api.post(f"orders/{order.pk}/cancel", {}).status_code == 404
        assert api.post(f"orders/{order.pk}/confirm-receipt").status_code == 404
        assert (
            api.post(
                f"fulfilment/orders/{order.pk}/shipments",
                {"carrier": "SF", "tracking_number": "X"},
            ).status_code
            == 404
        )
    buyer = api_as(order.buyer)
    assert (
        buyer.post(
            f"fulfilment/orders/{order.pk}/shipments",
            {"carrier": "SF", "tracking_number": "X"},
        ).status_code
        == 404
    )
    assert other_seller.get(f"orders/shops/{order.shop_id}/orders").status_code == 404
    assert Order.objects.get(pk=order.pk).status == "paid"


def test_confirming_an_unshipped_order_is_a_clear_conflict(paid_order, api_as):
    order = paid_order()
    resp = api_as(order.buyer).post(f"orders/{order.pk}/confirm-receipt")
    assert resp.status_code == 409
    assert "once it has shipped" in resp.json()["error"]["message"]
    assert Order.objects.get(pk=order.pk).status == "paid"


def test_refusals_are_worded_in_the_requests_language(paid_order, api_as):
    order = paid_order()
    path = f"orders/{order.pk}/confirm-receipt"
    chinese = api_as(order.buyer, language="zh-hans").post(path)
    assert chinese.status_code == 409
    assert chinese.json()["error"]["message"] == (
        f"订单 {order.number} 当前为“已付款”，发货后才能确认收货"
    )
    english = api_as(order.buyer).post(path)
    assert english.json()["error"]["message"] == (
        f"Order {order.number} is paid; receipt can be confirmed once it has shipped"
    )
    after = Order.objects.get(pk=order.pk)
    assert (after.status, after.completed_at) == ("paid", None)
    assert balances(after)["payable"] == 0
