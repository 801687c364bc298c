"""Guaranteed trade: escrow held until receipt, the buyer's one extension,
auto-release by the clock, and withholding while a dispute is open."""

import datetime as dt

import pytest
from django.utils import translation

from emporia.core.orders import services as orders
from emporia.core.orders.models import Order
from emporia.infra.jobs.services import run_job
from emporia.kernel.errors import Conflict, NotFound
from emporia.modes.c2c.models import EscrowExtension
from emporia.modes.c2c.services import disputes, escrow

from .trust_helpers import balances, ship

pytestmark = pytest.mark.django_db


HELD = {"escrow": 10000, "payable": 0, "commission": 0, "clearing": 10000}
RELEASED = {"escrow": 0, "payable": 9500, "commission": 500, "clearing": 10000}


def test_payment_is_held_in_escrow_until_the_buyer_confirms(delivered_order):
    order = delivered_order("100.00")
    assert balances(order.shop_id) == HELD
    orders.confirm_receipt(order=order, buyer=order.buyer)
    assert balances(order.shop_id) == RELEASED


def test_escrow_is_released_automatically_ten_days_after_delivery(
    frozen_clock, delivered_order
):
    order = delivered_order("100.00")
    frozen_clock.advance(days=9, hours=23)
    assert run_job("orders.auto_complete") == 0
    assert balances(order.shop_id) == HELD
    frozen_clock.advance(hours=1)
    assert run_job("orders.auto_complete") == 1
    assert balances(order.shop_id) == RELEASED


def test_the_buyer_extends_the_release_once_by_five_days(frozen_clock, delivered_order):
    # given a delivered order due for release in 10 days
    order = delivered_order("100.00")
    due = order.auto_complete_at
    # when the buyer extends
    extension = escrow.extend_release(order=order, buyer=order.buyer)
    # then the deadline moved exactly five days and the history says who
    order.refresh_from_db()
    assert order.auto_complete_at == due + dt.timedelta(days=5)
    assert extension.new_release_at == order.auto_complete_at
    assert order.history.last().reason == (
        "Buyer extended the automatic confirmation by 5 days"
    )
    # and a second extension is refused, changing nothing
    with translation.override("en"), pytest.raises(Conflict, match="once"):
        escrow.extend_release(order=order, buyer=order.buyer)
    order.refresh_from_db()
    assert order.auto_complete_at == due + dt.timedelta(days=5)
    # the old deadline passes: nothing; the new one: released
    frozen_clock.advance(days=10, minutes=1)
    assert run_job("orders.auto_complete") == 0
    assert balances(order.shop_id) == HELD
    frozen_clock.advance(days=5)
    assert run_job("orders.auto_complete") == 1
    assert balances(order.shop_id) == RELEASED


def test_the_extension_days_are_configurable(settings, delivered_order):
    settings.EMPORIA = {**settings.EMPORIA, "C2C_EXTENSION_DAYS": 3}
    order = delivered_order()
    due = order.auto_complete_at
    escrow.extend_release(order=order, buyer=order.buyer)
    order.refresh_from_db()
    assert order.auto_complete_at == due + dt.timedelta(days=3)


def test_someone_else_cannot_extend(user, delivered_order):
    order = delivered_order()
    with pytest.raises(NotFound):
        escrow.extend_release(order=order, buyer=user)
    assert EscrowExtension.objects.count() == 0


def test_an_order_not_delivered_cannot_be_extended(c2c_order):
    order = c2c_order()
    ship(order)
    with translation.override("en"), pytest.raises(Conflict, match="delivered"):
        escrow.extend_release(order=order, buyer=order.buyer)
    assert EscrowExtension.objects.count() == 0


def test_auto_complete_keeps_a_disputed_order_in_escrow(frozen_clock, delivered_order):
    # given a delivered order with an open dispute
    order = delivered_order("100.00")
    disputes.open_dispute(
        order=order, buyer=order.buyer, reason="not_as_described", text="Torn"
    )
    # when the confirmation window passes
    frozen_clock.advance(days=11)
    run_job("orders.auto_complete")
    # then the order completes but its money stays in escrow
    order.refresh_from_db()
    assert order.status == "completed"
    assert order.settled_at is None
    assert balances(order.shop_id) == HELD


def test_confirming_receipt_during_a_dispute_keeps_the_money_held(delivered_order):
    order = delivered_order("100.00")
    disputes.open_dispute(
        order=order, buyer=order.buyer, reason="not_as_described", text="Torn"
    )
    orders.confirm_receipt(order=order, buyer=order.buyer)
    assert Order.objects.get(pk=order.pk).settled_at is None
    assert balances(order.shop_id) == HELD
