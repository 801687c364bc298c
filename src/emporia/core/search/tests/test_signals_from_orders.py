"""Sales and ratings reach the search index through events."""

import pytest

from emporia.core.search.models import SearchDocument
from emporia.core.search.services import reindex_product
from emporia.infra.outbox.services import relay_pending

pytestmark = pytest.mark.django_db


def test_paid_units_count_as_sales(paid_order, api_as):
    order = paid_order(price="120.00", quantity=3)
    product_id = order.lines.get().product_id
    reindex_product(product_id=product_id)
    relay_pending()
    assert SearchDocument.objects.get(product_id=product_id).sales_count == 3
