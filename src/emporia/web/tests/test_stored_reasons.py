"""Reasons stored with a change are kept in English and shown on Chinese
pages in Chinese (``emporia.infra.reasons``); what a person typed is shown
as typed."""

from __future__ import annotations

import pytest

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
