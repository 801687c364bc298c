"""Inventory's periodic jobs."""

from __future__ import annotations

from emporia.infra.jobs.registry import job

from . import services


@job("inventory.expire_reservations", every_seconds=30)
def expire_reservations() -> int:
    """Release stock held by unpaid orders whose hold has expired."""
    return services.expire_reservations()
