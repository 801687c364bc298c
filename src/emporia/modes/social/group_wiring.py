"""Registers group buying with the core: price rule, placement policy,
order-event handlers and the expiry timer. Called from ``SocialConfig.ready``."""

from __future__ import annotations

from emporia.core.checkout.extensions import placement_policies
from emporia.core.pricing.extensions import price_rules
from emporia.infra.outbox.services import subscribe

from . import (
    group_handlers,
    group_jobs,  # noqa: F401  (the @job decorator registers the timer)
    group_policies,
)

_done = False


def register() -> None:
    global _done
    if _done:
        return
    _done = True
    price_rules.register("social.group_price", group_policies.GroupPrice(), priority=50)
    placement_policies.register(
        "social.group_forming", group_policies.HoldWhileForming(), priority=50
    )
    subscribe(
        "orders.order_paid", group_handlers.on_order_paid, name="social.group.paid"
    )
    subscribe(
        "orders.order_cancelled",
        group_handlers.on_order_cancelled,
        name="social.group.cancelled",
    )
    subscribe(
        "orders.order_refunded",
        group_handlers.on_order_refunded,
        name="social.group.refunded",
    )
