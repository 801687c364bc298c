"""The outbox: events exist only with their change, and each handler runs once."""

import pytest
from django.db import IntegrityError, transaction

from emporia.infra.outbox import services
from emporia.infra.outbox.models import HandlerRun, OutboxEvent
from emporia.kernel.events import event


@event("tests.outbox_probe")
class OutboxProbe:
    n: int


@pytest.fixture
def seen():
    """The probe's committed runs: a handler's effect counts only if its
    transaction commits (the relay may roll a run back and run it again)."""
    calls = []

    def probe(e):
        transaction.on_commit(lambda: calls.append(e.n))

    services.subscribe("tests.outbox_probe", probe, name="tests.probe")
    yield calls
    services._subscribers.pop("tests.probe", None)


@pytest.fixture
def relay(django_capture_on_commit_callbacks):
    """relay_pending(), running the on-commit callbacks of what it committed
    (inside a test's transaction nothing really commits)."""

    def run():
        with django_capture_on_commit_callbacks(execute=True):
            return services.relay_pending()

    return run


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
def test_each_handler_runs_once_however_often_the_relay_runs(seen, relay):
    with transaction.atomic():
        services.emit(OutboxProbe(n=5))
    relay()
    OutboxEvent.objects.update(dispatched_at=None)  # as if a crash lost the mark
    relay()
    assert seen == [5]
    assert HandlerRun.objects.filter(handler="tests.probe").count() == 1


@pytest.mark.django_db
def test_a_failing_handler_is_retried_later_with_backoff(frozen_clock, relay):
    downstream = {"up": False, "calls": 0, "done": []}

    def flaky(evt):
        downstream["calls"] += 1
        if not downstream["up"]:
            raise RuntimeError("downstream is down")
        transaction.on_commit(lambda: downstream["done"].append(evt.n))

    services.subscribe("tests.outbox_probe", flaky, name="tests.flaky")
    try:
        with transaction.atomic():
            services.emit(OutboxProbe(n=3))
        relay()
        row = OutboxEvent.objects.get()
        assert (row.dispatched_at, row.attempts) == (None, 1)
        assert "downstream is down" in row.last_error
        calls = downstream["calls"]
        downstream["up"] = True
        relay()  # not due yet: the handler is not even called
        assert downstream["calls"] == calls
        assert downstream["done"] == []
        frozen_clock.advance(seconds=3)
        relay()
        assert downstream["done"] == [3]
        assert OutboxEvent.objects.get().dispatched_at is not None
    finally:
        services._subscribers.pop("tests.flaky", None)


@pytest.mark.django_db
def test_an_event_of_an_unknown_topic_is_set_aside_and_the_rest_relayed(
    seen, relay, frozen_clock
):
    # given a stored event whose topic this process has no class for, then a
    # known one
    OutboxEvent.objects.create(
        topic="tests.nobody_knows", version=1, payload={}, occurred_at=frozen_clock()
    )
    with transaction.atomic():
        services.emit(OutboxProbe(n=7))
    # when the relay runs
    relay()
    # then the known event is handled and the unknown one waits, with the reason
    assert seen == [7]
    unknown = OutboxEvent.objects.get(topic="tests.nobody_knows")
    assert unknown.dispatched_at is None
    assert unknown.attempts == 1
    assert "tests.nobody_knows" in unknown.last_error
    assert unknown.next_attempt_at == frozen_clock() + services._backoff(1)
    assert OutboxEvent.objects.get(topic="tests.outbox_probe").dispatched_at


@pytest.mark.django_db
def test_a_batch_costs_five_queries_beyond_its_handlers(
    seen, relay, django_assert_num_queries
):
    # given ten events of a topic whose only subscribers are the probe (no
    # query) and the webhooks fan-out, which finds no active endpoint
    with transaction.atomic():
        services.emit_many([OutboxProbe(n=i) for i in range(10)])
    # then the relay selects the batch and the handlers already run (2), opens
    # the chunk's transaction (a savepoint here, inside the test's
    # transaction: 2 with its release), asks once for the chunk whether any
    # webhook endpoint is active (1), writes every handler run in one INSERT
    # and marks all ten dispatched in one UPDATE (2), and looks for newer
    # events (1): no query per event or per handler
    with django_assert_num_queries(2 + 2 + 1 + 2 + 1):
        assert relay() == 10
    assert seen == list(range(10))
    assert HandlerRun.objects.filter(handler="tests.probe").count() == 10


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


@pytest.mark.django_db(transaction=True)
def test_a_relay_that_lost_the_race_for_an_event_commits_nothing_twice(seen):
    # given relay B read an event and found none of its handlers run...
    with transaction.atomic():
        services.emit(OutboxProbe(n=9))
    stale = list(OutboxEvent.objects.all())
    not_run = {row.pk: set() for row in stale}
    # ...while relay A handled it completely
    services.relay_pending()
    assert seen == [9]
    # when B runs the chunk at once, its INSERT of the runs collides with A's
    # and the whole chunk rolls back; B then runs it carefully
    with pytest.raises(IntegrityError):
        services._run_chunk_at_once(stale, not_run)
    services._run_chunk_carefully(stale, not_run)
    # then the probe's effect was committed once, and recorded once
    assert seen == [9]
    assert HandlerRun.objects.filter(handler="tests.probe").count() == 1
    assert OutboxEvent.objects.get().dispatched_at is not None
