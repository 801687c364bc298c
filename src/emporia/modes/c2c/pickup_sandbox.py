"""The sandbox courier's side of the conversation: it reports scans of a
booked parcel the way a real courier's webhook would (used by the demo,
tests and the operators' courier console)."""

from __future__ import annotations

from .models import PickupBooking
from .services import pickup as services

SCAN_TEXT = {
    "picked_up": ("Collected at the buyer's door", ""),
    "in_transit": ("Arrived at the sorting centre", "Sorting centre"),
    "delivered": ("Delivered to the shop", ""),
}


def emit_scan(booking: PickupBooking, status: str, *, actor=None) -> PickupBooking:
    """Report one scan of ``booking`` with the sandbox's usual wording."""
    description, place = SCAN_TEXT.get(status, ("", ""))
    return services.record_pickup_scan(
        booking=booking,
        status=status,
        description=description,
        place=place,
        actor=actor,
    )
