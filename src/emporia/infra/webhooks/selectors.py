"""Reads for webhook endpoints and deliveries, scoped to their owner."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from emporia.kernel.errors import NotFound

from .models import WebhookAttempt, WebhookDelivery, WebhookEndpoint


def endpoints_for(
    *, owner_kind: str, owner_id: int | None
) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.filter(
        owner_kind=owner_kind, owner_id=owner_id
    ).order_by("id")


def endpoint_for(
    *, owner_kind: str, owner_id: int | None, endpoint_id: int
) -> WebhookEndpoint:
    """The endpoint if this owner has it; else NotFound (never reveal others')."""
    endpoint = endpoints_for(owner_kind=owner_kind, owner_id=owner_id).filter(
        pk=endpoint_id
    )
    found = endpoint.first()
    if found is None:
        raise NotFound(_("No such webhook endpoint"))
    return found


def deliveries_for(
    *, endpoint: WebhookEndpoint, limit: int = 50
) -> list[WebhookDelivery]:
    """The latest deliveries to ``endpoint``, newest first, each with its attempts."""
    return list(
        WebhookDelivery.objects.filter(endpoint=endpoint)
        .select_related("event")
        .prefetch_related(
            Prefetch("log", queryset=WebhookAttempt.objects.order_by("at", "id"))
        )
        .order_by("-id")[:limit]
    )


def delivery_for(
    *, owner_kind: str, owner_id: int | None, delivery_id: int
) -> WebhookDelivery:
    delivery = (
        WebhookDelivery.objects.filter(
            pk=delivery_id,
            endpoint__owner_kind=owner_kind,
            endpoint__owner_id=owner_id,
        )
        .select_related("endpoint", "event")
        .first()
    )
    if delivery is None:
        raise NotFound(_("No such webhook delivery"))
    return delivery


def failing_deliveries(*, limit: int = 20) -> tuple[int, list[WebhookDelivery]]:
    """Deliveries that gave up or are being retried after a failed attempt:
    the count and the latest ``limit`` (operations console, every owner)."""
    qs = (
        WebhookDelivery.objects.filter(
            Q(status=WebhookDelivery.Status.FAILED)
            | Q(status=WebhookDelivery.Status.PENDING, attempts__gt=0)
        )
        .select_related("endpoint", "event")
        .order_by("-id")
    )
    return qs.count(), list(qs[: max(1, min(limit, 200))])
