"""Helpers shared by the C2C trust tests."""

from __future__ import annotations

import itertools

from emporia.core.fulfilment import services as fulfilment
from emporia.core.ledger import selectors as ledger
from emporia.modes.c2c.identity import id_check_char

_seq = itertools.count(1)


def make_id_number(n: int | None = None, born: str = "19900307") -> str:
    """A valid resident ID number (Dongcheng, Beijing) for sequence ``n``."""
    first17 = f"110101{born}{(n if n is not None else next(_seq)) % 1000:03d}"
    return first17 + id_check_char(first17)


def balances(shop_id: int) -> dict[str, int]:
    return {
        "escrow": ledger.balance(f"shop:{shop_id}:escrow:CNY").minor,
        "payable": ledger.balance(f"shop:{shop_id}:payable:CNY").minor,
        "commission": ledger.balance("platform:commission:CNY").minor,
        "clearing": ledger.balance("platform:psp_clearing:CNY").minor,
    }


def ship(order):
    owner = order.shop.members.get().user
    shipment = fulfilment.ship_order(
        order=order, by=owner, carrier="SF", tracking_number=f"SF{order.pk:08d}"
    )
    order.refresh_from_db()
    return shipment


def deliver(order):
    shipment = ship(order)
    fulfilment.record_tracking(
        shipment=shipment, status="delivered", description="Signed for"
    )
    order.refresh_from_db()
    return order
