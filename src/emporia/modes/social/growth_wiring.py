"""Plugging invite rewards and the orchard into the core (called from
``SocialConfig.ready``)."""

from __future__ import annotations

from emporia.core.checkout.extensions import order_adjusters
from emporia.infra.outbox.services import subscribe

from . import growth_handlers
from .services.credit import InviteCreditAdjuster
from .services.orchard import OrchardPrizeAdjuster


def register() -> None:
    """Subscribe the handlers and register the prize adjuster (idempotent)."""
    subscribe(
        "accounts.user_registered",
        growth_handlers.on_user_registered,
        name="social.invites.bind_from_signup",
    )
    subscribe(
        "orders.order_completed",
        growth_handlers.on_order_completed,
        name="social.invites.decide_reward",
    )
    subscribe(
        "orders.order_paid",
        growth_handlers.on_order_paid,
        name="social.orchard.water_for_order",
    )
    # Late (after shipping at 10) so the prize also covers the shipping.
    if "social.orchard_prize" not in order_adjusters:
        order_adjusters.register(
            "social.orchard_prize", OrchardPrizeAdjuster(), priority=900
        )
    # Last of all: credit pays what is left after every other adjustment.
    if "social.invite_credit" not in order_adjusters:
        order_adjusters.register(
            "social.invite_credit", InviteCreditAdjuster(), priority=950
        )
