"""Settings of invite rewards and the orchard, with defaults.

Override any key in ``settings.EMPORIA["SOCIAL_INVITES"]`` or
``settings.EMPORIA["SOCIAL_ORCHARD"]``; read at call time, so tests may
change them with pytest-django's ``settings`` fixture.
"""

from __future__ import annotations

from django.conf import settings

INVITE_DEFAULTS = {
    # Platform credit the inviter gets per rewarded invite (major units).
    "reward": "5.00",
    "currency": "CNY",
    # Rewarded invites per inviter per local day, and in total.
    "daily_cap": 5,
    "total_cap": 100,
    # A buyer who signed up without a link may type a code in this long.
    "code_entry_days": 7,
}

ORCHARD_DEFAULTS = {
    # task: (water per grant, grants per day)
    "tasks": {
        "check_in": (10, 1),
        "browse": (15, 1),
        "share": (5, 3),
        "invite": (20, 2),
        "buy": (30, 1),
    },
    # All tasks together, per buyer per local day.
    "daily_water_cap": 100,
    "browse_seconds": 30,
    # (stage, water needed to reach it), in growing order; the last is ripe.
    "stages": [
        ("seed", 0),
        ("sprout", 30),
        ("sapling", 100),
        ("flowering", 200),
        ("fruiting", 320),
        ("ripe", 450),
    ],
}


def invites() -> dict:
    return {**INVITE_DEFAULTS, **settings.EMPORIA.get("SOCIAL_INVITES", {})}


def orchard() -> dict:
    return {**ORCHARD_DEFAULTS, **settings.EMPORIA.get("SOCIAL_ORCHARD", {})}
