"""HTTP API: accounts."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["Accounts"])
