"""HTTP API: webhooks — shop staff manage their shop's endpoints.

The signing secret is in the answer to the create request only. Deliveries
are listed per endpoint with every attempt; any of them can be sent again.
Someone who does not work at the shop gets 404 for all of it.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from emporia.core.accounts import selectors as accounts
from emporia.infra.webhooks import selectors, services

from .auth import AUTH

router = Router(tags=["Webhooks"])

SHOP = "shop"


class EndpointIn(Schema):
    url: str = Field(max_length=500, examples=["https://erp.example.com/emporia"])
    topics: list[str] = Field(
        min_length=1, max_length=100, examples=[["orders.order_paid"], ["*"]]
    )


class EndpointOut(Schema):
    id: int
    url: str
    topics: list[str]
    is_active: bool
    created_at: dt.datetime


class EndpointCreated(EndpointOut):
    secret: str = Field(description="The signing secret; shown only this once")


class AttemptOut(Schema):
    at: dt.datetime
    status_code: int | None
    error: str
    duration_ms: int


class DeliveryOut(Schema):
    id: int
    event_id: int
    topic: str
    status: str
    attempts: int
    next_attempt_at: dt.datetime
    delivered_at: dt.datetime | None
    log: list[AttemptOut]

    @staticmethod
    def resolve_topic(obj) -> str:
        return obj.event.topic

    @staticmethod
    def resolve_log(obj) -> list:
        return list(obj.log.all())


def _shop_id(request: HttpRequest, shop_id: int) -> int:
    return accounts.staff_shop(user=request.auth, shop_id=shop_id).pk


@router.get("shops/{shop_id}/endpoints", auth=AUTH, response=list[EndpointOut])
def list_endpoints(request, shop_id: int):
    owner_id = _shop_id(request, shop_id)
    return list(selectors.endpoints_for(owner_kind=SHOP, owner_id=owner_id))


@router.post("shops/{shop_id}/endpoints", auth=AUTH, response={201: EndpointCreated})
def create_endpoint(request, shop_id: int, payload: EndpointIn):
    owner_id = _shop_id(request, shop_id)
    endpoint = services.create_endpoint(
        owner_kind=SHOP,
        owner_id=owner_id,
        url=payload.url,
        topics=payload.topics,
        created_by=request.auth,
    )
    return Status(201, endpoint)


@router.delete(
    "shops/{shop_id}/endpoints/{endpoint_id}", auth=AUTH, response={204: None}
)
def delete_endpoint(request, shop_id: int, endpoint_id: int):
    owner_id = _shop_id(request, shop_id)
    services.delete_endpoint(
        owner_kind=SHOP, owner_id=owner_id, endpoint_id=endpoint_id
    )
    return Status(204, None)


@router.get(
    "shops/{shop_id}/endpoints/{endpoint_id}/deliveries",
    auth=AUTH,
    response=list[DeliveryOut],
)
def list_deliveries(request, shop_id: int, endpoint_id: int):
    owner_id = _shop_id(request, shop_id)
    endpoint = selectors.endpoint_for(
        owner_kind=SHOP, owner_id=owner_id, endpoint_id=endpoint_id
    )
    return selectors.deliveries_for(endpoint=endpoint)


@router.post(
    "shops/{shop_id}/deliveries/{delivery_id}/redeliver",
    auth=AUTH,
    response={202: DeliveryOut},
)
def redeliver(request, shop_id: int, delivery_id: int):
    owner_id = _shop_id(request, shop_id)
    services.redeliver(owner_kind=SHOP, owner_id=owner_id, delivery_id=delivery_id)
    return Status(
        202,
        selectors.delivery_for(
            owner_kind=SHOP, owner_id=owner_id, delivery_id=delivery_id
        ),
    )
