"""HTTP API: fulfilment and returns."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["Fulfilment and returns"])
