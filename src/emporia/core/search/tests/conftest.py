"""Search fixtures: a category tree and thirty listed products created through
the catalog services, with the outbox relayed so the index is built."""

from __future__ import annotations

import datetime as dt

import pytest

from emporia.core.catalog import services as catalog
from emporia.infra.outbox.services import relay_pending

from .titles import TITLES

TREE = [
    # slug, zh-hans, en, parent slug
    ("apparel", "服装", "Apparel", None),
    ("women", "女装", "Womenswear", "apparel"),
    ("dresses", "连衣裙", "Dresses", "women"),
    ("men", "男装", "Menswear", "apparel"),
    ("kids", "童装", "Kidswear", "apparel"),
    ("digital", "数码", "Electronics", None),
    ("audio", "耳机音响", "Audio", "digital"),
    ("home", "家居", "Home", None),
    ("food", "食品", "Food", None),
]


@pytest.fixture
def tree(operator):
    made = {}
    for slug, zh, en, parent in TREE:
        made[slug] = catalog.create_category(
            by=operator,
            slug=slug,
            names={"zh-hans": zh, "en": en},
            parent_id=made[parent].pk if parent else None,
        )
    return made


@pytest.fixture
def seller(user_factory):
    return user_factory(display_name="Seller")


@pytest.fixture
def seller_shop(shop_factory, seller):
    return shop_factory(name="杭州好物旗舰店", owner=seller)


@pytest.fixture
def listed_product(seller, seller_shop, tree):
    def make(key, zh, en, category, price, brand="", attributes=None, *, shop=None):
        names = {"zh-hans": zh}
        if en:
            names["en"] = en
        product = catalog.create_product(
            shop_id=(shop or seller_shop).pk,
            by=seller,
            names=names,
            category_id=tree[category].pk,
            brand=brand,
            skus=[
                {
                    "code": f"{key}-1",
                    "attributes": attributes or {},
                    "price": price,
                    "currency": "CNY",
                }
            ],
        )
        return catalog.set_product_status(
            product_id=product.pk, by=seller, status="listed"
        )

    return make


@pytest.fixture
def shelf(listed_product, frozen_clock):
    """The thirty products by key, created a minute apart in TITLES order
    (so "newest" is the reverse), indexed."""
    products = {}
    for row in TITLES:
        products[row[0]] = listed_product(*row)
        frozen_clock.advance(minutes=1)
    relay_pending()
    return products


@pytest.fixture
def ids(shelf):
    """``ids("chiffon", "puff")`` → the set of those products' ids."""

    def pick(*keys):
        return {shelf[k].pk for k in keys}

    return pick


def start_of_sale():
    return dt.datetime(2026, 11, 11, tzinfo=dt.UTC)
