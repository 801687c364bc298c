"""Tunable rules of the C2C trust features, read from ``settings.EMPORIA``
with these defaults (so a deployment changes them without code)."""

from __future__ import annotations

from django.conf import settings

DEFAULTS = {
    # The buyer may push the automatic escrow release back once, by this much.
    "C2C_EXTENSION_DAYS": 5,
    # The seller answers a dispute within this many days; after that an
    # operator may rule without the answer.
    "C2C_DISPUTE_ANSWER_DAYS": 3,
    "C2C_EVIDENCE_PER_PARTY": 10,
    "C2C_EVIDENCE_MAX_BYTES": 2 * 1024 * 1024,
    # Listing limits of individual shops: (good orders at least, listed
    # products at most); None means no limit. Good orders = completed orders
    # minus disputes the seller lost.
    "C2C_LISTING_TIERS": [(0, 50), (10, 200), (50, 1000), (200, None)],
    # Doorstep pickup: windows the sandbox courier offers each day (local
    # hours), places per window, and how many days ahead one may book.
    "C2C_PICKUP_WINDOWS": [(9, 12), (12, 15), (15, 18), (18, 21)],
    "C2C_PICKUP_CAPACITY": 20,
    "C2C_PICKUP_DAYS_AHEAD": 7,
}


def get(name: str):
    return settings.EMPORIA.get(name, DEFAULTS[name])
