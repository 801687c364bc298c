"""Builds trades for the governance tests through the core services: real
checkouts with a client (IP, device), real sandbox payments with a card,
real shipments and receipts."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.test import Client

from emporia.core.accounts import services as accounts
from emporia.core.accounts.clients import ClientInfo
from emporia.core.accounts.models import Shop, User
from emporia.core.checkout import services as checkout
from emporia.core.fulfilment import services as fulfilment
from emporia.core.orders import services as orders
from emporia.core.orders.models import Order
from emporia.core.search import services as search
from emporia.infra.outbox.services import relay_pending
from tests import factories

_n = iter(range(10**9))


def person(name: str, *, joined: dt.datetime | None = None) -> User:
    n = next(_n)
    user = accounts.register_user(
        email=f"gov{n}-{uuid.uuid4().hex[:6]}@example.com",
        password="correct horse battery",
        display_name=name,
    )
    if joined is not None:
        User.objects.filter(pk=user.pk).update(date_joined=joined)
        user.date_joined = joined
    return user


def address(user: User, line1: str | None = None) -> dict:
    return accounts.add_address(
        user=user,
        data={
            "recipient": user.display_name,
            "phone": "13800138000",
            "city": "杭州市",
            "line1": line1 or f"{user.display_name} 路 {user.pk} 号",
        },
    ).as_snapshot()


class Seller:
    """An individual's shop with one product in stock."""

    def __init__(self, owner: User, price: str = "59.00"):
        self.owner = owner
        self.shop = accounts.open_shop(
            owner=owner, name=f"{owner.display_name}'s shop", kind=Shop.Kind.INDIVIDUAL
        )
        self.sku = factories.SkuFactory(
            product__shop=self.shop, price=Decimal(price), currency="CNY"
        )
        factories.stock(self.sku, 10_000)
        search.reindex_product(product_id=self.sku.product_id)


def trade(
    buyer: User,
    seller: Seller,
    *,
    device: str = "",
    ip: str | None = None,
    card: str = "",
    ship_to: dict | None = None,
    ship: bool = True,
    confirm: bool = True,
    clock=None,
    confirm_after: dt.timedelta = dt.timedelta(days=2),
) -> Order:
    """Place, pay (sandbox, with ``card``), ship and confirm one order."""
    placed = checkout.place_order(
        buyer=buyer,
        idempotency_key=uuid.uuid4().hex,
        lines=[checkout.WantedLine(seller.sku.pk, 1)],
        address=ship_to or address(buyer),
        client=ClientInfo(ip=ip, device_id=device),
    )
    order = placed.checkout.orders.get()
    data = {"action": "pay"}
    if card:
        data["card"] = card
    Client().post(placed.checkout.payment.redirect_url, data)
    order.refresh_from_db()
    if ship:
        fulfilment.ship_order(
            order=order,
            by=seller.owner,
            carrier="SF",
            tracking_number=uuid.uuid4().hex[:12],
        )
        order.refresh_from_db()
        if confirm:
            if clock is not None:
                clock.advance(seconds=confirm_after.total_seconds())
            orders.confirm_receipt(order=order, buyer=buyer)
            order.refresh_from_db()
    return order


def login(user: User, *, device: str = "", ip: str | None = None) -> None:
    accounts.record_login(
        user=user, client=ClientInfo(ip=ip, device_id=device), channel="web"
    )


def relay() -> None:
    relay_pending()
