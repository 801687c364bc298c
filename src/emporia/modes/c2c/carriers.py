"""Couriers for doorstep pickup (上门取件): the real boundary, faked by a
sandbox courier.

A ``PickupCarrier`` offers time windows per region and day, accepts or
refuses a booking, and can be told of a cancellation. It reports scans of
the parcel afterwards (in production through its webhook; the sandbox
through ``pickup_sandbox.emit_scan``). Register carriers in
``pickup_carriers`` from ``AppConfig.ready()``.
"""

from __future__ import annotations

import datetime as dt
import secrets
import zoneinfo
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings

from emporia.kernel.registry import Registry

from . import trust_settings


@dataclass(frozen=True)
class Window:
    """A pickup window the courier offers, with its capacity."""

    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int


@dataclass(frozen=True)
class Confirmation:
    """The courier accepted: its booking reference and the parcel's tracking
    number for the way back to the shop."""

    carrier_ref: str
    tracking_number: str


class CarrierRefused(Exception):
    """The courier refused the booking (the caller rolls back)."""


class PickupCarrier(Protocol):
    name: str
    label: str

    def windows(self, *, region: str, day: dt.date) -> list[Window]:
        """The windows offered in ``region`` on ``day`` (platform local day)."""

    def book(
        self, *, reference: str, region: str, address: dict, window: Window
    ) -> Confirmation:
        """Book a pickup; raise CarrierRefused if the courier says no."""

    def cancel(self, *, carrier_ref: str) -> None:
        """Tell the courier a booking is cancelled (idempotent)."""


pickup_carriers: Registry[PickupCarrier] = Registry(
    "c2c.pickup_carriers", "Couriers that collect return parcels at the door"
)


class SandboxCourier:
    """A courier that serves every region with the windows of
    ``C2C_PICKUP_WINDOWS`` (local hours) and ``C2C_PICKUP_CAPACITY`` places
    each, and confirms every booking at once."""

    name = "sandbox"
    label = "Sandbox Courier"

    def windows(self, *, region: str, day: dt.date) -> list[Window]:
        zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        capacity = int(trust_settings.get("C2C_PICKUP_CAPACITY"))
        return [
            Window(
                dt.datetime.combine(day, dt.time(start), zone),
                dt.datetime.combine(day, dt.time(end), zone),
                capacity,
            )
            for start, end in trust_settings.get("C2C_PICKUP_WINDOWS")
        ]

    def book(
        self, *, reference: str, region: str, address: dict, window: Window
    ) -> Confirmation:
        token = secrets.token_hex(5).upper()
        return Confirmation(carrier_ref=f"SBX-{token}", tracking_number=f"SBXR{token}")

    def cancel(self, *, carrier_ref: str) -> None:
        return None
