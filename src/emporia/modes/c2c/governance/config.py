"""Governance settings: ``EMPORIA["C2C_GOVERNANCE"]`` overrides these keys."""

from __future__ import annotations

from django.conf import settings

from .detectors import Thresholds
from .rings import RingRules

DEFAULTS = {
    # A trade at or above this score is flagged for review (escrow withheld).
    "FLAG_SCORE": 50,
    # At or above this score the scoring job penalises by itself (None: never).
    "AUTO_PENALTY_SCORE": 90,
    "AUTO_MEASURES": ["remove_sales", "withhold_escrow"],
    # Trades older than this are not scored and do not count in the graph.
    "WINDOW_DAYS": 180,
    "BATCH_SIZE": 2000,
}


def get(key: str):
    return {**DEFAULTS, **settings.EMPORIA.get("C2C_GOVERNANCE", {})}[key]


def thresholds() -> Thresholds:
    over = settings.EMPORIA.get("C2C_GOVERNANCE", {}).get("THRESHOLDS", {})
    return Thresholds(**over)


def ring_rules() -> RingRules:
    over = settings.EMPORIA.get("C2C_GOVERNANCE", {}).get("RING_RULES", {})
    return RingRules(**over)
