"""Fixtures for the C2C trust tests: individual shops opened through the
mode's service, orders placed and paid through checkout and the sandbox
gateway, shipped and delivered through fulfilment."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from emporia.core.checkout import services as checkout
from emporia.modes.c2c.services import shops
from tests import factories

from .trust_helpers import deliver, make_id_number


@pytest.fixture
def individual_shop(user_factory):
    """``individual_shop(owner=None)`` → a shop opened with identity only."""

    def make(owner=None, name="Granny's Knits"):
        owner = owner or user_factory()
        return shops.open_individual_shop(
            owner=owner,
            shop_name=name,
            real_name="王小明",
            id_number=make_id_number(),
            mobile="13800138000",
        )

    return make


@pytest.fixture
def c2c_order(individual_shop, user_factory, address_factory, sku_factory, sandbox):
    """``c2c_order(price="100.00", shop=None, buyer=None)`` → an order of an
    individual shop, paid (its money in escrow)."""

    def make(price="100.00", shop=None, buyer=None, quantity=1):
        shop = shop or individual_shop()
        sku = sku_factory(product__shop=shop, price=Decimal(price), currency="CNY")
        factories.stock(sku, 10)
        buyer = buyer or user_factory()
        address = address_factory(user=buyer)
        placed = checkout.place_order(
            buyer=buyer,
            idempotency_key=uuid.uuid4().hex,
            lines=[checkout.WantedLine(sku.pk, quantity)],
            address_id=address.pk,
        )
        sandbox.pay(placed.checkout.payment)
        order = placed.checkout.orders.get()
        order.refresh_from_db()
        assert order.status == "paid"
        return order

    return make


@pytest.fixture
def delivered_order(c2c_order):
    def make(*args, **kwargs):
        return deliver(c2c_order(*args, **kwargs))

    return make
