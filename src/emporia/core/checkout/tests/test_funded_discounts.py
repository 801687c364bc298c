"""Funded discounts: a third party pays the shop for what the buyer doesn't."""

import uuid
from decimal import Decimal

import pytest

from emporia.core.checkout import services
from emporia.core.checkout.extensions import Adjustment, order_adjusters
from emporia.core.inventory.models import StockItem
from emporia.core.ledger import selectors as ledger
from emporia.core.ledger import services as ledger_services
from emporia.core.ledger.services import Leg
from emporia.core.orders import services as orders
from emporia.core.payments import services as payments
from emporia.kernel.errors import Conflict
from emporia.kernel.money import Money

pytestmark = pytest.mark.django_db


class Subsidy:
    """A test adjuster: a discount funded by ``account``."""

    def __init__(self, account: str, minor: int):
        self.account, self.minor = account, minor

    def adjust(self, draft):
        return [
            Adjustment(
                "discount",
                Money(self.minor, draft.currency),
                "Subsidy",
                funded_by=self.account,
            )
        ]


@pytest.fixture
def subsidy():
    added = []

    def add(account, minor):
        order_adjusters.register("test.subsidy", Subsidy(account, minor), priority=50)
        added.append("test.subsidy")

    yield add
    for name in added:
        order_adjusters.unregister(name)


def place(buyer, sku, address):
    return services.place_order(
        buyer=buyer,
        idempotency_key=uuid.uuid4().hex,
        lines=[services.WantedLine(sku.pk, 1)],
        address_id=address.pk,
    ).checkout.orders.get()


def test_a_funded_discount_is_in_escrow_from_placement(
    subsidy, listed_sku, shopper, address_factory
):
    subsidy("platform:marketing:CNY", 1000)
    sku = listed_sku("120.00")

    order = place(shopper, sku, address_factory(user=shopper))

    assert (order.discount_minor, order.total_minor) == (1000, 11000)
    assert ledger.balance("platform:marketing:CNY").minor == 1000
    assert orders.escrow_held(order).minor == 1000


def test_cancelling_an_unpaid_order_gives_the_funding_back(
    subsidy, listed_sku, shopper, address_factory
):
    subsidy("platform:marketing:CNY", 1000)
    order = place(shopper, listed_sku("120.00"), address_factory(user=shopper))

    orders.cancel_unpaid_order(order=order, reason="Changed my mind")

    assert ledger.balance("platform:marketing:CNY").minor == 0
    assert orders.escrow_held(order).minor == 0


def test_a_buyers_own_balance_cannot_be_overdrawn(
    subsidy, listed_sku, shopper, address_factory
):
    credit = f"user:{shopper.pk}:credit:CNY"
    ledger_services.post(
        key="test-credit",
        kind="test",
        legs=[
            Leg.debit("platform:marketing:CNY", Money(500, "CNY")),
            Leg.credit(credit, Money(500, "CNY")),
        ],
    )
    subsidy(credit, 800)
    sku = listed_sku("120.00", quantity=3)

    with pytest.raises(Conflict):
        place(shopper, sku, address_factory(user=shopper))

    assert ledger.balance(credit).minor == 500
    assert not shopper.orders.exists()


# --- refunds give the funding back ---------------------------------------------


def ledger_snapshot(order) -> dict[str, int]:
    """Every account the order touches, as a balance."""
    codes = [
        "platform:marketing:CNY",
        "platform:psp_clearing:CNY",
        "platform:commission:CNY",
        f"shop:{order.shop_id}:escrow:CNY",
        f"shop:{order.shop_id}:payable:CNY",
    ]
    return {code: ledger.balance(code).minor for code in codes}


def place_and_pay(buyer, sku, address, sandbox):
    checkout = services.place_order(
        buyer=buyer,
        idempotency_key=uuid.uuid4().hex,
        lines=[services.WantedLine(sku.pk, 1)],
        address_id=address.pk,
    ).checkout
    sandbox.pay(checkout.payment)
    order = checkout.orders.get()
    assert order.status == "paid"
    return order


ZERO = {
    "platform:marketing:CNY": 0,
    "platform:psp_clearing:CNY": 0,
    "platform:commission:CNY": 0,
}


def test_cancelling_a_paid_funded_order_returns_the_funding_to_its_funder(
    subsidy, listed_sku, shopper, address_factory, sandbox
):
    subsidy("platform:marketing:CNY", 1000)
    order = place_and_pay(
        shopper, listed_sku("120.00"), address_factory(user=shopper), sandbox
    )
    assert ledger_snapshot(order)["platform:marketing:CNY"] == 1000
    assert orders.escrow_held(order).minor == 12000

    payments.cancel_and_refund(order=order, reason="Shop cannot deliver")

    order.refresh_from_db()
    assert order.status == "refunded"
    assert ledger_snapshot(order) == {
        **ZERO,
        f"shop:{order.shop_id}:escrow:CNY": 0,
        f"shop:{order.shop_id}:payable:CNY": 0,
    }
    assert ledger.entry_keys(ref=f"order:{order.pk}", kind=orders.FUNDING_REFUNDED) == [
        f"funding_refunded:order:{order.pk}"
    ]


def test_refunding_a_settled_funded_order_claws_the_funding_back_from_the_shop(
    subsidy, listed_sku, shopper, address_factory, sandbox
):
    subsidy("platform:marketing:CNY", 1000)
    order = place_and_pay(
        shopper, listed_sku("120.00"), address_factory(user=shopper), sandbox
    )
    orders.settle_order(order=order, commission_rate=Decimal("0.05"))
    assert ledger_snapshot(order)[f"shop:{order.shop_id}:payable:CNY"] == 11400
    assert ledger_snapshot(order)["platform:commission:CNY"] == 600

    payments.refund_order(order=order, reason="Returned", key="r1")

    assert ledger_snapshot(order) == {
        **ZERO,
        f"shop:{order.shop_id}:escrow:CNY": 0,
        f"shop:{order.shop_id}:payable:CNY": 0,
    }


def test_a_partial_refund_keeps_the_funding_until_the_order_is_refunded_in_full(
    subsidy, listed_sku, shopper, address_factory, sandbox
):
    subsidy("platform:marketing:CNY", 1000)
    order = place_and_pay(
        shopper, listed_sku("120.00"), address_factory(user=shopper), sandbox
    )

    payments.refund_order(
        order=order, amount=Money(4000, "CNY"), reason="Part", key="p1"
    )

    assert ledger.balance("platform:marketing:CNY").minor == 1000
    assert orders.escrow_held(order).minor == 8000

    payments.refund_order(order=order, reason="The rest", key="p2")
    payments.refund_order(order=order, reason="The rest", key="p2")  # replayed

    assert ledger.balance("platform:marketing:CNY").minor == 0
    assert orders.escrow_held(order).minor == 0
    assert len(ledger.entry_keys(ref=f"order:{order.pk}", kind="funding_refunded")) == 1


def test_a_free_order_cancelled_after_placement_returns_everything(
    subsidy, listed_sku, shopper, address_factory
):
    # Given a discount that covers the whole order (a prize): paid at once.
    subsidy("platform:marketing:CNY", 100000)
    sku = listed_sku("120.00", quantity=3)
    order = place(shopper, sku, address_factory(user=shopper))
    order.refresh_from_db()
    assert (order.total_minor, order.status) == (0, "paid")
    assert ledger.balance("platform:marketing:CNY").minor == 12000  # free shipping

    refund = payments.cancel_and_refund(order=order, reason="Out of season")

    order.refresh_from_db()
    assert refund is None
    assert order.status == "refunded"
    assert ledger_snapshot(order) == {
        **ZERO,
        f"shop:{order.shop_id}:escrow:CNY": 0,
        f"shop:{order.shop_id}:payable:CNY": 0,
    }
    assert StockItem.objects.get(sku=sku).on_hand == 3
