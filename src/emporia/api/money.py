"""HTTP API: shop money."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["Shop money"])
