"""Old log rows are purged after their retention period; nothing younger,
nothing pending and nothing another log still needs."""

import datetime as dt

import pytest
from django.db import transaction

from emporia.infra import retention
from emporia.infra.jobs.jobs import purge_job_log
from emporia.infra.jobs.models import JobRun
from emporia.infra.outbox.models import HandlerRun, OutboxEvent
from emporia.infra.outbox.services import emit, purge_dispatched, relay_pending
from emporia.infra.webhooks import services as webhooks
from emporia.infra.webhooks.models import (
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from emporia.infra.webhooks.tests.test_services import ParcelShipped

pytestmark = pytest.mark.django_db


def _event(parcel: str) -> OutboxEvent:
    with transaction.atomic():
        event = emit(ParcelShipped(shop_id=1, parcel=parcel))
    relay_pending()
    event.refresh_from_db()
    return event


def test_dispatched_events_go_after_30_days_with_their_handler_runs(frozen_clock):
    old = _event("OLD")
    assert old.dispatched_at is not None
    assert HandlerRun.objects.filter(event=old).exists()
    frozen_clock.advance(days=29)
    young = _event("YOUNG")
    with transaction.atomic():  # committed but never relayed: still pending
        pending = emit(ParcelShipped(shop_id=1, parcel="PENDING"))
    OutboxEvent.objects.filter(pk=pending.pk).update(
        next_attempt_at=frozen_clock() + dt.timedelta(days=99)
    )

    frozen_clock.advance(days=2)  # OLD is 31 days old, YOUNG 2
    assert purge_dispatched() == 1

    left = set(OutboxEvent.objects.values_list("payload__parcel", flat=True))
    assert left == {"YOUNG", "PENDING"}
    assert not HandlerRun.objects.filter(event_id=old.pk).exists()
    assert HandlerRun.objects.filter(event=young).exists()
    assert purge_dispatched() == 0  # a second run finds nothing more


def test_an_event_a_webhook_log_still_shows_stays_until_that_log_goes(
    frozen_clock, settings
):
    settings.EMPORIA = {**settings.EMPORIA, "WEBHOOK_ALLOWED_NETWORKS": ["127.0.0.0/8"]}
    endpoint = WebhookEndpoint.objects.create(
        owner_kind="platform", url="http://127.0.0.1:9/h", topics=["*"], secret="s"
    )
    event = _event("HOOKED")
    delivery = WebhookDelivery.objects.get(endpoint=endpoint, event=event)
    delivery.status = WebhookDelivery.Status.DELIVERED
    delivery.save()
    WebhookAttempt.objects.create(delivery=delivery, status_code=200)

    frozen_clock.advance(days=31)
    settings.EMPORIA = {**settings.EMPORIA, "WEBHOOK_LOG_RETENTION_DAYS": 60}
    assert purge_dispatched() == 0  # the delivery log (60 days) needs it
    assert webhooks.purge_finished() == 0
    assert OutboxEvent.objects.filter(pk=event.pk).exists()

    frozen_clock.advance(days=30)  # the log's 60 days are over
    assert webhooks.purge_finished() == 1
    assert not WebhookAttempt.objects.exists()
    assert purge_dispatched() == 1
    assert not OutboxEvent.objects.filter(pk=event.pk).exists()


def test_pending_deliveries_and_recent_attempts_are_kept(frozen_clock):
    endpoint = WebhookEndpoint.objects.create(
        owner_kind="platform", url="https://erp.example.com/h", topics=["*"], secret="s"
    )
    event = _event("RETRYING")
    delivery = WebhookDelivery.objects.get(endpoint=endpoint, event=event)
    frozen_clock.advance(days=40)
    # still being retried (pending), and a failed one with an attempt today
    assert webhooks.purge_finished() == 0
    delivery.status = WebhookDelivery.Status.FAILED
    delivery.save()
    WebhookAttempt.objects.create(delivery=delivery, status_code=500)
    assert webhooks.purge_finished() == 0
    assert WebhookDelivery.objects.filter(pk=delivery.pk).exists()


def test_job_runs_go_after_14_days_in_batches(frozen_clock, monkeypatch):
    monkeypatch.setattr(retention, "BATCH", 3)
    now = frozen_clock()
    JobRun.objects.bulk_create(
        [JobRun(name="x", started_at=now - dt.timedelta(days=15)) for _ in range(7)]
        + [JobRun(name="y", started_at=now - dt.timedelta(days=13))]
    )

    assert purge_job_log() == 7  # three batches: 3 + 3 + 1

    assert list(JobRun.objects.values_list("name", flat=True)) == ["y"]
