"""Plug trade governance into the core: settlement policy, event handlers, job."""

from __future__ import annotations

from emporia.core.orders.extensions import settlement_policies

from . import handlers, jobs  # noqa: F401  (jobs registers the scoring job)
from .policies import WithholdFlaggedTrades


def ready() -> None:
    settlement_policies.register(
        "c2c.governance_withhold", WithholdFlaggedTrades(), priority=10
    )
    handlers.register()
