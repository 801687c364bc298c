"""Cart reads."""

from __future__ import annotations

from .models import Cart, CartLine


def cart_lines(cart: Cart | None) -> list[CartLine]:
    if cart is None:
        return []
    return list(
        cart.lines.select_related("sku__product__shop").order_by("added_at", "id")
    )
