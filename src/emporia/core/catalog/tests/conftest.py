"""Catalog fixtures: a seller with a shop, a small category tree, and a helper
that creates products through the service (so events and rules apply)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from emporia.core.catalog import services
from emporia.core.catalog.models import Category


@pytest.fixture
def seller(user_factory):
    return user_factory(display_name="Seller")


@pytest.fixture
def seller_shop(shop_factory, seller):
    return shop_factory(name="杭州女装旗舰店", owner=seller)


@pytest.fixture
def stranger(user_factory):
    return user_factory(display_name="Stranger")


@pytest.fixture
def other_shop_staff(shop_factory, user_factory):
    staff = user_factory(display_name="Other shop")
    shop_factory(owner=staff)
    return staff


@pytest.fixture
def categories(operator) -> dict[str, Category]:
    """服装 (apparel) > 女装 (womenswear) > 连衣裙 (dresses); 数码 (digital)."""
    apparel = services.create_category(
        by=operator, slug="apparel", names={"zh-hans": "服装", "en": "Apparel"}
    )
    women = services.create_category(
        by=operator,
        slug="womenswear",
        names={"zh-hans": "女装", "en": "Womenswear"},
        parent_id=apparel.pk,
    )
    dresses = services.create_category(
        by=operator,
        slug="dresses",
        names={"zh-hans": "连衣裙", "en": "Dresses"},
        parent_id=women.pk,
    )
    digital = services.create_category(
        by=operator, slug="digital", names={"zh-hans": "数码", "en": "Digital"}
    )
    return {"apparel": apparel, "women": women, "dresses": dresses, "digital": digital}


@pytest.fixture
def make_product(seller, seller_shop, categories):
    """``make_product(names=…, price="99.00", listed=True, …)`` via the services."""

    def make(
        names=None,
        *,
        price="99.00",
        currency="CNY",
        category="dresses",
        listed=True,
        shop=None,
        by=None,
        skus=None,
        **extra,
    ):
        by = by or seller
        product = services.create_product(
            shop_id=(shop or seller_shop).pk,
            by=by,
            names=names or {"zh-hans": "测试商品", "en": "Test product"},
            category_id=categories[category].pk,
            skus=skus
            if skus is not None
            else [
                {
                    "code": "DEFAULT",
                    "attributes": {},
                    "price": price,
                    "currency": currency,
                }
            ],
            **extra,
        )
        if listed:
            product = services.set_product_status(
                product_id=product.pk, by=by, status="listed"
            )
        return product

    return make


def image_bytes(fmt: str = "PNG", size=(8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()
