"""The outbox: events exist only with their change, and each handler runs once."""

import pytest
from django.db import transaction

from emporia.infra.outbox import services
from emporia.infra.outbox.models import HandlerRun, OutboxEvent
from emporia.kernel.events import event


@event("tests.outbox_probe")
class OutboxProbe:
    n: int


@pytest.fixture
def seen():
    calls = []
    services.subscribe(
        "tests.outbox_probe", lambda e: calls.append(e.n), name="tests.probe"
    )
    yield calls
    services._subscribers.pop("tests.probe", None)


@pytest.mark.django_db(transaction=True)
def test_emit_refuses_to_run_outside_a_transaction():
    with pytest.raises(RuntimeError, match=r"inside transaction\.atomic"):
        services.emit(OutboxProbe(n=1))
    assert OutboxEvent.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_an_event_rolled_back_with_its_change_is_never_delivered(seen):
    def change_that_fails():
        with transaction.atomic():
            services.emit(OutboxProbe(n=1))
            raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        change_that_fails()
    assert services.relay_pending() == 0
    assert seen == []


@pytest.mark.django_db
def test_each_handler_runs_once_however_often_the_relay_runs(seen):
    with transaction.atomic():
        services.emit(OutboxProbe(n=5))
    services.relay_pending()
    OutboxEvent.objects.update(dispatched_at=None)  # as if a crash lost the mark
    services.relay_pending()
    assert seen == [5]
    assert HandlerRun.objects.filter(handler="tests.probe").count() == 1


@pytest.mark.django_db
def test_a_failing_handler_is_retried_later_with_backoff(frozen_clock):
    attempts = []

    def flaky(evt):
        attempts.append(evt.n)
        if len(attempts) == 1:
            raise RuntimeError("downstream is down")

    services.subscribe("tests.outbox_probe", flaky, name="tests.flaky")
    try:
        with transaction.atomic():
            services.emit(OutboxProbe(n=3))
        services.relay_pending()
        row = OutboxEvent.objects.get()
        assert (row.dispatched_at, row.attempts) == (None, 1)
        assert "downstream is down" in row.last_error
        services.relay_pending()  # not due yet: nothing happens
        assert attempts == [3]
        frozen_clock.advance(seconds=3)
        services.relay_pending()
        assert attempts == [3, 3]
        assert OutboxEvent.objects.get().dispatched_at is not None
    finally:
        services._subscribers.pop("tests.flaky", None)
