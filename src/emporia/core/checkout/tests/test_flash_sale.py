"""A flash sale through the real checkout: many buyers race for the last
units from real threads, on SQLite and PostgreSQL; nobody oversells, and a
buyer retrying with the same Idempotency-Key gets one order."""

import uuid

import pytest

from emporia.core.checkout import services
from emporia.core.inventory.models import StockItem
from emporia.core.orders.models import Order
from emporia.core.payments.models import Payment
from emporia.kernel.errors import OutOfStock
from tests.concurrency import race

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def test_sixteen_buyers_racing_for_five_units_place_exactly_five_orders(
    listed_sku, user_factory, address_factory
):
    sku = listed_sku("99.00", quantity=5)
    buyers = [user_factory() for _ in range(16)]
    addresses = [address_factory(user=b).pk for b in buyers]

    def buy(i):
        services.place_order(
            buyer=buyers[i],
            idempotency_key=uuid.uuid4().hex,
            lines=[services.WantedLine(sku.pk, 1)],
            address_id=addresses[i],
        )
        return "ordered"

    outcomes = race(16, buy, expected=(OutOfStock,))

    assert sorted(outcomes) == ["OutOfStock"] * 11 + ["ordered"] * 5
    item = StockItem.objects.get(sku=sku)
    assert (item.on_hand, item.reserved) == (5, 5)
    assert Order.objects.count() == 5
    assert Payment.objects.count() == 5


def test_the_same_request_sent_eight_times_at_once_places_one_order(
    listed_sku, user_factory, address_factory
):
    sku = listed_sku("10.00", quantity=50)
    buyer = user_factory()
    address = address_factory(user=buyer).pk

    def retry(i):
        placed = services.place_order(
            buyer=buyer,
            idempotency_key="double-click",
            lines=[services.WantedLine(sku.pk, 2)],
            address_id=address,
        )
        return placed.checkout.pk

    outcomes = race(8, retry)

    assert len(set(outcomes)) == 1
    assert Order.objects.count() == 1
    assert StockItem.objects.get(sku=sku).reserved == 2
