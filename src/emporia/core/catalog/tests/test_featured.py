"""Featured shelves for the storefront home: the registry contract and the
core's default sources (new arrivals, best sellers, top rated)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from emporia.core.catalog import selectors
from emporia.core.catalog.extensions import Shelf, featured_sources
from emporia.core.catalog.models import Product
from emporia.core.search import services as search

pytestmark = pytest.mark.django_db


class Handpicked:
    """A source as a later module would write it: fixed ids, a title."""

    def __init__(self, ids):
        self.ids = ids
        self.calls = []

    def featured(self, *, user, limit, language):
        self.calls.append((user, limit, language))
        return Shelf(
            key="test.handpicked",
            title="Handpicked",
            reason="Staff",
            product_ids=self.ids,
        )


@pytest.fixture
def handpicked():
    made = []

    def register(ids, priority=5):
        source = Handpicked(ids)
        featured_sources.register("test.handpicked", source, priority=priority)
        made.append(source)
        return source

    yield register
    featured_sources.unregister("test.handpicked")


def test_defaults_are_registered_in_order():
    assert featured_sources.names() == [
        "search.best_sellers",
        "search.top_rated",
        "catalog.new_arrivals",
    ]


def test_new_arrivals_newest_first(product_factory, frozen_clock, user):
    old = product_factory(status=Product.Status.LISTED)
    frozen_clock.advance(hours=1)
    new = product_factory(status=Product.Status.LISTED, created_at=frozen_clock())
    product_factory(status=Product.Status.DRAFT, created_at=frozen_clock())

    shelves = selectors.featured_shelves(user=user, limit=8, language="en")

    assert [s.key for s in shelves] == ["catalog.new_arrivals"]
    assert shelves[0].title == "New arrivals"
    assert [i["id"] for i in shelves[0].items] == [new.pk, old.pk]


def test_best_sellers_and_top_rated_come_from_the_search_counts(sku_factory, user):
    a = sku_factory(product__status=Product.Status.LISTED).product
    b = sku_factory(product__status=Product.Status.LISTED).product
    unsold = sku_factory(product__status=Product.Status.LISTED).product
    for product in (a, b, unsold):
        search.reindex_product(product_id=product.pk)
    search.record_sales(product_id=a.pk, quantity=2)
    search.record_sales(product_id=b.pk, quantity=5)
    search.set_rating(product_id=a.pk, average=Decimal("4.50"))

    shelves = {
        s.key: s for s in selectors.featured_shelves(user=user, limit=8, language="en")
    }

    assert [i["id"] for i in shelves["search.best_sellers"].items] == [b.pk, a.pk]
    assert shelves["search.best_sellers"].title == "Best sellers"
    assert [i["id"] for i in shelves["search.top_rated"].items] == [a.pk]


def test_a_registered_source_gets_its_shelf_first_without_hidden_products(
    product_factory, handpicked, user
):
    listed = product_factory(status=Product.Status.LISTED)
    draft = product_factory(status=Product.Status.DRAFT)
    source = handpicked([draft.pk, listed.pk, listed.pk, 10**9])

    shelves = selectors.featured_shelves(user=user, limit=3, language="zh-hans")

    assert shelves[0].key == "test.handpicked"
    assert (shelves[0].title, shelves[0].reason) == ("Handpicked", "Staff")
    assert [i["id"] for i in shelves[0].items] == [listed.pk]
    assert source.calls == [(user, 3, "zh-hans")]


def test_a_shelf_with_nothing_public_is_left_out(product_factory, handpicked, user):
    draft = product_factory(status=Product.Status.DRAFT)
    handpicked([draft.pk])
    assert selectors.featured_shelves(user=user, limit=8, language="en") == []


def test_limit_is_clamped(product_factory, handpicked, user):
    products = [product_factory(status=Product.Status.LISTED) for _ in range(3)]
    handpicked([p.pk for p in products])
    shelves = selectors.featured_shelves(user=user, limit=2, language="en")
    assert [len(s.items) for s in shelves] == [2, 2]


def test_shelves_cost_a_fixed_number_of_queries(
    sku_factory, user, django_assert_num_queries
):
    for _ in range(6):
        product = sku_factory(product__status=Product.Status.LISTED).product
        search.reindex_product(product_id=product.pk)
        search.record_sales(product_id=product.pk, quantity=1)
        search.set_rating(product_id=product.pk, average=Decimal("4.00"))
    # per shelf: the source's id query, then products, SKUs and images
    with django_assert_num_queries(3 * 4):
        shelves = selectors.featured_shelves(user=user, limit=8, language="en")
    assert [len(s.items) for s in shelves] == [6, 6, 6]
