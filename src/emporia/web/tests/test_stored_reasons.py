"""Reasons stored with a change are kept in English and shown on Chinese
pages in Chinese (``emporia.infra.reasons``); what a person typed is shown
as typed."""

from __future__ import annotations

import pytest

from emporia.core.fulfilment import services as fulfilment
from emporia.core.fulfilment.models import ReturnStatusChange
from emporia.core.inventory import services as inventory
from emporia.core.inventory.models import StockMovement
from emporia.core.orders import services as orders
from emporia.core.orders.models import OrderStatusChange

pytestmark = pytest.mark.django_db


def chinese(client, url: str) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    return response.content.decode()


def test_an_order_cancelled_for_non_payment_shows_the_reason_in_chinese(
    frozen_clock, place, client_as
):
    order, _payment = place("19.90")
    frozen_clock.advance(hours=2)
    assert orders.cancel_overdue_unpaid() == 1

    page = chinese(client_as(order.buyer), f"/account/orders/{order.pk}/")

    assert "超时未支付" in page
    assert "Not paid in time" not in page
    assert "买家已下单" in page
    # stored as written: English, whatever the reader's language
    assert list(
        OrderStatusChange.objects.filter(order=order).values_list("reason", flat=True)
    ) == ["Order placed", "Not paid in time"]


def test_the_same_order_page_in_english_shows_the_stored_text(
    frozen_clock, place, english
):
    order, _payment = place("19.90")
    frozen_clock.advance(hours=2)
    orders.cancel_overdue_unpaid()

    page = english(order.buyer).get(f"/account/orders/{order.pk}/").content.decode()

    assert "Not paid in time" in page
    assert "超时未支付" not in page


@pytest.fixture
def returned(paid_order, seller_of):
    """A delivered order whose buyer sent one unit back, typing the reason in
    English; the shop approved it and received the parcel (so refunded)."""
    order = paid_order("50.00", quantity=2)
    seller = seller_of(order.shop)
    fulfilment.ship_order(
        order=order, by=seller, carrier="顺丰速运", tracking_number="SF 100"
    )
    order.refresh_from_db()
    ret = fulfilment.request_return(
        order=order,
        buyer=order.buyer,
        lines=[(order.lines.get().pk, 1)],
        reason="The lid was cracked",
    )
    fulfilment.approve_return(request=ret, by=seller)
    fulfilment.ship_return(
        request=ret, by=order.buyer, carrier="中通快递", tracking_number="ZT777"
    )
    fulfilment.receive_return(request=ret, by=seller)
    return ret


def test_a_return_timeline_shows_the_shops_steps_in_chinese_and_the_buyers_words_as_typed(
    client_as, returned
):
    page = chinese(client_as(returned.buyer), f"/account/returns/{returned.pk}/ship/")

    assert "商家已同意退货" in page
    assert "买家已通过 中通快递 寄回" in page
    assert "商家已收到退货包裹" in page
    assert "The lid was cracked" in page
    for english in ("Approved by the shop", "Sent back with", "Parcel received"):
        assert english not in page
    assert list(
        ReturnStatusChange.objects.filter(request=returned).values_list(
            "reason", flat=True
        )
    ) == [
        "The lid was cracked",
        "Approved by the shop",
        "Sent back with 中通快递",
        "Parcel received by the shop",
        "Refunded",
    ]


def test_the_order_timeline_reads_shipping_and_refund_reasons_in_chinese(
    client_as, returned
):
    order = returned.order

    page = chinese(client_as(order.buyer), f"/account/orders/{order.pk}/")

    assert "包裹已交给 顺丰速运" in page
    assert "商家已发货：顺丰速运 SF 100" in page
    assert f"退货 #{returned.pk}：The lid was cracked" in page
    assert OrderStatusChange.objects.filter(
        order=order, reason=f"Return #{returned.pk}: The lid was cracked"
    ).exists()


def test_the_stock_movement_page_reads_system_reasons_in_chinese(client_as, teapot):
    client = client_as(teapot.seller)
    item = teapot.small.stock.get()
    client.post(
        f"/seller/{teapot.shop_id}/products/{teapot.pk}/",
        {
            "action": "stock",
            "sku_id": teapot.big.pk,
            "location_id": item.location_id,
            "quantity": 5,
        },
    )
    inventory.receive_stock(stock_item=item, quantity=3, actor=teapot.seller)
    for typed in ("盘点少了一盒", "Counted again"):
        inventory.adjust_stock(stock_item=item, delta=-1, reason=typed)

    page = chinese(client, f"/seller/{teapot.shop_id}/stock/{item.pk}/")
    big = teapot.big.stock.get()
    big_page = chinese(client, f"/seller/{teapot.shop_id}/stock/{big.pk}/")

    assert "Goods received" not in page
    assert "盘点少了一盒" in page
    assert "Counted again" in page
    assert "通过卖家中心入库" in big_page
    assert "Received through the seller center" not in big_page
    assert sorted(
        StockMovement.objects.filter(stock_item__in=[item, big]).values_list(
            "reason", flat=True
        )
    ) == sorted(
        [
            "test stock",
            "Goods received",
            "盘点少了一盒",
            "Counted again",
            "Received through the seller center",
        ]
    )


def test_the_sellers_ledger_lines_read_their_memos_in_chinese(
    client_as, paid_order, seller_of
):
    order = paid_order("25.00")

    page = chinese(client_as(seller_of(order.shop)), f"/seller/{order.shop_id}/money/")

    assert f"订单 {order.number} 付款" in page
    assert f"Payment for order {order.number}" not in page
