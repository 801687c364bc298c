"""C2C's stored reasons on Chinese pages: a dispute's timeline, a penalty's
reason and lift, the order timeline after a ruling. Stored text stays
English; what people typed reads as typed."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from emporia.core.fulfilment import services as fulfilment
from emporia.core.orders.models import OrderStatusChange
from emporia.infra.testing.pages import page_text
from emporia.modes.c2c import reasons
from emporia.modes.c2c.governance import services as governance
from emporia.modes.c2c.models import DisputeStatusChange, Penalty, PickupBooking
from emporia.modes.c2c.services import disputes

from .governance_world import Seller, person, trade

pytestmark = pytest.mark.django_db

OLD = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


def test_a_dispute_timeline_reads_in_chinese_with_the_operators_note_as_typed(
    operator, delivered_order
):
    order = delivered_order("100.00")
    seller = order.shop.members.get().user
    dispute = disputes.open_dispute(
        order=order, buyer=order.buyer, reason="not_as_described", text="Cracked"
    )
    disputes.answer_dispute(dispute=dispute, by=seller, text="Packed well")
    disputes.rule_dispute(
        dispute=dispute, operator=operator, outcome="release", note="Photo unclear"
    )

    page = page_text(order.buyer, f"/account/disputes/{dispute.pk}/")
    order_page = page_text(order.buyer, f"/account/orders/{order.pk}/")

    assert "买家发起维权：与描述不符" in page
    assert "卖家已答复" in page
    assert "已放款给卖家：Photo unclear" in page
    assert "The seller answered" not in page
    assert f"纠纷 #{dispute.pk} 裁决：放款给卖家" in order_page
    assert list(
        DisputeStatusChange.objects.filter(dispute=dispute).values_list(
            "reason", flat=True
        )
    ) == [
        "Opened: Not as described",
        "The seller answered",
        "Released to the seller: Photo unclear",
    ]
    assert OrderStatusChange.objects.filter(
        order=order, reason=f"Dispute #{dispute.pk} ruled: Released to the seller"
    ).exists()


def test_an_automatic_penalty_and_its_lift_on_appeal_read_in_chinese(
    frozen_clock, operator
):
    seller = Seller(person("Mei", joined=OLD))
    order = trade(person("Puppet", joined=OLD), seller)
    penalty = governance.apply_penalty(
        shop_id=seller.shop.pk,
        order_ids=[order.pk],
        measures=["remove_sales", "demote"],
        reason=reasons.AUTO_PENALTY.text(score=80),
        by=None,
    )
    ops = page_text(operator, "/ops/governance/penalties/")  # lists active ones
    appeal = governance.file_appeal(
        penalty_id=penalty.pk, by=seller.owner, text="邻居借用了我的手机"
    )
    governance.rule_appeal(
        appeal_id=appeal.pk, by=operator, decision="lift", note="Believable"
    )

    page = page_text(seller.owner, f"/seller/{seller.shop.pk}/penalties/")

    assert "系统自动处罚：虚假交易评分达到 80 或以上" in page
    assert "申诉成立：Believable" in page
    assert "系统自动处罚：虚假交易评分达到 80 或以上" in ops
    assert "Automatic: fake-trade score" not in page + ops
    penalty = Penalty.objects.get()
    assert (penalty.reason, penalty.lift_reason) == (
        "Automatic: fake-trade score at or above 80",
        "Appeal granted: Believable",
    )


def test_an_operators_typed_penalty_reason_reads_as_typed(frozen_clock, operator):
    seller = Seller(person("Mei", joined=OLD))
    order = trade(person("Puppet", joined=OLD), seller)
    governance.apply_penalty(
        shop_id=seller.shop.pk,
        order_ids=[order.pk],
        measures=["demote"],
        reason="Sock puppet on the seller's phone",
        by=operator,
    )

    page = page_text(seller.owner, f"/seller/{seller.shop.pk}/penalties/")

    assert "Sock puppet on the seller&#x27;s phone" in page


def test_a_pickup_timeline_reads_in_chinese(frozen_clock, delivered_order):
    order = delivered_order()
    request = fulfilment.request_return(
        order=order, buyer=order.buyer, lines=[(order.lines.get().pk, 1)], reason="x"
    )
    fulfilment.approve_return(request=request, by=order.shop.members.get().user)
    url = f"/account/returns/{request.pk}/pickup/"
    select = page_text(order.buyer, url).split('name="starts_at"', 1)[1]
    first = re.search(r'<option value="([^"]+)"', select).group(1)
    client = Client()
    client.force_login(order.buyer)
    assert client.post(url, {"starts_at": first}).status_code == 302
    booking = PickupBooking.objects.get()
    client.post(f"/account/pickups/{booking.pk}/cancel/")

    page = page_text(order.buyer, url)

    assert "已预约 Sandbox Courier 上门取件" in page
    assert "Sandbox Courier 已确认取件" in page
    assert "买家已取消" in page
    assert list(booking.scans.values_list("description", flat=True)) == [
        "Booked with Sandbox Courier",
        "Confirmed by Sandbox Courier",
        "Cancelled by the buyer",
    ]
