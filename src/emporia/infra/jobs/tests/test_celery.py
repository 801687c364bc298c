"""Jobs on Celery: the same registry, run by a real worker over Redis."""

import os
import time
import uuid

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.db import transaction

from emporia.infra.jobs.celery_app import TASK, beat_schedule, create_app
from emporia.infra.jobs.models import JobRun
from emporia.infra.jobs.registry import jobs
from emporia.infra.outbox.models import HandlerRun, OutboxEvent
from emporia.infra.outbox.services import emit, subscribe
from emporia.kernel.events import event

REDIS_URL = os.environ.get("EMPORIA_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@event("jobs_test.parcel_weighed")
class ParcelWeighed:
    grams: int


weighed: list[int] = []
subscribe(
    "jobs_test.parcel_weighed",
    lambda e: weighed.append(e.grams),
    name="jobs_test.weigh",
)


@pytest.fixture
def broker_url():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        pytest.skip(
            f"Redis is unreachable at {REDIS_URL} (set EMPORIA_TEST_REDIS_URL): {exc}"
        )
    return REDIS_URL


def test_beat_schedule_has_one_entry_per_registered_job():
    schedule = beat_schedule()

    assert len(jobs) >= 3
    assert sorted(schedule) == sorted(f"job:{name}" for name in jobs.names())
    relay = schedule["job:outbox.relay"]
    assert relay["task"] == TASK
    assert relay["args"] == ("outbox.relay",)
    assert relay["schedule"] == 1.0
    assert schedule["job:webhooks.deliver"]["schedule"] == 2.0
    assert create_app().conf.beat_schedule == schedule


@pytest.mark.django_db(transaction=True)
def test_a_celery_worker_runs_the_outbox_relay_job(broker_url):
    weighed.clear()
    with transaction.atomic():
        row = emit(ParcelWeighed(grams=1250))
    app = create_app(
        broker_url=broker_url,
        result_backend=None,
        task_default_queue=f"emporia-test-{uuid.uuid4().hex}",
        broker_connection_retry_on_startup=False,
    )

    with start_worker(app, perform_ping_check=False, shutdown_timeout=10):
        app.tasks[TASK].delay("outbox.relay")
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if JobRun.objects.filter(
                name="outbox.relay", runner="celery", finished_at__isnull=False
            ).exists():
                break
            time.sleep(0.05)

    run = JobRun.objects.get(name="outbox.relay", runner="celery")
    assert run.error == ""
    assert run.processed == 1
    assert OutboxEvent.objects.get(pk=row.pk).dispatched_at is not None
    assert HandlerRun.objects.filter(event=row, handler="jobs_test.weigh").count() == 1
    assert weighed == [1250]
