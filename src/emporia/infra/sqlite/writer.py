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
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading

_queues: dict[str, WriterQueue] = {}
_queues_lock = threading.Lock()


class WriterQueue:
    """The per-process queue for writers to one database file."""

    def __init__(self, path: str):
        self.path = path + "-writer.lock"
        self._threads = threading.Lock()
        self._fd: int | None = None
        self._pid = 0

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
        if not self._threads.acquire(timeout=max(timeout, 0.001)):
            raise sqlite3.OperationalError("database is locked")
        try:
            fcntl.flock(self._file(), fcntl.LOCK_EX)  # releases the GIL
        except BaseException:
            self._threads.release()
            raise

    def release(self) -> None:
        try:
            fcntl.flock(self._file(), fcntl.LOCK_UN)
        finally:
            self._threads.release()


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
    with_locks = list(_queues)
    _queues.clear()
    for path in with_locks:
        _queues[path] = WriterQueue(path)


os.register_at_fork(after_in_child=_after_fork)
