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


_BUYER_LINES = CompiledQuery(
    lambda user_id: (
        CartLine.objects.filter(cart__user_id=user_id)
        .select_related("cart", "sku__product__shop")
        .order_by("added_at", "id")
    ),
    user_id=int,
)


def buyer_cart_lines(user) -> list[CartLine]:
    """A signed-in buyer's cart lines as :func:`cart_lines` reads them, each
    with its cart too (``line.cart``): one statement where reading the cart
    and then its lines takes two. Empty when the buyer has no cart."""
    return _BUYER_LINES.all(user_id=user.pk)
