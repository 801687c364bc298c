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


@pytest.mark.django_db
def test_an_event_of_an_unknown_topic_is_set_aside_and_the_rest_relayed(
    seen, frozen_clock
):
    # given a stored event whose topic this process has no class for, then a
    # known one
    OutboxEvent.objects.create(
        topic="tests.nobody_knows", version=1, payload={}, occurred_at=frozen_clock()
    )
    with transaction.atomic():
        services.emit(OutboxProbe(n=7))
    # when the relay runs
    services.relay_pending()
    # then the known event is handled and the unknown one waits, with the reason
    assert seen == [7]
    unknown = OutboxEvent.objects.get(topic="tests.nobody_knows")
    assert unknown.dispatched_at is None
    assert unknown.attempts == 1
    assert "tests.nobody_knows" in unknown.last_error
    assert unknown.next_attempt_at == frozen_clock() + services._backoff(1)
    assert OutboxEvent.objects.get(topic="tests.outbox_probe").dispatched_at


@pytest.mark.django_db
def test_a_batch_costs_two_queries_beyond_its_handlers(seen, django_assert_num_queries):
    # given ten events of a topic whose only subscriber is the probe (and the
    # webhooks fan-out, which finds no endpoint)
    with transaction.atomic():
        services.emit_many([OutboxProbe(n=i) for i in range(10)])
    # then the relay selects the batch and its handler runs (2 queries); opens
    # the chunk's transaction (a savepoint here, inside the test's
    # transaction: 2 with its release); per event and handler: savepoint,
    # HandlerRun insert, release (3); per event the fan-out's endpoint query
    # (1); then one update marks all ten dispatched and one query looks for
    # newer events (2)
    handlers = len(services.subscribers_for("tests.outbox_probe"))
    with django_assert_num_queries(2 + 2 + 10 * (handlers * 3 + 1) + 2):
        assert services.relay_pending() == 10
    assert seen == list(range(10))


@pytest.mark.django_db(transaction=True)
def test_a_failing_handler_loses_only_its_own_work(seen):
    # given a handler that writes (emits a follow-up event) and then fails,
    # beside the probe, on each of three events relayed in one chunk
    def writes_then_fails(evt):
        services.emit(OutboxProbe(n=100 + evt.n))
        raise RuntimeError("half done")

    services.subscribe(
        "tests.outbox_probe", writes_then_fails, name="tests.writes_then_fails"
    )
    try:
        with transaction.atomic():
            services.emit_many([OutboxProbe(n=i) for i in range(3)])
        services.relay_pending()
        # then the probe ran and is recorded for every event, the failing
        # handler left nothing behind (no follow-up event, no run), and the
        # three events wait for its retry
        assert seen == [0, 1, 2]
        assert HandlerRun.objects.filter(handler="tests.probe").count() == 3
        assert not HandlerRun.objects.filter(handler="tests.writes_then_fails")
        assert OutboxEvent.objects.count() == 3
        assert set(OutboxEvent.objects.values_list("attempts", "dispatched_at")) == {
            (1, None)
        }
    finally:
        services._subscribers.pop("tests.writes_then_fails", None)
