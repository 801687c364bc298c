"""The published API description: every router's operations render."""

from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_the_openapi_document_describes_every_mounted_router(client):
    response = client.get("/api/openapi.json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    for prefix in (
        "/api/orders/",
        "/api/checkout/",
        "/api/c2c/credit/",
        "/api/c2c/ads/",
        "/api/c2c/governance/",
        "/api/c2c/",
        "/api/social/groups/",
        "/api/social/invites/",
        "/api/social/orchard/",
    ):
        assert any(p.startswith(prefix) for p in paths), prefix


@pytest.mark.django_db
def test_a_group_campaign_listing_needs_a_positive_product_id(client):
    response = client.get("/api/social/groups/campaigns?product_id=0")

    assert response.status_code == 422
