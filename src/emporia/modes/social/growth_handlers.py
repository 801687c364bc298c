"""Reactions of invite rewards and the orchard to core events (run once per
event by the outbox relay; see ``growth_wiring``)."""

from __future__ import annotations

from .services import invites, orchard


def on_user_registered(event) -> None:
    """Bind a visitor who came by an invite link; remember the signup device."""
    invites.bind_from_signup(user_id=event.user_id, context=event.context or {})


def on_order_completed(event) -> None:
    """The invitee's first completed order decides their inviter's reward."""
    invites.decide_reward(invitee_id=event.buyer_id, order_id=event.order_id)


def on_order_paid(event) -> None:
    """A paid order waters the buyer's tree ("buy" task, capped)."""
    orchard.water_for_order(
        buyer_id=event.buyer_id, order_id=event.order_id, source=event.source
    )
