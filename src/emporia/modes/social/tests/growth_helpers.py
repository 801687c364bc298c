"""Helpers shared by the invite and orchard tests (plain functions: no
fixtures of their own, so they sit beside the group-buying tests' conftest)."""

from __future__ import annotations

import uuid

from emporia.core.accounts import services as accounts
from emporia.core.checkout import services as checkout
from emporia.core.orders import services as orders
from emporia.infra.outbox.services import relay_pending
from emporia.infra.psp.sandbox import services as sandbox_services


def sign_up(name: str, **context):
    """Register a buyer the way the web layer does, then deliver the event."""
    user = accounts.register_user(
        display_name=name,
        email=f"{name.lower().replace(' ', '.')}.{uuid.uuid4().hex[:6]}@example.com",
        password="correct horse battery",
        signup_context=context,
    )
    relay_pending()
    return user


def place(buyer, sku, *, address, quantity=1):
    placed = checkout.place_order(
        buyer=buyer,
        idempotency_key=uuid.uuid4().hex,
        lines=[checkout.WantedLine(sku.pk, quantity)],
        address_id=address.pk,
    )
    return placed.checkout.orders.get(), placed.checkout.payment


def pay(sandbox, payment, payer_account: str = ""):
    data = {"action": "pay"}
    if payer_account:
        data["card"] = sandbox_services.test_card(payer_account)
    return sandbox.client.post(payment.redirect_url, data)


def complete(order):
    """Ship, deliver and confirm a paid order, then deliver the events."""
    order.refresh_from_db()
    orders.mark_shipped(order=order)
    orders.confirm_receipt(order=order, buyer=order.buyer)
    relay_pending()
    order.refresh_from_db()
    return order


def buy_and_complete(sandbox, buyer, sku, *, address, payer_account=""):
    order, payment = place(buyer, sku, address=address)
    pay(sandbox, payment, payer_account or f"wallet-{buyer.pk}")
    return complete(order)
