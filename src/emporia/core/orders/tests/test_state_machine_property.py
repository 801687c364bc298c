"""Property: no sequence of API calls breaks an order.

Hypothesis drives buyers, sellers, the payment gateway and the clock in
random orders through the real API. After every step: the API never
answered 5xx; the order's history is a chain of allowed transitions ending at
its current status; the ledger balances; what escrow, the shop and the
platform hold for the order equals what was captured minus what was refunded;
stock movements sum to on-hand with 0 ≤ reserved ≤ on-hand.
"""

import datetime as dt
import itertools
import uuid

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    rule,
    run_state_machine_as_test,
)

from emporia.core.inventory.models import StockItem
from emporia.core.ledger import selectors as ledger
from emporia.core.ledger.models import Posting
from emporia.core.orders import states
from emporia.core.orders.models import Order
from emporia.core.payments.models import Payment, Refund
from emporia.infra.jobs.services import run_job
from emporia.kernel import clock as kclock
from tests import factories

pytestmark = pytest.mark.django_db


def make_machine(api_as, sandbox):
    class OrderMachine(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self._atomic = transaction.atomic()
            self._atomic.__enter__()
            self.clock = kclock.FrozenClock(
                dt.datetime(2026, 11, 11, 10, tzinfo=dt.UTC)
            )
            self._previous_clock = kclock.set_source(self.clock)
            shop = factories.ShopFactory()
            self.seller = api_as(shop.members.get().user)
            sku = factories.SkuFactory(product__shop=shop, price="45.00")
            self.item = factories.stock(sku, 4)
            buyer = factories.UserFactory()
            address = factories.AddressFactory(user=buyer)
            self.buyer = api_as(buyer)
            resp = self.buyer.post(
                "checkout/place",
                {
                    "lines": [{"sku_id": sku.pk, "quantity": 2}],
                    "address_id": address.pk,
                },
                headers={"Idempotency-Key": "first"},
            )
            assert resp.status_code == 201, resp.content
            self.order = Order.objects.get(pk=resp.json()["orders"][0]["id"])
            self.payment = Payment.objects.get(pk=resp.json()["payment"]["id"])
            self.shipment_id = None

        def teardown(self):
            kclock.set_source(self._previous_clock)
            transaction.set_rollback(True)
            self._atomic.__exit__(None, None, None)

        def check(self, resp):
            assert resp.status_code < 500, resp.content

        @rule()
        def pay(self):
            self.check(sandbox.pay(self.payment))

        @rule()
        def decline(self):
            self.check(sandbox.decline(self.payment))

        @rule()
        def replay_callback(self):
            if sandbox.has_callbacks(self.payment):
                self.check(sandbox.resend_last(self.payment))

        @rule(minutes=st.sampled_from([5, 31, 60 * 24 * 11]))
        def time_passes(self, minutes):
            self.clock.advance(minutes=minutes)
            run_job("orders.cancel_unpaid")
            run_job("orders.auto_complete")
            run_job("inventory.expire_reservations")

        @rule()
        def buyer_cancels(self):
            self.check(self.buyer.post(f"orders/{self.order.pk}/cancel", {}))

        @rule()
        def seller_ships(self):
            resp = self.seller.post(
                f"fulfilment/orders/{self.order.pk}/shipments",
                {"carrier": "SF", "tracking_number": uuid.uuid4().hex[:12]},
            )
            self.check(resp)
            if resp.status_code == 201:
                self.shipment_id = resp.json()["id"]

        @rule()
        def carrier_delivers(self):
            if self.shipment_id:
                self.check(
                    self.seller.post(
                        f"fulfilment/shipments/{self.shipment_id}/tracking",
                        {"status": "delivered", "description": "Signed"},
                    )
                )

        @rule()
        def buyer_confirms(self):
            self.check(self.buyer.post(f"orders/{self.order.pk}/confirm-receipt"))

        @rule(minor=st.integers(min_value=1, max_value=12000))
        def seller_refunds(self, minor):
            self.check(
                self.seller.post(
                    f"orders/{self.order.pk}/refunds",
                    {"amount_minor": minor, "reason": "Goodwill"},
                    headers={"Idempotency-Key": uuid.uuid4().hex},
                )
            )

        @invariant()
        def history_is_a_chain_of_allowed_moves(self):
            order = Order.objects.get(pk=self.order.pk)
            moves = [
                (h.from_status, h.to_status)
                for h in order.history.all()
                if h.from_status != h.to_status
            ]
            assert moves[0] == ("", "awaiting_payment")
            for (_, prev), (frm, to) in itertools.pairwise(moves):
                assert prev == frm
                assert states.can(frm, to), (frm, to)
            assert moves[-1][1] == order.status

        @invariant()
        def money_adds_up(self):
            for currency, sums in ledger.trial_balance().items():
                assert sums["debit"] == sums["credit"], currency
            ref = f"order:{self.order.pk}"
            captured = (
                Posting.objects.filter(
                    entry__ref=ref, entry__kind="payment_capture"
                ).aggregate(s=Sum("debit_minor"))["s"]
                or 0
            )
            refunded = (
                Refund.objects.filter(order=self.order).aggregate(
                    s=Sum("amount_minor")
                )["s"]
                or 0
            )
            s = self.order.shop_id
            held = ledger.ref_balance(code=f"shop:{s}:escrow:CNY", ref=ref).minor
            payable = ledger.ref_balance(code=f"shop:{s}:payable:CNY", ref=ref).minor
            commission = ledger.ref_balance(
                code="platform:commission:CNY", ref=ref
            ).minor
            assert held >= 0
            assert held + payable + commission == captured - refunded

        @invariant()
        def stock_adds_up(self):
            item = StockItem.objects.get(pk=self.item.pk)
            assert 0 <= item.reserved <= item.on_hand
            assert sum(item.movements.values_list("delta", flat=True)) == item.on_hand

    return OrderMachine


def test_no_sequence_of_api_calls_breaks_an_order(api_as, sandbox):
    machine = make_machine(api_as, sandbox)
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=30,
            stateful_step_count=10,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
