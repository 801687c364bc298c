import pytest

from emporia.core.inventory import services
from emporia.core.inventory.models import StockItem
from emporia.kernel.errors import OutOfStock
from tests.factories import stock

pytestmark = pytest.mark.django_db


def test_reserve_then_commit_moves_units_from_reserved_to_sold(sku):
    item = stock(sku, 5)
    services.reserve(wanted=[services.Wanted(item.pk, 3, "order:1")])
    item.refresh_from_db()
    assert (item.on_hand, item.reserved) == (5, 3)
    services.commit_reservations(refs=["order:1"])
    item.refresh_from_db()
    assert (item.on_hand, item.reserved) == (2, 0)
    assert sum(item.movements.values_list("delta", flat=True)) == 2


def test_reserving_more_than_available_changes_nothing(sku):
    item = stock(sku, 2)
    with pytest.raises(OutOfStock):
        services.reserve(wanted=[services.Wanted(item.pk, 3, "order:1")])
    assert StockItem.objects.get(pk=item.pk).reserved == 0
