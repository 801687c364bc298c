"""Panels the C2C trust feature adds to core pages: escrow, dispute and
pickup actions on the buyer's order page; disputed money and withdrawal
limits on the seller's money page."""

from __future__ import annotations

from django import template

from emporia.core.fulfilment import selectors as fulfilment
from emporia.core.orders.states import OrderStatus
from emporia.core.payments import payouts
from emporia.modes.c2c.selectors import disputes as dispute_selectors
from emporia.modes.c2c.services.disputes import DISPUTABLE

register = template.Library()


@register.inclusion_tag("web/c2c/_order_panel.html", takes_context=True)
def c2c_order_panel(context, order) -> dict:
    """``{% c2c_order_panel order %}`` on the buyer's order page."""
    user = context["request"].user
    dispute = dispute_selectors.dispute_for_order(order.pk)
    extension = dispute_selectors.extension_for_order(order.pk)
    returns = fulfilment.returns_for_buyer(user=user).filter(order_id=order.pk)
    return {
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "order": order,
        "dispute": dispute,
        "extension": extension,
        "can_extend": order.status == OrderStatus.DELIVERED and extension is None,
        "can_dispute": dispute is None
        and order.status in DISPUTABLE
        and order.settled_at is None,
        "pickup_returns": [
            r for r in returns if r.status in ("approved", "shipped_back")
        ],
    }


@register.inclusion_tag("web/c2c/_money_panel.html")
def c2c_money_panel(shop) -> dict:
    """``{% c2c_money_panel shop %}`` on the seller's money page."""
    return {
        "in_disputes": dispute_selectors.held_in_disputes(
            shop_id=shop.pk, currency=shop.currency
        ),
        "allowance": payouts.payout_allowance(shop.pk, shop.currency),
        "shop": shop,
    }
