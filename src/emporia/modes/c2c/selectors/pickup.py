"""Doorstep pickup reads: windows on offer, bookings of a return."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from emporia.core.fulfilment import selectors as fulfilment
from emporia.core.fulfilment.models import ReturnRequest
from emporia.kernel import clock
from emporia.kernel.errors import NotFound

from .. import trust_settings
from ..carriers import pickup_carriers
from ..models import PickupBooking, PickupSlot
from ..services.pickup import region_of


@dataclass(frozen=True)
class OfferedWindow:
    carrier: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int
    left: int


def offered_windows(
    *, request: ReturnRequest, carrier: str = "sandbox", days: int | None = None
) -> list[OfferedWindow]:
    """The courier's windows from now to ``C2C_PICKUP_DAYS_AHEAD`` days
    ahead in the return's region, with the places left in each (full ones
    included, with 0 left)."""
    courier = pickup_carriers.get(carrier)
    if courier is None:
        return []
    now = clock.now()
    ahead = int(days or trust_settings.get("C2C_PICKUP_DAYS_AHEAD"))
    region = region_of(request)
    today = timezone.localtime(now).date()
    windows = [
        w
        for d in range(ahead + 1)
        for w in courier.windows(region=region, day=today + dt.timedelta(days=d))
        if now < w.starts_at <= now + dt.timedelta(days=ahead)
    ]
    booked = dict(
        PickupSlot.objects.filter(
            carrier=carrier, region=region, starts_at__in=[w.starts_at for w in windows]
        ).values_list("starts_at", "booked")
    )
    return [
        OfferedWindow(
            carrier,
            w.starts_at,
            w.ends_at,
            w.capacity,
            max(0, w.capacity - booked.get(w.starts_at, 0)),
        )
        for w in windows
    ]


def bookings_for_return(request_id: int) -> QuerySet[PickupBooking]:
    return (
        PickupBooking.objects.filter(request_id=request_id)
        .select_related("slot")
        .prefetch_related("scans")
    )


def return_for_buyer(*, user, return_id: int) -> ReturnRequest:
    return fulfilment.return_for_buyer(user=user, return_id=return_id)


def booking_for_buyer(*, user, booking_id: int) -> PickupBooking:
    booking = (
        PickupBooking.objects.filter(pk=booking_id, buyer_id=user.pk)
        .select_related("slot", "request__order")
        .first()
    )
    if booking is None:
        raise NotFound(_("No such pickup"))
    return booking


def booking_for_operator(*, user, booking_id: int) -> PickupBooking:
    booking = (
        PickupBooking.objects.filter(pk=booking_id)
        .select_related("slot", "request__order")
        .first()
    )
    if booking is None or not user.is_operator:
        raise NotFound(_("No such pickup"))
    return booking


def bookings_for_shop(*, shop_id: int) -> QuerySet[PickupBooking]:
    return PickupBooking.objects.filter(request__order__shop_id=shop_id).select_related(
        "slot", "request"
    )
