"""Cart reads."""

from __future__ import annotations

from emporia.infra.sql import CompiledQuery

from .models import Cart, CartLine

_LINES = CompiledQuery(
    lambda cart_id: (
        CartLine.objects.filter(cart_id=cart_id)
        .select_related("sku__product__shop")
        .order_by("added_at", "id")
    ),
    cart_id=int,
)


def cart_lines(cart: Cart | None) -> list[CartLine]:
    if cart is None:
        return []
    lines = _LINES.all(cart_id=cart.pk)
    for line in lines:
        line.cart = cart  # as the related manager would: no query to get back
    return lines
