"""Holds that modules set: stock stays reserved while an unpaid order is held,
and the payment clock restarts when the hold ends."""

import datetime as dt

import pytest

from emporia.core.inventory.models import Reservation, StockItem
from emporia.core.orders import services
from emporia.infra.jobs.services import run_job

pytestmark = pytest.mark.django_db


def test_an_order_held_before_payment_keeps_its_stock_past_the_deadline(
    place, frozen_clock
):
    order, _ = place(price="100.00", quantity=2, stock=2)
    services.hold_order(order=order, reason="approval_pending")
    frozen_clock.advance(days=3)
    run_job("inventory.expire_reservations")
    run_job("orders.cancel_unpaid")
    order.refresh_from_db()
    assert (order.status, order.hold_reason) == ("on_hold", "approval_pending")
    assert StockItem.objects.get(sku_id=order.lines.get().sku_id).reserved == 2


def test_releasing_the_hold_restarts_the_payment_clock(place, frozen_clock):
    order, _ = place(price="100.00", quantity=1)
    services.hold_order(order=order, reason="approval_pending")
    frozen_clock.advance(days=1)
    services.release_hold(order=order, reason="Approved by the finance department")
    order.refresh_from_db()
    assert order.status == "awaiting_payment"
    assert order.pay_by == frozen_clock.current + dt.timedelta(minutes=30)
    assert Reservation.objects.get(ref=f"order:{order.pk}").expires_at == order.pay_by
    frozen_clock.advance(minutes=31)
    run_job("orders.cancel_unpaid")
    order.refresh_from_db()
    assert order.status == "cancelled"
    assert StockItem.objects.get(sku_id=order.lines.get().sku_id).reserved == 0


def test_a_hold_after_payment_returns_to_paid_when_released(paid_order):
    order = paid_order(price="100.00")
    services.hold_order(order=order, reason="in_production")
    services.release_hold(order=order)
    order.refresh_from_db()
    assert order.status == "paid"
    assert [h.to_status for h in order.history.all()] == [
        "awaiting_payment",
        "paid",
        "on_hold",
        "paid",
    ]
