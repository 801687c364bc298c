"""Outgoing webhooks: endpoints, fan-out of committed events, delivery.

An endpoint is owned by the platform or by one party (``owner_kind`` such as
"shop" with ``owner_id``); infra knows nothing of those models. The scoping
rule is generic: a platform endpoint receives every event it subscribes to;
an endpoint owned by ``<kind>`` #N receives only events whose payload carries
``<kind>_id == N`` (or N in ``<kind>_ids``).

:func:`fan_out` is an outbox subscriber: for each committed event it creates
one :class:`WebhookDelivery` per matching active endpoint. The unique
(endpoint, event) pair and the outbox's ``HandlerRun`` make a replayed relay
harmless. :func:`deliver_due` (the ``webhooks.deliver`` job) POSTs what is due;
every attempt is logged; failures back off exponentially by ``kernel.clock``
until ``EMPORIA["WEBHOOK_MAX_ATTEMPTS"]``, then the delivery is FAILED.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import secrets
import time
from urllib.parse import urlsplit

import httpx
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from emporia.infra import retention, signing
from emporia.infra.outbox.models import OutboxEvent
from emporia.infra.outbox.services import relay_memo
from emporia.kernel import clock
from emporia.kernel import events as kevents
from emporia.kernel.errors import NotFound, ValidationFailed

from . import addresses
from .models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

log = logging.getLogger(__name__)

ALL_TOPICS = "*"
PLATFORM = "platform"
MAX_ENDPOINTS_PER_OWNER = 20
MAX_DELAY = dt.timedelta(hours=6)
_url_validator = URLValidator(schemes=["http", "https"])


def _conf(key: str, default):
    return settings.EMPORIA.get(key, default)


def max_attempts() -> int:
    return int(_conf("WEBHOOK_MAX_ATTEMPTS", 8))


def retry_delay(attempts: int) -> dt.timedelta:
    """How long to wait after the ``attempts``-th failed attempt: base × 2^(n-1)."""
    base = float(_conf("WEBHOOK_RETRY_BASE_SECONDS", 10))
    return min(dt.timedelta(seconds=base * 2 ** max(attempts - 1, 0)), MAX_DELAY)


# -- endpoints ------------------------------------------------------------------
def _check_url(url: str) -> str:
    url = (url or "").strip()
    if len(url) > 500:
        raise ValidationFailed(_("The URL is longer than 500 characters"), field="url")
    try:
        _url_validator(url)
    except ValidationError as exc:
        raise ValidationFailed(
            _("The URL must be an absolute http:// or https:// address"), field="url"
        ) from exc
    if urlsplit(url).username or urlsplit(url).password:
        raise ValidationFailed(_("Put no credentials in the URL"), field="url")
    try:
        addresses.check_url(url)
    except addresses.Refused as exc:
        raise ValidationFailed(str(exc), field="url") from exc
    return url


def _check_topics(topics: list[str]) -> list[str]:
    if not topics:
        raise ValidationFailed(_("Subscribe to at least one topic, or '*'"))
    wanted = sorted(set(topics))
    if ALL_TOPICS in wanted:
        return [ALL_TOPICS]
    known = set(kevents.topics())
    unknown = [t for t in wanted if t not in known]
    if unknown:
        raise ValidationFailed(
            _("Unknown topic(s): %(topics)s") % {"topics": ", ".join(unknown)},
            field="topics",
            unknown=unknown,
            known=sorted(known),
        )
    return wanted


@transaction.atomic
def create_endpoint(
    *,
    owner_kind: str,
    owner_id: int | None,
    url: str,
    topics: list[str],
    created_by=None,
) -> WebhookEndpoint:
    """Register ``url`` for ``topics`` (or ``["*"]``) on behalf of an owner.

    Generates the signing secret; the caller shows ``endpoint.secret`` once,
    in the answer to this request, and never lists it again. Raises
    ValidationFailed for a non-http(s) URL, an unknown topic or too many
    endpoints.
    """
    if owner_kind != PLATFORM and owner_id is None:
        raise ValidationFailed(
            _("A %(kind)s endpoint needs an owner id") % {"kind": owner_kind}
        )
    url = _check_url(url)
    topics = _check_topics(topics)
    count = WebhookEndpoint.objects.filter(
        owner_kind=owner_kind, owner_id=owner_id
    ).count()
    if count >= MAX_ENDPOINTS_PER_OWNER:
        raise ValidationFailed(
            _("At most %(max)s webhook endpoints per owner")
            % {"max": MAX_ENDPOINTS_PER_OWNER}
        )
    return WebhookEndpoint.objects.create(
        owner_kind=owner_kind,
        owner_id=owner_id,
        url=url,
        topics=topics,
        secret="whsec_" + secrets.token_urlsafe(32),
        created_by=created_by,
        created_at=clock.now(),
    )


@transaction.atomic
def delete_endpoint(*, owner_kind: str, owner_id: int | None, endpoint_id: int) -> None:
    """Delete an owner's endpoint with its deliveries and their log; NotFound
    when the owner has no such endpoint."""
    deleted, _by_model = WebhookEndpoint.objects.filter(
        pk=endpoint_id, owner_kind=owner_kind, owner_id=owner_id
    ).delete()
    if not deleted:
        raise NotFound(_("No such webhook endpoint"))


@transaction.atomic
def redeliver(
    *, owner_kind: str, owner_id: int | None, delivery_id: int
) -> WebhookDelivery:
    """Send a delivery again from the next job run, with a fresh attempt budget.

    Works on delivered, failed and pending deliveries alike; the earlier
    attempts stay in the log.
    """
    updated = WebhookDelivery.objects.filter(
        pk=delivery_id, endpoint__owner_kind=owner_kind, endpoint__owner_id=owner_id
    ).update(
        status=WebhookDelivery.Status.PENDING,
        attempts=0,
        next_attempt_at=clock.now(),
        delivered_at=None,
    )
    if not updated:
        raise NotFound(_("No such webhook delivery"))
    return WebhookDelivery.objects.get(pk=delivery_id)


# -- fan-out (outbox subscriber) --------------------------------------------------
def _owner_filter(payload: dict) -> Q:
    """Endpoints entitled to an event with this payload (the generic rule)."""
    entitled = Q(owner_kind=PLATFORM)
    for key, value in payload.items():
        if key.endswith("_ids") and isinstance(value, list):
            ids = [v for v in value if isinstance(v, int) and not isinstance(v, bool)]
            if ids:
                entitled |= Q(owner_kind=key[:-4], owner_id__in=ids)
        elif (
            key.endswith("_id")
            and isinstance(value, int)
            and not isinstance(value, bool)
        ):
            entitled |= Q(owner_kind=key[:-3], owner_id=value)
    return entitled


def endpoints_for_event(row: OutboxEvent) -> list[WebhookEndpoint]:
    # Most events of a relay chunk find no endpoint at all: ask that once per
    # chunk rather than run the owner query for every event.
    if not relay_memo(
        "webhooks.any_active",
        lambda: WebhookEndpoint.objects.filter(is_active=True).exists(),
    ):
        return []
    candidates = WebhookEndpoint.objects.filter(is_active=True).filter(
        _owner_filter(row.payload or {})
    )
    return [e for e in candidates if ALL_TOPICS in e.topics or row.topic in e.topics]


def fan_out(row: OutboxEvent) -> int:
    """Outbox subscriber on "*": one pending delivery per matching endpoint.

    Idempotent: running it again for the same event creates nothing new.
    """
    now = clock.now()
    deliveries = [
        WebhookDelivery(endpoint=e, event=row, next_attempt_at=now, created_at=now)
        for e in endpoints_for_event(row)
    ]
    if deliveries:
        WebhookDelivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    return len(deliveries)


# -- delivery (the webhooks.deliver job) ------------------------------------------
def body_for(event: OutboxEvent) -> bytes:
    """The JSON body POSTed for an event (the same bytes on every attempt)."""
    return json.dumps(
        {
            "id": event.pk,
            "topic": event.topic,
            "version": event.version,
            "occurred_at": event.occurred_at.isoformat(),
            "data": event.payload,
        },
        cls=DjangoJSONEncoder,
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()


def _claim(pk: int, attempts: int, next_attempt_at: dt.datetime) -> bool:
    """Take one due delivery with a compare-and-swap: only one worker wins.

    The winner also pushes ``next_attempt_at`` out by the retry delay, so a
    worker that dies mid-request leaves the row to be retried later, not lost.
    """
    return bool(
        WebhookDelivery.objects.filter(
            pk=pk,
            status=WebhookDelivery.Status.PENDING,
            attempts=attempts,
            next_attempt_at=next_attempt_at,
        ).update(
            attempts=attempts + 1,
            next_attempt_at=clock.now() + retry_delay(attempts + 1),
        )
    )


def _post(http: httpx.Client, delivery: WebhookDelivery) -> tuple[int | None, str, int]:
    body = body_for(delivery.event)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Emporia-Webhooks/1",
        "X-Emporia-Event": delivery.event.topic,
        "X-Emporia-Delivery": str(delivery.pk),
        "X-Emporia-Signature": signing.sign(delivery.endpoint.secret, body),
    }
    started = time.monotonic()
    status_code, error = None, ""
    try:
        # resolved and checked now, and sent to the address checked
        target = addresses.resolve(delivery.endpoint.url)
    except addresses.Refused as exc:
        return None, f"Refused: {exc}"[:500], 0
    headers["Host"] = target.host_header
    extensions = {"sni_hostname": target.tls_name} if target.tls_name else {}
    try:
        response = http.post(
            target.url, content=body, headers=headers, extensions=extensions
        )
        status_code = response.status_code
        if not 200 <= status_code < 300:
            error = f"HTTP {status_code}: {response.text[:200]}"
    except httpx.TimeoutException:
        error = f"No answer within {http.timeout.read} s"
    except httpx.HTTPError as exc:
        error = f"{type(exc).__name__}: {exc}"
    duration_ms = int((time.monotonic() - started) * 1000)
    return status_code, error[:500], duration_ms


def _record(
    delivery: WebhookDelivery, status_code: int | None, error: str, duration_ms: int
) -> None:
    now = clock.now()
    ok = status_code is not None and 200 <= status_code < 300
    with transaction.atomic():
        WebhookAttempt.objects.create(
            delivery=delivery,
            at=now,
            status_code=status_code,
            error=error,
            duration_ms=duration_ms,
        )
        claimed = WebhookDelivery.objects.filter(
            pk=delivery.pk, attempts=delivery.attempts
        )
        if ok:
            claimed.update(status=WebhookDelivery.Status.DELIVERED, delivered_at=now)
        elif delivery.attempts >= max_attempts():
            claimed.update(status=WebhookDelivery.Status.FAILED)
        else:
            claimed.update(next_attempt_at=now + retry_delay(delivery.attempts))


def deliver_due(
    *, limit: int = 100, transport: httpx.BaseTransport | None = None
) -> int:
    """POST every due pending delivery once; returns how many were attempted.

    Safe to run on several workers at once: each row is claimed with a
    compare-and-swap on (attempts, next_attempt_at) before its request.
    """
    due = list(
        WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.PENDING,
            next_attempt_at__lte=clock.now(),
            endpoint__is_active=True,
        )
        .order_by("next_attempt_at", "id")
        .values_list("pk", "attempts", "next_attempt_at")[:limit]
    )
    if not due:
        return 0
    attempted = 0
    timeout = float(_conf("WEBHOOK_TIMEOUT_SECONDS", 5))
    with httpx.Client(
        timeout=timeout, follow_redirects=False, transport=transport
    ) as http:
        for pk, attempts, next_attempt_at in due:
            if not _claim(pk, attempts, next_attempt_at):
                continue
            delivery = WebhookDelivery.objects.select_related("endpoint", "event").get(
                pk=pk
            )
            status_code, error, duration_ms = _post(http, delivery)
            _record(delivery, status_code, error, duration_ms)
            attempted += 1
    return attempted


def purge_finished() -> int:
    """Delete delivered and failed deliveries (with their attempt logs) whose
    last attempt is older than ``EMPORIA["WEBHOOK_LOG_RETENTION_DAYS"]``
    (default 30); pending ones stay. Returns how many deliveries went."""
    before = retention.cutoff("WEBHOOK_LOG_RETENTION_DAYS", 30)
    finished = [WebhookDelivery.Status.DELIVERED, WebhookDelivery.Status.FAILED]
    return retention.purge(
        lambda: (
            WebhookDelivery.objects.filter(status__in=finished)
            .exclude(log__at__gte=before)
            .filter(created_at__lt=before)
        )
    )
