"""Sandbox gateway callbacks: captured once, whatever arrives and in what order."""

import pytest

from emporia.core.inventory.models import StockItem
from emporia.core.ledger import selectors as ledger
from emporia.core.ledger.models import JournalEntry
from emporia.core.orders.models import Order
from emporia.core.payments.jobs import purge_receipts
from emporia.core.payments.models import (
    CallbackReceipt,
    Payment,
    PaymentEvent,
    Refund,
)
from emporia.infra.jobs.services import run_job

pytestmark = pytest.mark.django_db


def escrow(order):
    return ledger.balance(f"shop:{order.shop_id}:escrow:CNY").minor


def clearing():
    return ledger.balance("platform:psp_clearing:CNY").minor


def test_payment_captures_into_escrow_and_sells_the_stock(place, sandbox):
    order, payment = place(price="50.00", quantity=2)
    resp = sandbox.pay(payment)
    assert resp.status_code == 302  # the pay page sends the buyer back to the shop
    order.refresh_from_db()
    payment.refresh_from_db()
    assert (order.status, payment.status) == ("paid", "succeeded")
    assert escrow(order) == 10000
    assert clearing() == 10000
    item = StockItem.objects.get(sku_id=order.lines.get().sku_id)
    assert (item.on_hand, item.reserved) == (8, 0)
    assert sum(item.movements.values_list("delta", flat=True)) == item.on_hand


def test_a_replayed_callback_changes_nothing(place, sandbox):
    order, payment = place(price="50.00")
    sandbox.pay(payment)
    entries = JournalEntry.objects.count()
    resp = sandbox.resend_last(payment)
    assert resp.status_code == 200
    assert resp.json()["result"] == "duplicate"
    assert JournalEntry.objects.count() == entries
    assert escrow(order) == 5800  # 50.00 + 8.00 shipping
    assert (
        PaymentEvent.objects.filter(payment=payment, kind="callback_duplicate").count()
        == 1
    )


def test_receipts_go_after_30_days_and_a_retry_after_that_changes_nothing(
    place, sandbox, frozen_clock
):
    old_order, old_payment = place(price="50.00")
    sandbox.pay(old_payment)
    frozen_clock.advance(days=29)
    _, young_payment = place(price="20.00")
    sandbox.pay(young_payment)
    young_event = PaymentEvent.objects.get(payment=young_payment, kind="captured")

    frozen_clock.advance(days=2)  # the first receipt is 31 days old, the other 2
    assert purge_receipts() == 1
    assert list(CallbackReceipt.objects.values_list("event_id", flat=True)) == [
        young_event.provider_event_id
    ]
    assert purge_receipts() == 0  # a second run finds nothing more

    # The provider retries the old event after all: answered, and nothing moves
    entries = JournalEntry.objects.count()
    resp = sandbox.resend_last(old_payment)
    assert resp.status_code == 200
    assert resp.json()["result"] == "already captured"
    assert JournalEntry.objects.count() == entries
    assert escrow(old_order) == 5800
    old_order.refresh_from_db()
    old_payment.refresh_from_db()
    assert (old_order.status, old_payment.status) == ("paid", "succeeded")


def test_a_forged_callback_is_refused_and_changes_nothing(place, sandbox):
    order, payment = place(price="50.00")
    resp = sandbox.post_callback(payment, status="succeeded", secret="not-the-secret")
    assert resp.status_code == 401
    order.refresh_from_db()
    payment.refresh_from_db()
    assert (order.status, payment.status) == ("awaiting_payment", "pending")
    assert JournalEntry.objects.count() == 0


def test_a_wrong_amount_is_refused_and_logged(place, sandbox):
    order, payment = place(price="50.00")
    resp = sandbox.post_callback(payment, status="succeeded", amount_minor=1)
    assert resp.status_code == 422
    order.refresh_from_db()
    payment.refresh_from_db()
    assert (order.status, payment.status) == ("awaiting_payment", "pending")
    assert JournalEntry.objects.count() == 0
    assert PaymentEvent.objects.filter(
        payment=payment, kind="callback_rejected"
    ).exists()


def test_a_failure_arriving_after_success_is_stale(place, sandbox):
    order, payment = place(price="50.00")
    sandbox.pay(payment)
    resp = sandbox.post_callback(payment, status="failed")
    assert (resp.status_code, resp.json()["result"]) == (200, "stale")
    order.refresh_from_db()
    assert order.status == "paid"
    assert escrow(order) == 5800


def test_a_declined_payment_leaves_the_order_awaiting_then_the_timer_cancels_it(
    place, sandbox, frozen_clock
):
    order, payment = place(price="50.00", quantity=1, stock=3)
    sandbox.decline(payment)
    payment.refresh_from_db()
    order.refresh_from_db()
    assert (payment.status, order.status) == ("failed", "awaiting_payment")
    frozen_clock.advance(minutes=31)
    assert run_job("orders.cancel_unpaid") == 1
    order.refresh_from_db()
    assert order.status == "cancelled"
    assert order.history.last().reason == "Not paid in time"
    item = StockItem.objects.get(sku_id=order.lines.get().sku_id)
    assert (item.on_hand, item.reserved) == (3, 0)


def test_a_payment_arriving_after_the_timeout_is_refunded_automatically(
    place, sandbox, frozen_clock
):
    order, payment = place(price="50.00")
    frozen_clock.advance(minutes=31)
    run_job("orders.cancel_unpaid")
    sandbox.pay(payment)
    order.refresh_from_db()
    assert order.status == "cancelled"
    refund = Refund.objects.get(order=order)
    assert refund.amount_minor == 5800
    assert escrow(order) == 0
    assert clearing() == 0
    assert Payment.objects.get(pk=payment.pk).status == "succeeded"


def test_unknown_payment_in_a_signed_callback_is_404(place, sandbox):
    _, payment = place(price="50.00")
    resp = sandbox.post_callback(payment, status="succeeded", merchant_ref="pay_999999")
    assert resp.status_code == 404
    assert Order.objects.get().status == "awaiting_payment"
