"""Doorstep pickup booking states.

``booked`` → ``confirmed`` (the courier accepted) → ``picked_up`` →
``in_transit`` → ``delivered`` (to the shop). Before pickup the buyer may
cancel (``cancelled``, final; rebooking makes a new booking).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _

from emporia.kernel.errors import InvalidTransition


class PickupStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    CONFIRMED = "confirmed", "Confirmed by the courier"
    PICKED_UP = "picked_up", "Picked up"
    IN_TRANSIT = "in_transit", "In transit"
    DELIVERED = "delivered", "Delivered to the shop"
    CANCELLED = "cancelled", "Cancelled"


P = PickupStatus

TRANSITIONS: dict[str, frozenset[str]] = {
    P.BOOKED: frozenset({P.CONFIRMED, P.CANCELLED}),
    P.CONFIRMED: frozenset({P.PICKED_UP, P.CANCELLED}),
    P.PICKED_UP: frozenset({P.IN_TRANSIT, P.DELIVERED}),
    P.IN_TRANSIT: frozenset({P.IN_TRANSIT, P.DELIVERED}),
    P.DELIVERED: frozenset(),
    P.CANCELLED: frozenset(),
}

ACTIVE = frozenset({P.BOOKED, P.CONFIRMED})
"""Bookings that hold a place in their slot and may still be cancelled."""

SCANS = frozenset({P.PICKED_UP, P.IN_TRANSIT, P.DELIVERED})
"""Statuses a courier's scan may report."""


def check(old: str, new: str) -> None:
    """Raise InvalidTransition unless ``old → new`` is in the table."""
    if new not in TRANSITIONS.get(old, frozenset()):
        raise InvalidTransition(
            _("A pickup that is %(old)s cannot become %(new)s")
            % {"old": _(P(old).label).lower(), "new": _(P(new).label).lower()},
            old=old,
            new=new,
        )
