"""Seller credit levels — 信用等级: Taobao's published table of points to
hearts, diamonds, crowns and golden crowns.

Pure Python (no Django) so the table can be property-tested on its own and
shown in the docs and the API exactly as the code uses it. This module is the
one place the thresholds live.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

# (lowest points of the level, tier, count of icons). A level runs up to one
# point below the next level's lowest points; the last is open-ended.
THRESHOLDS: tuple[tuple[int, str, int], ...] = (
    (4, "heart", 1),
    (11, "heart", 2),
    (41, "heart", 3),
    (91, "heart", 4),
    (151, "heart", 5),
    (251, "diamond", 1),
    (501, "diamond", 2),
    (1001, "diamond", 3),
    (2001, "diamond", 4),
    (5001, "diamond", 5),
    (10001, "crown", 1),
    (20001, "crown", 2),
    (50001, "crown", 3),
    (100001, "crown", 4),
    (200001, "crown", 5),
    (500001, "golden_crown", 1),
    (1000001, "golden_crown", 2),
    (2000001, "golden_crown", 3),
    (5000001, "golden_crown", 4),
    (10000001, "golden_crown", 5),
)
TIERS = ("none", "heart", "diamond", "crown", "golden_crown")
_STARTS = [t[0] for t in THRESHOLDS]


@dataclass(frozen=True)
class CreditLevel:
    """A published credit level: ``tier`` ("none" below 4 points, then
    "heart", "diamond", "crown", "golden_crown") with ``icons`` (1–5) and the
    inclusive point range ``low``..``high`` (``high`` None for the top)."""

    rank: int  # 0 for no level, 1..20 up the table
    tier: str
    icons: int
    low: int | None
    high: int | None

    @property
    def symbol(self) -> str:
        """A plain-text rendering such as "♥♥" or "◆◆◆" (also for the API)."""
        glyph = {"heart": "♥", "diamond": "◆", "crown": "♛", "golden_crown": "♚"}
        return glyph.get(self.tier, "") * self.icons


def _level(rank: int) -> CreditLevel:
    if rank == 0:
        return CreditLevel(0, "none", 0, None, _STARTS[0] - 1)
    low, tier, icons = THRESHOLDS[rank - 1]
    high = _STARTS[rank] - 1 if rank < len(THRESHOLDS) else None
    return CreditLevel(rank, tier, icons, low, high)


LEVELS: tuple[CreditLevel, ...] = tuple(_level(r) for r in range(len(THRESHOLDS) + 1))


def level_for(points: int) -> CreditLevel:
    """The level a seller with ``points`` credit points holds. Points below 4
    (including negative points) hold no level."""
    return LEVELS[bisect.bisect_right(_STARTS, points)]
