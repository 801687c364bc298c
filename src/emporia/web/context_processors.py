"""What every page's header needs: the cart count and the viewer's shops."""

from __future__ import annotations

from emporia.core.checkout import selectors as cart_selectors
from emporia.core.checkout import services as checkout


def header(request) -> dict:
    if request.path.startswith(("/api/", "/admin/", "/static/")):
        return {}
    user = getattr(request, "user", None)
    session_key = request.session.session_key if hasattr(request, "session") else None
    cart = checkout.cart_for(user=user, session_key=session_key, create=False)
    lines = cart_selectors.cart_lines(cart)
    return {"cart_count": sum(line.quantity for line in lines)}
