"""Doorstep pickup for returns: slots, capacity, cancel/rebook, scans, and
the refund through the core's return flow."""

import datetime as dt

import pytest
from django.utils import translation

from emporia.core.fulfilment import services as fulfilment
from emporia.core.fulfilment.models import ReturnRequest
from emporia.kernel.errors import Conflict, NotFound, ValidationFailed
from emporia.modes.c2c import pickup_sandbox
from emporia.modes.c2c.models import PickupBooking, PickupSlot
from emporia.modes.c2c.selectors import pickup as selectors
from emporia.modes.c2c.services import pickup
from tests.concurrency import race

from .trust_helpers import balances

# frozen_clock starts 2026-11-11 10:00 UTC = 18:00 in Asia/Shanghai
SH = dt.timezone(dt.timedelta(hours=8))
TOMORROW_9 = dt.datetime(2026, 11, 12, 9, tzinfo=SH)
TOMORROW_12 = dt.datetime(2026, 11, 12, 12, tzinfo=SH)


@pytest.fixture
def approved_return(delivered_order):
    def make(price="100.00"):
        order = delivered_order(price)
        request = fulfilment.request_return(
            order=order,
            buyer=order.buyer,
            lines=[(order.lines.get().pk, 1)],
            reason="Wrong size",
        )
        return fulfilment.approve_return(
            request=request, by=order.shop.members.get().user
        )

    return make


@pytest.mark.django_db
def test_windows_on_offer_start_after_now(frozen_clock, approved_return):
    request = approved_return()
    windows = selectors.offered_windows(request=request)
    # today 18:00 local: the 18–21 window has started; tomorrow's four are open
    assert windows[0].starts_at == TOMORROW_9
    assert windows[0].left == 20
    assert all(w.starts_at > frozen_clock() for w in windows)
    assert len(windows) == 7 * 4


@pytest.mark.django_db
def test_the_buyer_books_and_the_courier_confirms(frozen_clock, approved_return):
    request = approved_return()
    booking = pickup.book_pickup(
        request=request, buyer=request.buyer, starts_at=TOMORROW_9
    )
    assert booking.status == "confirmed"
    assert booking.tracking_number.startswith("SBXR")
    assert booking.address["city"] == request.order.shipping_address["city"]
    assert PickupSlot.objects.get().booked == 1
    assert [s.status for s in booking.scans.all()] == ["booked", "confirmed"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("starts_at", "message"),
    [
        (dt.datetime(2026, 11, 11, 9, tzinfo=SH), "started or passed"),
        (dt.datetime(2026, 11, 11, 18, tzinfo=SH), "started or passed"),
        (dt.datetime(2026, 11, 12, 10, tzinfo=SH), "no window"),
        (dt.datetime(2026, 11, 30, 9, tzinfo=SH), "7 days ahead"),
    ],
)
def test_past_odd_or_far_windows_are_refused(
    frozen_clock, approved_return, starts_at, message
):
    request = approved_return()
    with translation.override("en"), pytest.raises(ValidationFailed, match=message):
        pickup.book_pickup(request=request, buyer=request.buyer, starts_at=starts_at)
    assert PickupBooking.objects.count() == 0
    assert PickupSlot.objects.filter(booked__gt=0).count() == 0


@pytest.mark.django_db
def test_a_full_window_is_refused(frozen_clock, settings, approved_return):
    settings.EMPORIA = {**settings.EMPORIA, "C2C_PICKUP_CAPACITY": 1}
    first, second = approved_return(), approved_return()
    pickup.book_pickup(request=first, buyer=first.buyer, starts_at=TOMORROW_9)
    with translation.override("en"), pytest.raises(Conflict, match="full") as err:
        pickup.book_pickup(request=second, buyer=second.buyer, starts_at=TOMORROW_9)
    assert err.value.code == "slot_full"
    assert PickupBooking.objects.count() == 1
    assert PickupSlot.objects.get().booked == 1


@pytest.mark.django_db
def test_others_and_unapproved_returns_are_refused(
    frozen_clock, user, approved_return, delivered_order
):
    request = approved_return()
    with pytest.raises(NotFound):
        pickup.book_pickup(request=request, buyer=user, starts_at=TOMORROW_9)
    order = delivered_order()
    pending = fulfilment.request_return(
        order=order, buyer=order.buyer, lines=[(order.lines.get().pk, 1)], reason="x"
    )
    with translation.override("en"), pytest.raises(Conflict, match="approved"):
        pickup.book_pickup(request=pending, buyer=order.buyer, starts_at=TOMORROW_9)
    booking = pickup.book_pickup(
        request=request, buyer=request.buyer, starts_at=TOMORROW_9
    )
    with pytest.raises(NotFound):
        pickup.cancel_pickup(booking=booking, buyer=user)
    with translation.override("en"), pytest.raises(Conflict, match="rebook"):
        pickup.book_pickup(request=request, buyer=request.buyer, starts_at=TOMORROW_12)
    assert PickupBooking.objects.get().status == "confirmed"
    assert PickupSlot.objects.get().booked == 1


@pytest.mark.django_db
def test_cancel_frees_the_place_and_rebook_moves_it(frozen_clock, approved_return):
    request = approved_return()
    booking = pickup.book_pickup(
        request=request, buyer=request.buyer, starts_at=TOMORROW_9
    )
    moved = pickup.rebook_pickup(
        booking=booking, buyer=request.buyer, starts_at=TOMORROW_12
    )
    booked = dict(PickupSlot.objects.values_list("starts_at", "booked"))
    assert booked == {TOMORROW_9: 0, TOMORROW_12: 1}
    assert PickupBooking.objects.get(pk=booking.pk).status == "cancelled"
    pickup.cancel_pickup(booking=moved, buyer=request.buyer)
    assert PickupSlot.objects.get(starts_at=TOMORROW_12).booked == 0
    # and with no active booking the buyer may book again
    pickup.book_pickup(request=request, buyer=request.buyer, starts_at=TOMORROW_9)


@pytest.mark.django_db
def test_a_pickup_cannot_change_once_its_window_started(frozen_clock, approved_return):
    request = approved_return()
    booking = pickup.book_pickup(
        request=request, buyer=request.buyer, starts_at=TOMORROW_9
    )
    frozen_clock.set(TOMORROW_9 + dt.timedelta(minutes=1))
    with translation.override("en"), pytest.raises(Conflict, match="started"):
        pickup.cancel_pickup(booking=booking, buyer=request.buyer)
    assert PickupBooking.objects.get().status == "confirmed"


@pytest.mark.django_db
def test_scans_ship_the_return_and_the_shop_refunds_on_receipt(
    frozen_clock, approved_return
):
    # given a ¥100 return picked up at the door
    request = approved_return("100.00")
    shop_id = request.order.shop_id
    booking = pickup.book_pickup(
        request=request, buyer=request.buyer, starts_at=TOMORROW_9
    )
    frozen_clock.set(TOMORROW_9 + dt.timedelta(minutes=30))
    pickup_sandbox.emit_scan(booking, "picked_up")
    request.refresh_from_db()
    assert request.status == "shipped_back"
    assert request.return_tracking == booking.tracking_number
    pickup_sandbox.emit_scan(booking, "in_transit")
    pickup_sandbox.emit_scan(booking, "delivered")
    booking.refresh_from_db()
    assert booking.status == "delivered"
    assert [s.status for s in booking.scans.all()] == [
        "booked",
        "confirmed",
        "picked_up",
        "in_transit",
        "delivered",
    ]
    # when the shop receives the parcel (core return flow)
    fulfilment.receive_return(request=request, by=request.order.shop.members.get().user)
    # then the buyer is refunded from escrow
    assert ReturnRequest.objects.get(pk=request.pk).status == "refunded"
    assert balances(shop_id) == {
        "escrow": 0,
        "payable": 0,
        "commission": 0,
        "clearing": 0,
    }


@pytest.mark.django_db
def test_scans_out_of_order_are_refused(frozen_clock, approved_return):
    request = approved_return()
    booking = pickup.book_pickup(
        request=request, buyer=request.buyer, starts_at=TOMORROW_9
    )
    with pytest.raises(Conflict):
        pickup_sandbox.emit_scan(booking, "delivered")
    with pytest.raises(ValidationFailed):
        pickup.record_pickup_scan(booking=booking, status="lost")
    assert PickupBooking.objects.get().status == "confirmed"
    assert ReturnRequest.objects.get(pk=request.pk).status == "approved"


@pytest.mark.django_db(transaction=True)
def test_two_buyers_race_for_the_last_place(frozen_clock, settings, approved_return):
    settings.EMPORIA = {**settings.EMPORIA, "C2C_PICKUP_CAPACITY": 1}
    requests = [approved_return(), approved_return()]

    def book(i):
        pickup.book_pickup(
            request=requests[i], buyer=requests[i].buyer, starts_at=TOMORROW_9
        )
        return "booked"

    outcomes = race(2, book, expected=(Conflict,))
    assert sorted(outcomes) == ["Conflict", "booked"]
    assert PickupSlot.objects.get().booked == 1
    assert PickupBooking.objects.filter(status="confirmed").count() == 1
