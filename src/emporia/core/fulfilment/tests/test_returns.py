"""Returns through the API: the window, quantities, who may decide, and a
refund that happens once."""

import datetime as dt

import pytest

from emporia.core.fulfilment.models import ReturnRequest, ReturnStatusChange
from emporia.core.inventory.models import StockItem
from emporia.core.ledger import selectors as ledger
from emporia.core.ledger.models import JournalEntry
from emporia.core.orders.models import Order
from emporia.core.payments import services as payments
from emporia.core.payments.models import Refund
from emporia.kernel.money import Money

pytestmark = pytest.mark.django_db


def seller_of(order, api_as):
    return api_as(order.shop.members.get().user)


@pytest.fixture
def delivered(paid_order, api_as):
    """``delivered(price, quantity)`` → an order shipped and delivered now."""

    def make(price="30.00", quantity=3):
        order = paid_order(price=price, quantity=quantity, stock=quantity)
        seller = seller_of(order, api_as)
        resp = seller.post(
            f"fulfilment/orders/{order.pk}/shipments",
            {"carrier": "SF Express", "tracking_number": f"SF{order.pk}"},
        )
        seller.post(
            f"fulfilment/shipments/{resp.json()['id']}/tracking",
            {"status": "delivered", "description": "Signed for"},
        )
        order.refresh_from_db()
        assert order.status == "delivered"
        return order

    return make


def ask(api, order, quantity, reason="Wrong colour"):
    line = order.lines.get()
    return api.post(
        f"fulfilment/orders/{order.pk}/returns",
        {"lines": [{"order_line_id": line.pk, "quantity": quantity}], "reason": reason},
    )


def decide(api, rid, decision, reason=""):
    return api.post(
        f"fulfilment/returns/{rid}/decision", {"decision": decision, "reason": reason}
    )


def escrow(order):
    return ledger.balance(f"shop:{order.shop_id}:escrow:CNY").minor


def money_state(order):
    return (
        Refund.objects.count(),
        JournalEntry.objects.count(),
        escrow(order),
        Order.objects.get(pk=order.pk).status,
    )


def test_a_return_request_is_priced_at_its_share(delivered, api_as):
    order = delivered("30.00", quantity=3)
    resp = ask(api_as(order.buyer), order, 2)
    assert resp.status_code == 201, resp.content
    body = resp.json()
    assert body["status"] == "requested"
    assert body["order_id"] == order.pk
    assert body["refund"] == {"minor": 6000, "currency": "CNY", "amount": "60.00"}
    mine = api_as(order.buyer).get("fulfilment/returns").json()
    assert [r["id"] for r in mine] == [body["id"]]


def test_returning_more_than_bought_is_refused(delivered, api_as):
    order = delivered(quantity=3)
    resp = ask(api_as(order.buyer), order, 4)
    assert resp.status_code == 422
    assert "Only 3" in resp.json()["error"]["message"]
    assert ReturnRequest.objects.count() == 0


def test_open_returns_count_against_what_is_left(delivered, api_as):
    order = delivered(quantity=3)
    buyer = api_as(order.buyer)
    assert ask(buyer, order, 2).status_code == 201
    resp = ask(buyer, order, 2)
    assert resp.status_code == 422
    assert "Only 1" in resp.json()["error"]["message"]
    assert ReturnRequest.objects.count() == 1


def test_a_return_after_the_window_is_refused(delivered, api_as, frozen_clock):
    order = delivered()
    frozen_clock.advance(days=7)
    assert ask(api_as(order.buyer), order, 1).status_code == 201
    frozen_clock.advance(days=1)
    resp = ask(api_as(order.buyer), order, 1)
    assert resp.status_code == 409
    assert "7-day return window" in resp.json()["error"]["message"]
    assert ReturnRequest.objects.count() == 1


def test_a_late_return_is_refused_in_the_requests_language(
    delivered, api_as, frozen_clock
):
    order = delivered()
    frozen_clock.advance(days=8)
    resp = ask(api_as(order.buyer, language="zh-hans"), order, 1)
    assert resp.status_code == 409
    assert resp.json()["error"]["message"] == "该订单已超过 7 天退货期限"
    assert ReturnRequest.objects.count() == 0
    assert Order.objects.get(pk=order.pk).status == "delivered"


def test_a_return_that_cannot_move_so_is_refused_in_chinese(delivered, api_as):
    order = delivered()
    rid = ask(api_as(order.buyer), order, 1).json()["id"]
    resp = api_as(order.buyer, language="zh-hans").post(
        f"fulfilment/returns/{rid}/ship-back",
        {"carrier": "EMS", "tracking_number": "EMS1"},
    )
    assert resp.status_code == 409
    assert resp.json()["error"]["message"] == "退货申请无法从“已申请”变为“已寄回”"
    assert ReturnRequest.objects.get(pk=rid).status == "requested"
    assert ReturnStatusChange.objects.filter(request_id=rid).count() == 1


def test_a_return_of_an_unshipped_order_is_refused(paid_order, api_as):
    order = paid_order()
    resp = ask(api_as(order.buyer), order, 1)
    assert resp.status_code == 409
    assert ReturnRequest.objects.count() == 0


def test_a_return_needs_a_reason(delivered, api_as):
    order = delivered()
    resp = ask(api_as(order.buyer), order, 1, reason="   ")
    assert resp.status_code == 422
    assert resp.json()["error"]["details"]["field"] == "reason"
    assert ReturnRequest.objects.count() == 0


def test_rejecting_needs_a_reason(delivered, api_as):
    order = delivered()
    rid = ask(api_as(order.buyer), order, 1).json()["id"]
    seller = seller_of(order, api_as)
    resp = decide(seller, rid, "reject")
    assert resp.status_code == 422
    assert resp.json()["error"]["details"]["field"] == "reason"
    assert ReturnRequest.objects.get().status == "requested"
    assert ReturnStatusChange.objects.count() == 1
    resp = decide(seller, rid, "reject", reason="Used and washed")
    assert resp.status_code == 200
    assert resp.json()["status"] == "rejected"
    assert ReturnStatusChange.objects.last().reason == "Used and washed"


def test_the_buyer_cannot_decide_their_own_return(delivered, api_as):
    order = delivered()
    buyer = api_as(order.buyer)
    rid = ask(buyer, order, 1).json()["id"]
    for decision in ("approve", "receive"):
        assert decide(buyer, rid, decision).status_code == 404
    assert ReturnRequest.objects.get().status == "requested"
    assert Refund.objects.count() == 0


def test_strangers_cannot_see_or_touch_a_return(
    delivered, api_as, user_factory, shop_factory
):
    order = delivered()
    rid = ask(api_as(order.buyer), order, 1).json()["id"]
    stranger = api_as(user_factory())
    other_seller = api_as(shop_factory().members.get().user)
    seller = seller_of(order, api_as)
    for api in (stranger, other_seller):
        assert decide(api, rid, "approve").status_code == 404
        assert api.post(f"fulfilment/returns/{rid}/cancel").status_code == 404
        assert api.get("fulfilment/returns").json() == []
        assert ask(api, order, 1).status_code == 404
    assert other_seller.get(
        f"fulfilment/shops/{order.shop_id}/returns"
    ).status_code == (404)
    # The shop cannot act as the buyer.
    assert seller.post(f"fulfilment/returns/{rid}/cancel").status_code == 404
    assert (
        seller.post(
            f"fulfilment/returns/{rid}/ship-back",
            {"carrier": "YTO", "tracking_number": "YT1"},
        ).status_code
        == 404
    )
    assert api_as().post(f"fulfilment/returns/{rid}/cancel").status_code == 401
    assert api_as().get("fulfilment/returns").status_code == 401
    assert ReturnRequest.objects.get().status == "requested"
    assert ReturnRequest.objects.count() == 1
    listed = seller.get(f"fulfilment/shops/{order.shop_id}/returns").json()
    assert [r["id"] for r in listed] == [rid]


def test_a_cancelled_return_frees_the_quantity(delivered, api_as):
    order = delivered(quantity=3)
    buyer = api_as(order.buyer)
    rid = ask(buyer, order, 3).json()["id"]
    assert ask(buyer, order, 1).status_code == 422
    resp = buyer.post(f"fulfilment/returns/{rid}/cancel")
    assert resp.status_code == 200
    assert resp.json()["status"] == "cancelled"
    assert buyer.post(f"fulfilment/returns/{rid}/cancel").status_code == 409
    resp = ask(buyer, order, 3)
    assert resp.status_code == 201
    assert resp.json()["refund"]["minor"] == 9000


def test_a_rejected_return_frees_the_quantity(delivered, api_as):
    order = delivered(quantity=1)
    buyer = api_as(order.buyer)
    rid = ask(buyer, order, 1).json()["id"]
    decide(seller_of(order, api_as), rid, "reject", reason="No")
    assert ask(buyer, order, 1).status_code == 201


def test_receiving_a_return_refunds_and_restocks_once(delivered, api_as):
    order = delivered("30.00", quantity=3)
    buyer, seller = api_as(order.buyer), seller_of(order, api_as)
    rid = ask(buyer, order, 1).json()["id"]
    assert decide(seller, rid, "approve").json()["status"] == "approved"
    resp = buyer.post(
        f"fulfilment/returns/{rid}/ship-back",
        {"carrier": "YTO", "tracking_number": "YT1"},
    )
    assert resp.json()["status"] == "shipped_back"
    assert resp.json()["return_tracking"] == "YT1"
    resp = decide(seller, rid, "receive")
    assert resp.status_code == 200
    assert resp.json()["status"] == "refunded"
    assert Refund.objects.get().amount_minor == 3000
    before = money_state(order)
    assert before == (1, before[1], 6800, "partially_refunded")
    item = StockItem.objects.get(sku_id=order.lines.get().sku_id)
    resp = decide(seller, rid, "receive")
    assert resp.status_code == 409
    assert money_state(order) == before
    item_after = StockItem.objects.get(pk=item.pk)
    assert item_after.on_hand == item.on_hand == 1
    assert [h.to_status for h in ReturnRequest.objects.get().history.all()] == [
        "requested",
        "approved",
        "shipped_back",
        "received",
        "refunded",
    ]


def test_a_requested_return_cannot_be_received(delivered, api_as):
    order = delivered()
    rid = ask(api_as(order.buyer), order, 1).json()["id"]
    before = money_state(order)
    resp = decide(seller_of(order, api_as), rid, "receive")
    assert resp.status_code == 409
    assert money_state(order) == before
    assert ReturnRequest.objects.get().status == "requested"


def test_returned_units_cannot_be_returned_again(delivered, api_as):
    order = delivered(quantity=1)
    buyer, seller = api_as(order.buyer), seller_of(order, api_as)
    rid = ask(buyer, order, 1).json()["id"]
    decide(seller, rid, "approve")
    decide(seller, rid, "receive")
    assert Order.objects.get(pk=order.pk).status == "partially_refunded"
    before = money_state(order)
    resp = ask(buyer, order, 1)
    assert resp.status_code == 422
    assert ReturnRequest.objects.count() == 1
    assert money_state(order) == before


def test_a_return_refunded_in_transit_still_lets_the_order_be_delivered(
    paid_order, api_as, frozen_clock
):
    order = paid_order(price="30.00", quantity=2, stock=2)
    buyer, seller = api_as(order.buyer), seller_of(order, api_as)
    sid = seller.post(
        f"fulfilment/orders/{order.pk}/shipments",
        {"carrier": "SF Express", "tracking_number": "SF1"},
    ).json()["id"]
    rid = ask(buyer, order, 1).json()["id"]
    decide(seller, rid, "approve")
    decide(seller, rid, "receive")
    assert Order.objects.get(pk=order.pk).status == "partially_refunded"
    frozen_clock.advance(days=2)
    resp = seller.post(
        f"fulfilment/shipments/{sid}/tracking",
        {"status": "delivered", "description": "Signed for"},
    )
    assert resp.status_code == 201
    order.refresh_from_db()
    assert order.status == "delivered"
    assert order.delivered_at == frozen_clock()
    assert order.auto_complete_at == frozen_clock() + dt.timedelta(days=10)
    resp = buyer.post(f"orders/{order.pk}/confirm-receipt")
    assert resp.json()["status"] == "completed"
    assert escrow(order) == 0  # 68.00 paid, 30.00 refunded, 38.00 released


def test_a_partial_refund_before_shipping_does_not_deliver_unshipped_units(
    paid_order, api_as
):
    order = paid_order(price="30.00", quantity=2, stock=2)
    payments.refund_order(
        order=order, amount=Money(800, "CNY"), reason="Shipping waived", key="k1"
    )
    assert Order.objects.get(pk=order.pk).status == "partially_refunded"
    seller = seller_of(order, api_as)
    line = order.lines.get()
    sid = seller.post(
        f"fulfilment/orders/{order.pk}/shipments",
        {
            "carrier": "SF Express",
            "tracking_number": "SF1",
            "lines": [{"order_line_id": line.pk, "quantity": 1}],
        },
    ).json()["id"]
    seller.post(
        f"fulfilment/shipments/{sid}/tracking",
        {"status": "delivered", "description": "Signed for"},
    )
    order.refresh_from_db()
    assert (order.status, order.delivered_at) == ("partially_refunded", None)
