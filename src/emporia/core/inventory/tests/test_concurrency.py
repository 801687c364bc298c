"""Real threads racing for the same units, on SQLite and PostgreSQL."""

import pytest

from emporia.core.inventory import services
from emporia.core.inventory.models import Reservation, StockItem
from emporia.kernel.errors import OutOfStock
from tests.concurrency import race
from tests.factories import stock

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def test_twelve_buyers_racing_for_five_units_get_exactly_five(sku):
    item = stock(sku, 5)

    def buy_one(i):
        services.reserve(wanted=[services.Wanted(item.pk, 1, f"order:{i}")])
        return "ok"

    outcomes = race(12, buy_one, expected=(OutOfStock,))

    assert sorted(outcomes) == ["OutOfStock"] * 7 + ["ok"] * 5
    item = StockItem.objects.get(pk=item.pk)
    assert (item.on_hand, item.reserved) == (5, 5)
    assert Reservation.objects.filter(status="held").count() == 5


def test_racing_multi_line_reservations_never_split(sku_factory, shop):
    a = stock(sku_factory(product__shop=shop), 4)
    b = stock(sku_factory(product__shop=shop), 4)

    def buy_pair(i):
        # alternate the line order so rows are touched in both orders
        lines = [services.Wanted(a.pk, 1, f"o:{i}"), services.Wanted(b.pk, 1, f"o:{i}")]
        services.reserve(wanted=lines if i % 2 else lines[::-1])
        return "ok"

    outcomes = race(8, buy_pair, expected=(OutOfStock,))

    assert sorted(outcomes) == ["OutOfStock"] * 4 + ["ok"] * 4
    assert sorted(StockItem.objects.values_list("reserved", flat=True)) == [4, 4]
