"""Fixtures for the ratings, credit and growth tests: one seller's shop with
a product in stock, and completed trades bought through the real checkout,
sandbox payment, shipment and receipt confirmation."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from emporia.core.checkout import services as checkout
from emporia.core.fulfilment import services as fulfilment
from emporia.core.orders import services as order_services
from emporia.modes.c2c.services import credit
from tests import factories


@pytest.fixture
def seller(user_factory):
    return user_factory(display_name="Seller")


@pytest.fixture
def stall(seller, shop_factory, category_factory, product_factory, sku_factory):
    """A shop selling one product (100 in stock) in a top-level category."""
    shop = shop_factory(name="小店", owner=seller, kind="individual")
    category = category_factory(slug="tea", names={"en": "Tea", "zh-hans": "茶"})
    product = product_factory(shop=shop, category=category)
    sku = sku_factory(product=product, price=Decimal("20.00"))
    factories.stock(sku, 100)
    return {"shop": shop, "seller": seller, "sku": sku, "category": category}


@pytest.fixture
def trade(stall, user_factory, address_factory, sandbox):
    """``trade(buyer=None, sku=None, quantity=1, until="completed")`` → an
    order of ``stall`` (or of the SKU's shop) taken to ``until``: "paid",
    "shipped" or "completed"."""

    def make(buyer=None, sku=None, quantity=1, until="completed"):
        sku = sku or stall["sku"]
        buyer = buyer or user_factory()
        address = address_factory(user=buyer)
        placed = checkout.place_order(
            buyer=buyer,
            idempotency_key=uuid.uuid4().hex,
            lines=[checkout.WantedLine(sku.pk, quantity)],
            address_id=address.pk,
        )
        order = placed.checkout.orders.get()
        sandbox.pay(placed.checkout.payment)
        order.refresh_from_db()
        if until == "paid":
            return order
        seller = sku.product.shop.members.first().user
        fulfilment.ship_order(
            order=order, by=seller, carrier="SF", tracking_number=uuid.uuid4().hex[:12]
        )
        order.refresh_from_db()
        if until == "shipped":
            return order
        order_services.confirm_receipt(order=order, buyer=buyer)
        order.refresh_from_db()
        return order

    return make


@pytest.fixture
def rate():
    """``rate(order, verdict="good", scores=(5, 5, 5), **kw)`` → the rating,
    given by the order's buyer."""

    def make(order, verdict="good", scores=(5, 5, 5), **kwargs):
        d, s, lg = scores
        return credit.rate_trade(
            buyer=order.buyer,
            order_id=order.pk,
            verdict=verdict,
            description=d,
            service=s,
            logistics=lg,
            **kwargs,
        )

    return make
