"""The REST API: one django-ninja router per app, assembled here."""

from __future__ import annotations

from ninja import NinjaAPI

api = NinjaAPI(
    title="Emporia API",
    version="1",
    description="The Emporia commerce platform: catalog, cart, checkout, orders, "
    "payments, fulfilment, reviews, search and shop money.",
    urls_namespace="api",
)
