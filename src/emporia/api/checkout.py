"""HTTP API: cart and checkout."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["Cart and checkout"])
