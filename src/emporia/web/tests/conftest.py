"""Fixtures for the web faces: a small catalog a buyer can search and buy."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client

from emporia.core.accounts.models import ShopMember
from emporia.core.search import services as search
from tests import factories

TITLE_RE = re.compile(r"<title>(.*?)</title>", re.S)


def title(response) -> str:
    match = TITLE_RE.search(response.content.decode())
    return match.group(1).strip() if match else ""


@pytest.fixture
def teapot(shop_factory, category_factory, product_factory, sku_factory, user_factory):
    """A listed bilingual product with two SKUs in stock, indexed for search."""
    seller = user_factory(display_name="Seller")
    shop = shop_factory(name="西湖茶铺", owner=seller)
    category = category_factory(slug="tea", names={"en": "Tea", "zh-hans": "茶叶"})
    product = product_factory(
        shop=shop,
        category=category,
        names={"en": "Longjing green tea", "zh-hans": "西湖龙井绿茶"},
        descriptions={"en": "Spring harvest", "zh-hans": "明前春茶"},
    )
    small = sku_factory(
        product=product, code="LJ-100", attributes={"规格": "100g"}, price=Decimal("88")
    )
    big = sku_factory(
        product=product,
        code="LJ-250",
        attributes={"规格": "250g"},
        price=Decimal("198"),
    )
    factories.stock(small, 20)
    factories.stock(big, 0)
    search.reindex_product(product_id=product.pk)
    product.seller = seller
    product.shop_obj = shop
    product.small, product.big = small, big
    return product


@pytest.fixture
def client_as():
    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def seller_of(user_factory):
    def make(shop):
        return ShopMember.objects.get(shop=shop, role=ShopMember.Role.OWNER).user

    return make


@pytest.fixture
def english(client_as):
    """``english(user)`` → a logged-in test client that asks for English pages."""

    def make(user) -> Client:
        client = client_as(user)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return make
