"""HTTP API: search."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["Search"])
