"""Doorstep pickup for returns (上门取件).

After the shop approves a return, the buyer books a courier window at the
address the order was delivered to. A slot row per (courier, region,
window) counts its bookings; the place is taken by one conditional
``UPDATE … SET booked = booked + 1 WHERE booked < capacity`` (and a check
constraint), so two buyers racing for the last place cannot both get it.
The buyer may cancel or rebook before the window starts. The courier's
scans move the booking on; the "picked up" scan ships the return back
through ``fulfilment.services.ship_return``, and the shop then receives it
and refunds through the core's return flow.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from emporia.core.fulfilment import services as fulfilment
from emporia.core.fulfilment.models import ReturnRequest
from emporia.infra.outbox.services import emit
from emporia.kernel import clock
from emporia.kernel.errors import Conflict, NotFound, ValidationFailed

from .. import reasons, trust_settings
from ..carriers import CarrierRefused, Window, pickup_carriers
from ..events.trust import PickupStatusChanged
from ..models import PickupBooking, PickupScan, PickupSlot
from ..states import pickup as states
from ..states.pickup import PickupStatus as P


def region_of(request: ReturnRequest) -> str:
    """Pickups are grouped by the city the order was delivered to."""
    return str(request.order.shipping_address.get("city") or "").strip()[:60]


def carrier_named(name: str):
    carrier = pickup_carriers.get(name)
    if carrier is None:
        raise ValidationFailed(
            _("Unknown courier %(name)s") % {"name": repr(name)}, field="carrier"
        )
    return carrier


def offered_window(carrier, *, region: str, starts_at: dt.datetime) -> Window:
    """The courier's window starting at ``starts_at``, bookable now: in the
    future and within ``C2C_PICKUP_DAYS_AHEAD`` days. ValidationFailed else."""
    if starts_at.tzinfo is None:
        raise ValidationFailed(_("Give the window's start with its time zone"))
    now = clock.now()
    if starts_at <= now:
        raise ValidationFailed(
            _("That window has started or passed; choose a later one"),
            field="starts_at",
        )
    ahead = int(trust_settings.get("C2C_PICKUP_DAYS_AHEAD"))
    if starts_at > now + dt.timedelta(days=ahead):
        raise ValidationFailed(
            _("Pickups can be booked at most %(days)s days ahead") % {"days": ahead},
            field="starts_at",
        )
    local_day = timezone.localtime(starts_at).date()
    for window in carrier.windows(region=region, day=local_day):
        if window.starts_at == starts_at:
            return window
    raise ValidationFailed(
        _("The courier offers no window starting then"), field="starts_at"
    )


def _record(booking: PickupBooking, status: str, description: str, **kw) -> None:
    PickupScan.objects.create(
        booking=booking,
        status=status,
        description=description[:255],
        at=clock.now(),
        **kw,
    )
    emit(
        PickupStatusChanged(
            booking_id=booking.pk,
            return_id=booking.request_id,
            order_id=booking.request.order_id,
            shop_id=booking.request.order.shop_id,
            status=status,
        )
    )


def _transition(booking: PickupBooking, new: str, **fields) -> PickupBooking:
    """Compare-and-swap the booking's status; Conflict if it moved meanwhile."""
    old = booking.status
    states.check(old, new)
    if not PickupBooking.objects.filter(pk=booking.pk, status=old).update(
        status=new, **fields
    ):
        raise Conflict(_("The pickup changed meanwhile; reload and try again"))
    booking.status = new
    for key, value in fields.items():
        setattr(booking, key, value)
    return booking


def _take_place(carrier, region: str, window: Window) -> PickupSlot:
    slot = PickupSlot.objects.filter(
        carrier=carrier.name, region=region, starts_at=window.starts_at
    ).first()
    if slot is None:
        try:
            with transaction.atomic():
                slot = PickupSlot.objects.create(
                    carrier=carrier.name,
                    region=region,
                    starts_at=window.starts_at,
                    ends_at=window.ends_at,
                    capacity=window.capacity,
                )
        except IntegrityError:  # created by a racing booking
            slot = PickupSlot.objects.get(
                carrier=carrier.name, region=region, starts_at=window.starts_at
            )
    if not PickupSlot.objects.filter(pk=slot.pk, booked__lt=F("capacity")).update(
        booked=F("booked") + 1
    ):
        raise Conflict(_("That window is full; choose another one"), code="slot_full")
    return slot


@transaction.atomic
def book_pickup(
    *,
    request: ReturnRequest,
    buyer,
    starts_at: dt.datetime,
    carrier: str = "sandbox",
) -> PickupBooking:
    """Book a courier to collect an approved return at the delivery address.

    NotFound for someone else's return; Conflict when the return is not
    approved (or already on its way), it has an active booking (rebook
    instead), or the window is full; ValidationFailed for a window the
    courier does not offer, in the past, or too far ahead. The courier
    confirms at once or the whole booking is rolled back.
    """
    request = (
        ReturnRequest.objects.select_for_update()
        .select_related("order")
        .filter(pk=request.pk)
        .first()
    )
    if request is None or request.buyer_id != buyer.pk:
        raise NotFound(_("No such return"))
    if request.status != ReturnRequest.Status.APPROVED:
        raise Conflict(
            _(
                "A pickup can be booked once the shop has approved the return and "
                "before the parcel is sent"
            ),
            code="not_bookable",
        )
    if PickupBooking.objects.filter(
        request=request, status__in=list(states.ACTIVE)
    ).exists():
        raise Conflict(
            _("This return already has a pickup booked; rebook it instead"),
            code="pickup_exists",
        )
    courier = carrier_named(carrier)
    region = region_of(request)
    window = offered_window(courier, region=region, starts_at=starts_at)
    slot = _take_place(courier, region, window)
    address = dict(request.order.shipping_address)
    try:
        with transaction.atomic():
            booking = PickupBooking.objects.create(
                request=request,
                slot=slot,
                buyer=buyer,
                address=address,
                created_at=clock.now(),
            )
    except IntegrityError as exc:
        raise Conflict(
            _("This return already has a pickup booked"), code="pickup_exists"
        ) from exc
    _record(
        booking,
        P.BOOKED,
        reasons.PICKUP_BOOKED.text(courier=courier.label),
        actor=buyer,
    )
    try:
        confirmation = courier.book(
            reference=f"return:{request.pk}:pickup:{booking.pk}",
            region=region,
            address=address,
            window=window,
        )
    except CarrierRefused as exc:
        raise Conflict(
            _("The courier refused the booking: %(reason)s") % {"reason": exc}
        ) from exc
    _transition(
        booking,
        P.CONFIRMED,
        carrier_ref=confirmation.carrier_ref[:64],
        tracking_number=confirmation.tracking_number[:64],
    )
    _record(booking, P.CONFIRMED, reasons.PICKUP_CONFIRMED.text(courier=courier.label))
    return booking


def _active_booking_of(booking: PickupBooking, buyer) -> PickupBooking:
    locked = (
        PickupBooking.objects.select_for_update()
        .select_related("slot", "request__order")
        .filter(pk=booking.pk)
        .first()
    )
    if locked is None or locked.buyer_id != buyer.pk:
        raise NotFound(_("No such pickup"))
    if locked.status not in states.ACTIVE:
        raise Conflict(
            _("This pickup is %(status)s; it cannot be changed")
            % {"status": states.pickup_status_words(locked.status)},
            code="invalid_transition",
        )
    if locked.slot.starts_at <= clock.now():
        raise Conflict(
            _("The pickup window has started; it can no longer be changed"),
            code="window_started",
        )
    return locked


def _cancel(booking: PickupBooking, *, buyer, reason: str) -> PickupBooking:
    booking = _transition(booking, P.CANCELLED, cancelled_at=clock.now())
    PickupSlot.objects.filter(pk=booking.slot_id, booked__gt=0).update(
        booked=F("booked") - 1
    )
    carrier_named(booking.slot.carrier).cancel(carrier_ref=booking.carrier_ref)
    _record(booking, P.CANCELLED, reason, actor=buyer)
    return booking


@transaction.atomic
def cancel_pickup(*, booking: PickupBooking, buyer) -> PickupBooking:
    """The buyer cancels a booked pickup before its window starts; the place
    in the slot is freed. NotFound for others' pickups; Conflict after the
    window started or once collected."""
    locked = _active_booking_of(booking, buyer)
    return _cancel(locked, buyer=buyer, reason=reasons.PICKUP_CANCELLED.text())


@transaction.atomic
def rebook_pickup(
    *, booking: PickupBooking, buyer, starts_at: dt.datetime
) -> PickupBooking:
    """Move a pickup to another window: the old booking is cancelled and a
    new one made in one transaction (if the new window is full or invalid,
    the old booking stays as it was)."""
    locked = _active_booking_of(booking, buyer)
    _cancel(locked, buyer=buyer, reason=reasons.PICKUP_REBOOKED.text())
    return book_pickup(
        request=locked.request,
        buyer=buyer,
        starts_at=starts_at,
        carrier=locked.slot.carrier,
    )


@transaction.atomic
def record_pickup_scan(
    *,
    booking: PickupBooking,
    status: str,
    description: str = "",
    place: str = "",
    actor=None,
) -> PickupBooking:
    """A courier's scan: ``picked_up``, ``in_transit`` or ``delivered`` (to
    the shop). Picking up ships the return back (core ``ship_return`` with
    the courier's tracking number). ValidationFailed for another status;
    Conflict for a scan out of order (a cancelled or delivered pickup)."""
    if status not in states.SCANS:
        raise ValidationFailed(
            _("A scan is picked_up, in_transit or delivered"), field="status"
        )
    if len(description) > 255 or len(place) > 120:
        raise ValidationFailed(_("The scan's description or place is too long"))
    locked = (
        PickupBooking.objects.select_for_update()
        .select_related("slot", "request__order")
        .filter(pk=booking.pk)
        .first()
    )
    if locked is None:
        raise NotFound(_("No such pickup"))
    _transition(locked, status)
    courier = carrier_named(locked.slot.carrier)
    _record(
        locked,
        status,
        description or P(status).label,
        place=place,
        actor=actor if getattr(actor, "pk", None) else None,
    )
    if status == P.PICKED_UP:
        fulfilment.ship_return(
            request=locked.request,
            by=locked.buyer,
            carrier=courier.label,
            tracking_number=locked.tracking_number or f"PICKUP{locked.pk}",
        )
    return locked
