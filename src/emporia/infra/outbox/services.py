"""The transactional outbox and its relay.

``emit(event)`` stores a domain event in the caller's open transaction, so the
event exists if and only if the change it describes was committed; it refuses
to run outside a transaction. ``relay_pending()`` hands committed events to the
subscribers registered with :func:`subscribe`, each (event, handler) pair run
at most once: the handler's work and its ``HandlerRun`` row commit together, so
a crash or a second relay never repeats a handler's effect. A failing handler
leaves the event pending and is retried with exponential backoff.

The relay handles a batch of events in few write transactions (up to
``CHUNK`` events each): on SQLite the database's single write lock is taken
once per chunk instead of once per (event, handler) — with a dozen
subscribers on an order's events, that lock was the checkout's throughput
limit (see docs/performance.md). A chunk first runs optimistically, every
handler straight in the chunk's transaction and the ``HandlerRun`` rows
written in one INSERT at the end; if anything in it fails, the whole chunk
rolls back and runs again carefully, each handler in its own savepoint, so a
failing handler still loses only its own work.

The contract for handlers that follows: a handler's effects are writes to
this database (or ``transaction.on_commit`` callbacks). The relay may run a
handler, roll it back with its chunk and run it again; only a committed run
counts, and it commits exactly once.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef

from emporia.infra import retention
from emporia.infra.sql import CompiledQuery, insert_objects, update_where
from emporia.kernel import clock
from emporia.kernel import events as kevents

from .models import HandlerRun, OutboxEvent

log = logging.getLogger(__name__)

ALL_TOPICS = "*"


@dataclass(frozen=True)
class Subscriber:
    name: str
    topic: str
    handler: Callable
    raw: bool = False


_subscribers: dict[str, Subscriber] = {}


def subscribe(
    topic: str, handler: Callable, *, name: str | None = None, raw: bool = False
) -> None:
    """Register ``handler(event)`` for ``topic`` (``"*"`` for every topic).

    The name identifies the handler in ``HandlerRun``; keep it stable across
    releases or already-handled events will run again. With ``raw=True`` the
    handler receives the stored :class:`OutboxEvent` row instead of the event
    dataclass (infrastructure such as webhooks needs the row's id and JSON).
    """
    key = name or f"{handler.__module__}.{handler.__qualname__}"
    _subscribers[key] = Subscriber(key, topic, handler, raw)


def subscribers_for(topic: str) -> list[Subscriber]:
    return [s for s in _subscribers.values() if s.topic in (topic, ALL_TOPICS)]


def emit(event) -> OutboxEvent:
    """Write ``event`` to the outbox inside the current transaction."""
    return emit_many([event])[0]


def emit_many(events) -> list[OutboxEvent]:
    """Write several events in one INSERT, inside the current transaction."""
    events = list(events)
    if not connection.in_atomic_block:
        topics = ", ".join(e.topic for e in events)
        raise RuntimeError(
            f"emit({topics}) must run inside transaction.atomic(): an event "
            "outside the transaction of its change could be lost or be a lie"
        )
    now = clock.now()
    return insert_objects(
        [
            OutboxEvent(
                topic=e.topic,
                version=e.version,
                payload=kevents.payload(e),
                occurred_at=now,
            )
            for e in events
        ]
    )


def _backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(2**attempts, 3600))


# Events handled per write transaction by the relay: large enough that the
# lock is taken rarely, small enough that no writer waits long behind it.
CHUNK = 50


def dispatch(row: OutboxEvent, *, done: set[str] | None = None) -> bool:
    """Run every subscriber of one event that has not run yet. True when all did.

    Each handler runs in its own ``transaction.atomic()``: its own transaction
    when called alone, a savepoint inside the relay's chunk transaction.
    ``done`` is the names of the handlers already run for it, when the caller
    has read them (the relay reads a whole batch's at once). A fully handled
    event is marked dispatched by the caller (``_mark_dispatched``); a failed
    one is rescheduled here, with backoff.
    """
    event = kevents.load(row.topic, row.payload)
    if done is None:
        done = set(row.runs.values_list("handler", flat=True))
    ok = True
    for sub in subscribers_for(row.topic):
        if sub.name in done:
            continue
        try:
            with transaction.atomic():
                HandlerRun.objects.create(
                    event=row, handler=sub.name, ran_at=clock.now()
                )
                sub.handler(row if sub.raw else event)
        except IntegrityError:
            # Another relay ran this handler concurrently (or the handler's
            # own integrity error); HandlerRun is the arbiter: re-check it.
            if not HandlerRun.objects.filter(event=row, handler=sub.name).exists():
                ok = False
                log.exception("handler %s failed on %s", sub.name, row)
        except Exception as exc:  # a handler's bug must not stop the relay
            ok = False
            log.exception("handler %s failed on %s", sub.name, row)
            row.last_error = f"{sub.name}: {exc!r}"[:2000]
    if not ok:
        attempts = row.attempts + 1
        OutboxEvent.objects.filter(pk=row.pk).update(
            attempts=attempts,
            next_attempt_at=clock.now() + _backoff(attempts),
            last_error=row.last_error,
        )
    return ok


def _mark_dispatched(ids: list[int]) -> None:
    if ids:
        update_where(
            OutboxEvent, {"dispatched_at": clock.now(), "last_error": ""}, pk__in=ids
        )


_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "outbox_relay_memo", default=None
)


@contextmanager
def _memo_scope() -> Iterator[None]:
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def relay_memo(key: str, load: Callable):
    """``load()`` once per relay chunk, shared by the chunk's handlers.

    For a read many events' handlers repeat and no handler changes (the
    webhooks fan-out asks "is any endpoint active?" for every event). Outside
    a relay chunk it simply calls ``load()``.
    """
    memo = _memo.get()
    if memo is None:
        return load()
    if key not in memo:
        memo[key] = load()
    return memo[key]


def _run_chunk_at_once(chunk: list[OutboxEvent], done: dict[int, set[str]]) -> None:
    """The fast path: every pending handler of the chunk in one transaction,
    no savepoints, one INSERT of the runs and one UPDATE marking the chunk
    dispatched. Raises if anything fails (a handler, an unknown topic, another
    relay's run of the same pair); the transaction is then rolled back whole.
    """
    with transaction.atomic(), _memo_scope():
        now = clock.now()
        runs = []
        for row in chunk:
            event = kevents.load(row.topic, row.payload)  # an unknown topic raises
            for sub in subscribers_for(row.topic):
                if sub.name in done[row.pk]:
                    continue
                sub.handler(row if sub.raw else event)
                runs.append(HandlerRun(event_id=row.pk, handler=sub.name, ran_at=now))
        # The unique (event, handler) pair makes a concurrent relay's run of
        # the same pair fail this INSERT, and with it the whole chunk.
        insert_objects(runs)
        _mark_dispatched([row.pk for row in chunk])


def _run_chunk_carefully(chunk: list[OutboxEvent], done: dict[int, set[str]]) -> None:
    """One handler per savepoint: failures are isolated, logged and retried."""
    with transaction.atomic(), _memo_scope():
        handled = []
        for row in chunk:
            try:
                ok = dispatch(row, done=done[row.pk])
            except LookupError as exc:  # no event class for the topic
                ok = False
                log.exception("cannot load %s", row)
                OutboxEvent.objects.filter(pk=row.pk).update(
                    attempts=row.attempts + 1,
                    next_attempt_at=clock.now() + _backoff(row.attempts + 1),
                    last_error=f"{exc}"[:2000],
                )
            if ok:
                handled.append(row.pk)
        _mark_dispatched(handled)


_RUNS_OF = CompiledQuery(
    lambda ids: HandlerRun.objects.filter(event_id__in=ids).values_list(
        "event_id", "handler"
    ),
    ids=list,
)


def _dispatch_batch(batch: list[OutboxEvent]) -> None:
    """Dispatch events in order, a chunk per transaction, with one query of
    overhead for the batch (handlers already run) and, per chunk, one INSERT
    of the runs and one UPDATE marking the chunk dispatched."""
    done: dict[int, set[str]] = {row.pk: set() for row in batch}
    for event_id, handler in _RUNS_OF.all(ids=list(done)):
        done[event_id].add(handler)
    for start in range(0, len(batch), CHUNK):
        chunk = batch[start : start + CHUNK]
        try:
            _run_chunk_at_once(chunk, done)
            continue
        except Exception as exc:  # rolled back whole: redo it one handler at a time
            log.info("relay chunk failed at once (%r); running it carefully", exc)
        _run_chunk_carefully(chunk, done)


def relay_pending(*, limit: int = 500, max_rounds: int = 20) -> int:
    """Dispatch committed, undispatched events in order; returns how many ran.

    Handlers may emit further events; those are dispatched in later rounds of
    the same call, up to ``max_rounds``.
    """
    handled = 0
    for _ in range(max_rounds):
        now = clock.now()
        batch = list(
            OutboxEvent.objects.filter(dispatched_at__isnull=True)
            .exclude(next_attempt_at__gt=now)
            .order_by("id")[:limit]
        )
        if not batch:
            break
        _dispatch_batch(batch)
        handled += len(batch)
        if (
            len(batch) < limit
            and not OutboxEvent.objects.filter(
                dispatched_at__isnull=True, id__gt=batch[-1].id
            ).exists()
        ):
            break
    return handled


def purge_dispatched() -> int:
    """Delete events dispatched longer ago than ``EMPORIA["OUTBOX_RETENTION_DAYS"]``
    (default 30), with their handler runs — but none that another table
    still refers to (a webhook delivery's log keeps its event until that log
    itself is purged). Returns how many events went."""
    before = retention.cutoff("OUTBOX_RETENTION_DAYS", 30)
    kept = [
        Exists(rel.related_model.objects.filter(**{rel.field.name: OuterRef("pk")}))
        # every foreign key to the outbox, those without a reverse name too
        for rel in OutboxEvent._meta.get_fields(include_hidden=True)
        if rel.auto_created and not rel.concrete and rel.related_model is not HandlerRun
    ]

    def select():
        qs = OutboxEvent.objects.filter(dispatched_at__lt=before)
        for refers in kept:
            qs = qs.exclude(refers)
        return qs

    return retention.purge(select)
