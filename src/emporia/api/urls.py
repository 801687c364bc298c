"""The REST API: one django-ninja router per app, assembled here.

OpenAPI at /api/openapi.json, interactive docs at /api/docs.
"""

from __future__ import annotations

from ninja import NinjaAPI

from . import (
    accounts,
    c2c_ads,
    c2c_credit,
    c2c_governance,
    c2c_trust,
    catalog,
    checkout,
    errors,
    fulfilment,
    inventory,
    money,
    orders,
    payments,
    reviews,
    search,
    social_groups,
    social_growth,
    webhooks,
)

api = NinjaAPI(
    title="Emporia API",
    version="1",
    description=(
        "The Emporia commerce platform: accounts, catalog, search, cart and "
        "checkout, orders, payments, fulfilment and returns, reviews, shop money "
        "and webhooks. Authenticate with `Authorization: Bearer <token>` or the "
        "web session."
    ),
    urls_namespace="api",
)
errors.install(api)

api.add_router("/accounts/", accounts.router)
api.add_router("/catalog/", catalog.router)
api.add_router("/search/", search.router)
api.add_router("/inventory/", inventory.router)
api.add_router("/money/", money.router)
api.add_router("/checkout/", checkout.router)
api.add_router("/orders/", orders.router)
api.add_router("/payments/", payments.router)
api.add_router("/fulfilment/", fulfilment.router)
api.add_router("/reviews/", reviews.router)
api.add_router("/webhooks/", webhooks.router)
api.add_router("/c2c/credit/", c2c_credit.router)
api.add_router("/social/invites/", social_growth.invites_router)
api.add_router("/social/orchard/", social_growth.orchard_router)
api.add_router("/c2c/ads/", c2c_ads.router)
api.add_router("/c2c/", c2c_trust.router)
api.add_router("/social/groups/", social_groups.router)
api.add_router("/c2c/governance/", c2c_governance.router)
