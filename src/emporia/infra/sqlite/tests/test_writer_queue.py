"""The SQLite writer queue: one writer at a time, handed over without sleeping."""

import sqlite3
import subprocess
import sys
import threading
import time

import pytest
from django.db import connection, transaction

from emporia.infra.jobs.models import JobRun
from emporia.infra.sqlite import base
from emporia.infra.sqlite.writer import (
    STATS_ENV,
    WriterQueue,
    queue_for,
    read_lock_stats,
)
from emporia.kernel import clock
from tests.concurrency import race

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the queue is part of the SQLite backend"
)


def test_one_queue_per_database_file(tmp_path):
    db = str(tmp_path / "a.sqlite3")
    assert queue_for(db) is queue_for(db)
    assert queue_for(db) is not queue_for(str(tmp_path / "b.sqlite3"))


def test_a_second_thread_waits_its_turn_and_gets_it_on_release(tmp_path):
    # given one thread holding the queue
    queue = WriterQueue(str(tmp_path / "db.sqlite3"))
    queue.acquire(timeout=1)
    got = threading.Event()

    def second():
        queue.acquire(timeout=5)
        got.set()
        queue.release()

    t = threading.Thread(target=second)
    t.start()
    # then the second waits while it is held, and goes once it is released
    assert not got.wait(0.2)
    queue.release()
    assert got.wait(5)
    t.join()


def test_a_thread_that_waits_past_its_timeout_gets_database_is_locked(tmp_path):
    queue = WriterQueue(str(tmp_path / "db.sqlite3"))
    queue.acquire(timeout=1)
    errors = []

    def second():
        try:
            queue.acquire(timeout=0.1)
        except sqlite3.OperationalError as exc:
            errors.append(str(exc))

    t = threading.Thread(target=second)
    t.start()
    t.join()
    queue.release()
    assert errors == ["database is locked"]


HOLD = """
import sys, time
from emporia.infra.sqlite.writer import WriterQueue
q = WriterQueue(sys.argv[1])
q.acquire(timeout=1)
print("held", flush=True)
time.sleep(float(sys.argv[2]))
q.release()
"""


def test_another_process_waits_for_the_file_lock(tmp_path):
    # given another process holding the queue's file lock for half a second
    path = str(tmp_path / "db.sqlite3")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, path, "0.5"], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout.readline().strip() == "held"
    # when this process asks for its turn
    started = time.monotonic()
    queue = WriterQueue(path)
    queue.acquire(timeout=5)
    waited = time.monotonic() - started
    queue.release()
    holder.wait(5)
    # then it got it only after the other released (the lock is the file's)
    assert waited >= 0.3


@sqlite_only
@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_racing_write_transactions_all_commit_without_locked_errors():
    # given 12 threads each making a write transaction at the same moment
    def write(i: int) -> int:
        with transaction.atomic():
            run = JobRun.objects.create(
                name=f"race-{i}", started_at=clock.now(), runner="test"
            )
            JobRun.objects.filter(pk=run.pk).update(processed=i)
        # and an autocommit write outside any transaction
        JobRun.objects.filter(pk=run.pk).update(error="")
        return i

    # when they race
    results = race(12, write)
    # then every one committed
    assert sorted(results) == list(range(12))
    assert sorted(
        JobRun.objects.filter(name__startswith="race-").values_list(
            "processed", flat=True
        )
    ) == list(range(12))


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_the_turn_is_given_back_when_a_transaction_rolls_back():
    # given a transaction that fails
    def fail():
        with transaction.atomic():
            JobRun.objects.create(name="rolled back", started_at=clock.now())
            raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        fail()
    # then another thread can write at once (the turn was released)
    assert race(
        1, lambda i: JobRun.objects.create(name="after", started_at=clock.now()).name
    ) == ["after"]
    assert list(JobRun.objects.values_list("name", flat=True)) == ["after"]


@sqlite_only
@pytest.mark.django_db
def test_placeholders_are_rewritten_the_same_on_every_run_and_the_memory_is_bounded(
    monkeypatch,
):
    monkeypatch.setattr(base, "_QMARK", {})
    monkeypatch.setattr(base, "_QMARK_MAX", 3)
    sql = "SELECT %s || '%%', %s"
    with connection.cursor() as cur:
        answers = []
        for _ in range(2):  # the second run takes the kept text
            cur.execute(sql, ["a", 1])
            answers.append(cur.fetchone())
        for i in range(5):  # more distinct statements than are kept
            cur.execute(f"SELECT %s + {i}", [1])
            answers.append(cur.fetchone())
        cur.execute("SELECT :x", {"x": 7})  # named style is never kept
        answers.append(cur.fetchone())

    assert answers == [("a%", 1), ("a%", 1), *[(1 + i,) for i in range(5)], (7,)]
    assert base._QMARK[sql] == "SELECT ? || '%', ?"
    assert len(base._QMARK) == 3


def _hold_for(queue, seconds):
    queue.acquire(timeout=5)
    time.sleep(seconds)
    queue.release()


def test_lock_stats_time_every_hold_and_name_who_took_it(tmp_path, monkeypatch):
    # given lock statistics switched on for this process
    stats_dir = tmp_path / "stats"
    stats_dir.mkdir()
    monkeypatch.setenv(STATS_ENV, str(stats_dir))
    queue = WriterQueue(str(tmp_path / "db.sqlite3"))
    # when this function holds the lock twice (20 ms asleep, no CPU) while a
    # second thread queues behind the first hold
    queue.acquire(timeout=1)
    t = threading.Thread(target=_hold_for, args=(queue, 0.0))
    t.start()
    time.sleep(0.02)
    queue.release()
    t.join()
    _hold_for(queue, 0.02)
    queue.stats.flush()
    # then the totals count three holds, two of them here, and the time the
    # second thread waited; a sleeping holder held the lock but not the CPU
    totals = read_lock_stats(str(stats_dir))
    assert totals["processes"] == 1
    assert totals["holds"] == 3
    assert totals["hold_s"] >= 0.04
    assert totals["hold_cpu_s"] < totals["hold_s"] / 2
    assert totals["wait_s"] >= 0.01
    here = totals["by_caller"][
        "infra.sqlite.tests.test_writer_queue."
        "test_lock_stats_time_every_hold_and_name_who_took_it"
    ]
    assert here[0] == 1
    assert totals["by_caller"]["infra.sqlite.tests.test_writer_queue._hold_for"][0] == 2
    assert sum(totals["hold_histogram"]) == 3


def test_without_the_switch_no_statistics_are_kept(tmp_path, monkeypatch):
    monkeypatch.delenv(STATS_ENV, raising=False)
    queue = WriterQueue(str(tmp_path / "db.sqlite3"))
    _hold_for(queue, 0.0)
    assert queue.stats is None
    assert list(tmp_path.iterdir()) == [tmp_path / "db.sqlite3-writer.lock"]
