"""Two operators ruling one dispute at once: one wins, money moves once.
Runs on SQLite and PostgreSQL with real threads."""

import datetime as dt

import pytest

from emporia.core.orders.models import Order
from emporia.core.payments.models import Refund
from emporia.kernel.errors import Conflict
from emporia.kernel.money import Money
from emporia.modes.c2c.models import Dispute
from emporia.modes.c2c.services import disputes, escrow
from tests.concurrency import race

from .trust_helpers import balances

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_rulings_at_once_one_wins(user_factory, delivered_order):
    # given an answered dispute and two operators
    order = delivered_order("100.00")
    dispute = disputes.open_dispute(
        order=order, buyer=order.buyer, reason="not_received", text="Nothing came"
    )
    disputes.answer_dispute(
        dispute=dispute, by=order.shop.members.get().user, text="Sent"
    )
    ops = [user_factory(is_staff=True) for _ in range(2)]
    rulings = [
        {"outcome": "refund_full"},
        {"outcome": "refund_partial", "refund": Money(4000, "CNY")},
    ]

    # when both rule at the same moment
    def rule(i):
        disputes.rule_dispute(
            dispute=Dispute.objects.get(pk=dispute.pk),
            operator=ops[i],
            note=f"ruling {i}",
            **rulings[i],
        )
        return "ruled"

    outcomes = race(2, rule, expected=(Conflict,))

    # then exactly one ruling stands and the money moved once, by it
    assert sorted(outcomes) == ["Conflict", "ruled"]
    dispute.refresh_from_db()
    assert dispute.history.filter(to_status="ruled").count() == 1
    assert Refund.objects.filter(order=order).count() == 1
    refund = Refund.objects.get(order=order)
    assert refund.amount_minor == dispute.refund_minor
    order = Order.objects.get(pk=order.pk)
    if dispute.outcome == "refund_full":
        assert balances(order.shop_id) == {
            "escrow": 0,
            "payable": 0,
            "commission": 0,
            "clearing": 0,
        }
    else:
        assert balances(order.shop_id) == {
            "escrow": 0,
            "payable": 5700,
            "commission": 300,
            "clearing": 6000,
        }


def test_two_extensions_at_once_move_the_deadline_once(delivered_order):

    order = delivered_order()
    due = order.auto_complete_at

    def extend(i):
        escrow.extend_release(order=Order.objects.get(pk=order.pk), buyer=order.buyer)
        return "extended"

    outcomes = race(2, extend, expected=(Conflict,))
    assert sorted(outcomes) == ["Conflict", "extended"]
    assert Order.objects.get(pk=order.pk).auto_complete_at == due + dt.timedelta(days=5)
