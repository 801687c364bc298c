"""WriterQueue — one writer at a time per SQLite file, queued without sleeping.

SQLite allows one write transaction at a time. A connection that finds the
write lock taken calls its busy handler, which *sleeps* and retries: 1, 2, 5,
10, 15, 20, 25, 25, 25, 50, 50, then 100 ms between attempts. Under load that
is the throughput limit: the holder commits after a few milliseconds, but the
waiters are asleep for tens of milliseconds, so the lock sits idle while
requests queue (py-spy showed half of every gunicorn thread's time there).

The queue hands the lock over the moment it is free instead:

* inside one process, writers wait on a ``threading.Lock`` (woken on
  release, with the connection's ``timeout`` as the deadline, after which
  the writer gets the same "database is locked" error SQLite would raise);
* across processes (gunicorn workers, the job scheduler, a CLI command), the
  process's one waiter blocks in ``flock`` on ``<database>-writer.lock``; the
  kernel wakes it when the holder releases (or dies: the lock goes with the
  file descriptor, so a killed worker never leaves it held).

A process-wide hold therefore needs both; it is released when the
transaction commits or rolls back, or the connection closes.

With ``EMPORIA_SQLITE_LOCK_STATS=<directory>`` in the environment, every
process also times its holds — how long writers waited for the lock, how
long they held it and how much of that the holder spent on the CPU — and
keeps the totals in ``<directory>/writer-lock-<pid>-<crc>.json`` (rewritten
by a thread every ``LockStats.EVERY`` seconds while holds happen). On SQLite
that lock is the one resource every write shares, so its busy time per
order is what caps throughput; the checkout benchmark reports it.
"""

from __future__ import annotations

import fcntl
import json
import os
import sqlite3
import sys
import threading
import time
import zlib

_queues: dict[str, WriterQueue] = {}
_queues_lock = threading.Lock()


STATS_ENV = "EMPORIA_SQLITE_LOCK_STATS"
_BACKEND_DIR = os.path.dirname(os.path.abspath(__file__))
# statement helpers that take the lock for their caller (emporia.infra.sql)
_SQL_HELPERS = os.path.join("emporia", "infra", "sql.py")


class LockStats:
    """Totals of one process's write-lock holds, kept in a JSON file."""

    EVERY = 0.25  # seconds between rewrites of the file
    # upper bounds (ms) of the hold-time histogram's buckets; the last is open
    BUCKETS = (0.5, 1, 2, 5, 10, 20, 50, 100)

    def __init__(self, directory: str, database: str):
        self.database = database
        self.directory = directory
        self.holds = 0
        self.wait_s = self.hold_s = self.hold_cpu_s = self.max_hold_s = 0.0
        self.histogram = [0] * (len(self.BUCKETS) + 1)
        # per caller (the nearest Emporia function that took the lock):
        # [holds, hold_s, hold_cpu_s]
        self.by_caller: dict[str, list] = {}
        self._dirty = False
        self._flusher: threading.Thread | None = None
        self._lock = threading.Lock()

    @staticmethod
    def caller() -> str:
        """The nearest Emporia function on the stack outside this backend
        and the statement helpers."""
        frame = sys._getframe(2)
        while frame is not None:
            name = frame.f_code.co_filename
            if (
                "/emporia/" in name
                and os.path.dirname(name) != _BACKEND_DIR
                and not name.endswith(_SQL_HELPERS)
            ):
                module = frame.f_globals.get("__name__", "?")
                return f"{module.removeprefix('emporia.')}.{frame.f_code.co_name}"
            frame = frame.f_back
        return "?"

    def record(self, caller, waited: float, held: float, held_cpu: float) -> None:
        with self._lock:
            self._record(caller, waited, held, held_cpu)

    def _record(self, caller, waited: float, held: float, held_cpu: float) -> None:
        one = self.by_caller.setdefault(caller, [0, 0.0, 0.0])
        one[0] += 1
        one[1] += held
        one[2] += held_cpu
        self.holds += 1
        self.wait_s += waited
        self.hold_s += held
        self.hold_cpu_s += held_cpu
        self.max_hold_s = max(self.max_hold_s, held)
        ms = held * 1000
        i = 0
        while i < len(self.BUCKETS) and ms > self.BUCKETS[i]:
            i += 1
        self.histogram[i] += 1
        self._dirty = True
        if self._flusher is None:  # started in the process that records
            self._flusher = threading.Thread(
                target=self._flush_every, name="writer-lock-stats", daemon=True
            )
            self._flusher.start()

    def _flush_every(self) -> None:
        # The file is written off the request path, by this thread only.
        while True:
            time.sleep(self.EVERY)
            if self._dirty:
                self.flush()

    def as_dict(self) -> dict:
        return {
            "pid": os.getpid(),
            "database": self.database,
            "holds": self.holds,
            "wait_s": self.wait_s,
            "hold_s": self.hold_s,
            "hold_cpu_s": self.hold_cpu_s,
            "max_hold_s": self.max_hold_s,
            "hold_ms_buckets": [*self.BUCKETS, None],
            "hold_histogram": list(self.histogram),
            "by_caller": {k: list(v) for k, v in self.by_caller.items()},
        }

    def flush(self) -> None:
        """Write the totals now (a thread does it every ``EVERY`` seconds
        while there is something new)."""
        with self._lock:
            data, self._dirty = self.as_dict(), False
        name = f"writer-lock-{os.getpid()}-{zlib.crc32(self.database.encode()):08x}"
        path = os.path.join(self.directory, name + ".json")
        tmp = f"{path}.{threading.get_ident()}.tmp"
        with open(tmp, "w") as f:
            json.dump(data, f)
        os.replace(tmp, path)


def read_lock_stats(directory: str) -> dict:
    """The sum of every process's :class:`LockStats` file in ``directory``."""
    total = {"processes": 0, "holds": 0, "wait_s": 0.0, "hold_s": 0.0}
    total.update(hold_cpu_s=0.0, max_hold_s=0.0)
    total.update(hold_ms_buckets=[*LockStats.BUCKETS, None])
    total["hold_histogram"] = [0] * (len(LockStats.BUCKETS) + 1)
    total["by_caller"] = {}
    for name in sorted(os.listdir(directory)):
        if not (name.startswith("writer-lock-") and name.endswith(".json")):
            continue
        with open(os.path.join(directory, name)) as f:
            one = json.load(f)
        total["processes"] += 1
        for key in ("holds", "wait_s", "hold_s", "hold_cpu_s"):
            total[key] += one[key]
        total["max_hold_s"] = max(total["max_hold_s"], one["max_hold_s"])
        for i, n in enumerate(one["hold_histogram"]):
            total["hold_histogram"][i] += n
        for caller, figures in one["by_caller"].items():
            mine = total["by_caller"].setdefault(caller, [0, 0.0, 0.0])
            for i, x in enumerate(figures):
                mine[i] += x
    return total


class WriterQueue:
    """The per-process queue for writers to one database file."""

    def __init__(self, path: str):
        self.path = path + "-writer.lock"
        self._threads = threading.Lock()
        self._fd: int | None = None
        self._pid = 0
        directory = os.environ.get(STATS_ENV)
        self.stats = LockStats(directory, path) if directory else None
        self._since = self._since_cpu = self._waited = 0.0
        self._caller = ""

    def _file(self) -> int:
        # A descriptor inherited across fork shares its lock with the parent:
        # every process opens its own.
        if self._fd is None or self._pid != os.getpid():
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            self._pid = os.getpid()
        return self._fd

    def acquire(self, timeout: float) -> None:
        """Wait for the writer's turn; raise sqlite3.OperationalError
        ("database is locked") when another thread of this process holds it
        longer than ``timeout`` seconds."""
        start = time.perf_counter() if self.stats else 0.0
        if not self._threads.acquire(timeout=max(timeout, 0.001)):
            raise sqlite3.OperationalError("database is locked")
        try:
            fcntl.flock(self._file(), fcntl.LOCK_EX)  # releases the GIL
        except BaseException:
            self._threads.release()
            raise
        if self.stats:
            self._caller = self.stats.caller()
            self._since, self._since_cpu = time.perf_counter(), time.thread_time()
            self._waited = self._since - start

    def release(self) -> None:
        if self.stats:
            held = time.perf_counter() - self._since
            held_cpu = time.thread_time() - self._since_cpu
            waited, caller = self._waited, self._caller
        try:
            fcntl.flock(self._file(), fcntl.LOCK_UN)
        finally:
            self._threads.release()
        if self.stats:
            # after the release, so the bookkeeping never lengthens a hold;
            # still this thread's own figures (read above, while it held it)
            self.stats.record(caller, waited, held, held_cpu)


def queue_for(path: str) -> WriterQueue:
    """The process's queue for the database file at ``path``."""
    path = os.path.abspath(path)
    with _queues_lock:
        if path not in _queues:
            _queues[path] = WriterQueue(path)
        return _queues[path]


def _after_fork() -> None:
    # A child forked while a parent thread held a queue must not inherit a
    # locked threading.Lock nor the parent's descriptors.
    global _queues_lock
    _queues_lock = threading.Lock()
    with_locks = list(_queues)
    _queues.clear()
    for path in with_locks:
        _queues[path] = WriterQueue(path)


os.register_at_fork(after_in_child=_after_fork)
