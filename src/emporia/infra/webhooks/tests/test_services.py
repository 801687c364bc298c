import datetime as dt
import json
import threading

import pytest
from django.db import connection, transaction

from emporia.infra import signing
from emporia.infra.outbox.models import HandlerRun, OutboxEvent
from emporia.infra.outbox.services import emit, relay_pending
from emporia.infra.webhooks import services
from emporia.infra.webhooks.models import (
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from emporia.infra.webhooks.verify import verify_signature
from emporia.kernel.errors import NotFound, ValidationFailed
from emporia.kernel.events import event


@event("webhooks_test.parcel_shipped")
class ParcelShipped:
    shop_id: int
    parcel: str


@event("webhooks_test.price_changed")
class PriceChanged:
    shop_id: int
    sku_id: int


def emit_shipped(shop_id=7, parcel="SF123") -> OutboxEvent:
    with transaction.atomic():
        return emit(ParcelShipped(shop_id=shop_id, parcel=parcel))


def endpoint(url, *, owner_kind="platform", owner_id=None, topics=("*",)):
    return services.create_endpoint(
        owner_kind=owner_kind, owner_id=owner_id, url=url, topics=list(topics)
    )


# -- endpoints --------------------------------------------------------------------
@pytest.mark.django_db
def test_create_endpoint_generates_a_secret_and_keeps_topics():
    created = endpoint(
        "https://erp.example.com/hooks",
        owner_kind="shop",
        owner_id=3,
        topics=["webhooks_test.price_changed", "webhooks_test.parcel_shipped"],
    )

    assert created.secret.startswith("whsec_")
    assert len(created.secret) > 40
    assert created.topics == [
        "webhooks_test.parcel_shipped",
        "webhooks_test.price_changed",
    ]
    assert created.is_active


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "topics"),
    [
        ("ftp://example.com/hook", ["*"]),
        ("javascript:alert(1)", ["*"]),
        ("/relative/hook", ["*"]),
        ("https://user:pw@example.com/hook", ["*"]),
        ("https://example.com/hook", ["no_such.topic"]),
        ("https://example.com/hook", []),
    ],
)
def test_create_endpoint_refuses_bad_urls_and_unknown_topics(url, topics):
    with pytest.raises(ValidationFailed):
        endpoint(url, topics=topics)

    assert WebhookEndpoint.objects.count() == 0


@pytest.mark.django_db
def test_delete_endpoint_of_another_owner_is_not_found():
    mine = endpoint("https://a.example/h", owner_kind="shop", owner_id=1)

    with pytest.raises(NotFound):
        services.delete_endpoint(owner_kind="shop", owner_id=2, endpoint_id=mine.pk)
    assert WebhookEndpoint.objects.filter(pk=mine.pk).exists()

    services.delete_endpoint(owner_kind="shop", owner_id=1, endpoint_id=mine.pk)
    assert not WebhookEndpoint.objects.filter(pk=mine.pk).exists()


# -- fan-out ----------------------------------------------------------------------
@pytest.mark.django_db
def test_shop_endpoints_get_only_their_shops_events_platform_gets_all():
    platform = endpoint("https://ops.example/h")
    shop7 = endpoint("https://s7.example/h", owner_kind="shop", owner_id=7)
    shop8 = endpoint("https://s8.example/h", owner_kind="shop", owner_id=8)
    shop7_prices = endpoint(
        "https://s7.example/p",
        owner_kind="shop",
        owner_id=7,
        topics=["webhooks_test.price_changed"],
    )
    inactive = endpoint("https://off.example/h")
    WebhookEndpoint.objects.filter(pk=inactive.pk).update(is_active=False)

    row = emit_shipped(shop_id=7)
    relay_pending()

    got = set(
        WebhookDelivery.objects.filter(event=row).values_list("endpoint", flat=True)
    )
    assert got == {platform.pk, shop7.pk}
    assert shop8.pk not in got
    assert shop7_prices.pk not in got


@pytest.mark.django_db
def test_replaying_the_relay_does_not_duplicate_deliveries():
    endpoint("https://ops.example/h")
    endpoint("https://s7.example/h", owner_kind="shop", owner_id=7)
    row = emit_shipped(shop_id=7)
    relay_pending()
    assert WebhookDelivery.objects.count() == 2

    # A crashed relay is replayed from scratch: handler log lost, event pending.
    HandlerRun.objects.all().delete()
    OutboxEvent.objects.filter(pk=row.pk).update(dispatched_at=None)
    relay_pending()
    relay_pending()
    services.fan_out(OutboxEvent.objects.get(pk=row.pk))

    assert WebhookDelivery.objects.count() == 2


# -- delivery ---------------------------------------------------------------------
@pytest.mark.django_db
def test_delivery_posts_a_signed_json_event(receiver, frozen_clock):
    ep = endpoint(receiver.url, owner_kind="shop", owner_id=7)
    row = emit_shipped(shop_id=7, parcel="SF777")
    relay_pending()

    assert services.deliver_due() == 1

    [request] = receiver.requests
    delivery = WebhookDelivery.objects.get()
    assert request.path == "/hook"
    assert request.headers["X-Emporia-Event"] == "webhooks_test.parcel_shipped"
    assert request.headers["X-Emporia-Delivery"] == str(delivery.pk)
    assert request.headers["Content-Type"] == "application/json"
    t = int(frozen_clock.current.timestamp())
    assert request.headers["X-Emporia-Signature"].startswith(f"t={t},v1=")
    assert verify_signature(
        ep.secret, request.headers["X-Emporia-Signature"], request.body
    )
    assert json.loads(request.body) == {
        "id": row.pk,
        "topic": "webhooks_test.parcel_shipped",
        "version": 1,
        "occurred_at": "2026-11-11T10:00:00+00:00",
        "data": {"shop_id": 7, "parcel": "SF777"},
    }
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    assert delivery.attempts == 1
    assert delivery.delivered_at == frozen_clock.current
    [attempt] = delivery.log.all()
    assert attempt.status_code == 200
    assert attempt.error == ""
    # nothing is due any more
    assert services.deliver_due() == 0
    assert len(receiver.requests) == 1


@pytest.mark.django_db
def test_failing_receiver_is_retried_by_the_clock_then_failed(
    receiver, frozen_clock, settings
):
    receiver.status = 500
    endpoint(receiver.url)
    emit_shipped()
    relay_pending()
    max_attempts = settings.EMPORIA["WEBHOOK_MAX_ATTEMPTS"]
    assert max_attempts == 8

    assert services.deliver_due() == 1
    for attempt in range(1, max_attempts):
        delay = services.retry_delay(attempt)
        assert delay == dt.timedelta(seconds=10 * 2 ** (attempt - 1))
        frozen_clock.advance(seconds=delay.total_seconds() - 1)
        assert services.deliver_due() == 0, "retried before its backoff elapsed"
        frozen_clock.advance(seconds=1)
        assert services.deliver_due() == 1

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert delivery.attempts == max_attempts
    assert len(receiver.requests) == max_attempts
    log = list(delivery.log.all())
    assert [a.status_code for a in log] == [500] * max_attempts
    assert log[0].error == "HTTP 500: nope"
    frozen_clock.advance(days=1)
    assert services.deliver_due() == 0


@pytest.mark.django_db
def test_unreachable_receiver_logs_the_error(receiver, frozen_clock):
    url = receiver.url
    receiver.server.shutdown()
    receiver.server.server_close()
    endpoint(url)
    emit_shipped()
    relay_pending()

    services.deliver_due()

    attempt = WebhookAttempt.objects.get()
    assert attempt.status_code is None
    assert attempt.error.startswith("ConnectError")
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.PENDING
    assert delivery.next_attempt_at == frozen_clock.current + dt.timedelta(seconds=10)


@pytest.mark.django_db
def test_redeliver_sends_a_failed_delivery_again(receiver, frozen_clock, settings):
    settings.EMPORIA = {**settings.EMPORIA, "WEBHOOK_MAX_ATTEMPTS": 1}
    receiver.status = 503
    endpoint(receiver.url, owner_kind="shop", owner_id=7)
    emit_shipped(shop_id=7)
    relay_pending()
    services.deliver_due()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.FAILED

    with pytest.raises(NotFound):
        services.redeliver(owner_kind="shop", owner_id=8, delivery_id=delivery.pk)
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.FAILED

    receiver.status = 204
    services.redeliver(owner_kind="shop", owner_id=7, delivery_id=delivery.pk)
    services.deliver_due()

    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    assert [a.status_code for a in delivery.log.all()] == [503, 204]


@pytest.mark.django_db(transaction=True)
@pytest.mark.concurrency
def test_two_workers_deliver_each_due_delivery_once(receiver):
    receiver.delay = 0.2  # keep the first worker busy while the second looks
    endpoint(receiver.url)
    for n in range(3):
        emit_shipped(parcel=f"P{n}")
    relay_pending()
    barrier = threading.Barrier(2)
    results = []

    def worker():
        try:
            barrier.wait()
            results.append(services.deliver_due())
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sum(results) == 3
    assert len(receiver.requests) == 3
    assert WebhookAttempt.objects.count() == 3
    assert set(WebhookDelivery.objects.values_list("status", "attempts")) == {
        (WebhookDelivery.Status.DELIVERED, 1)
    }


# -- receivers --------------------------------------------------------------------
def test_verify_signature_rejects_tampering_wrong_secret_and_stale(frozen_clock):
    body = b'{"id":1}'
    header = signing.sign("whsec_a", body)

    assert verify_signature("whsec_a", header, body)
    assert not verify_signature("whsec_a", header, b'{"id":2}')
    assert not verify_signature("whsec_b", header, body)
    assert not verify_signature("whsec_a", "", body)
    assert not verify_signature("whsec_a", "t=abc,v1=00", body)
    frozen_clock.advance(seconds=301)
    assert not verify_signature("whsec_a", header, body)
    assert verify_signature("whsec_a", header, body, tolerance=600)
