"""Doorstep pickup booking states.

``booked`` → ``confirmed`` (the courier accepted) → ``picked_up`` →
``in_transit`` → ``delivered`` (to the shop). Before pickup the buyer may
cancel (``cancelled``, final; rebooking makes a new booking).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from emporia.infra.words import StatusWords
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

# A status as it reads inside a message, in the request's language.
pickup_status_words = StatusWords(
    PickupStatus,
    {
        P.BOOKED: pgettext_lazy("pickup status", "booked"),
        P.CONFIRMED: pgettext_lazy("pickup status", "confirmed by the courier"),
        P.PICKED_UP: pgettext_lazy("pickup status", "picked up"),
        P.IN_TRANSIT: pgettext_lazy("pickup status", "in transit"),
        P.DELIVERED: pgettext_lazy("pickup status", "delivered to the shop"),
        P.CANCELLED: pgettext_lazy("pickup status", "cancelled"),
    },
)


def check(old: str, new: str) -> None:
    """Raise InvalidTransition unless ``old → new`` is in the table."""
    if new not in TRANSITIONS.get(old, frozenset()):
        raise InvalidTransition(
            _("A pickup that is %(old)s cannot become %(new)s")
            % {"old": pickup_status_words(old), "new": pickup_status_words(new)},
            old=old,
            new=new,
        )
