"""Django's SQLite backend, with write transactions queued by :mod:`.writer`.

Use ``"ENGINE": "emporia.infra.sqlite"``. Everything else is Django's
``sqlite3`` backend. A connection takes its turn in the writer queue

* before ``BEGIN`` when ``transaction.atomic`` opens a transaction (the
  settings use ``BEGIN IMMEDIATE``, so such a transaction is a writer), and
* around a single write statement run in autocommit mode (``save()``,
  ``QuerySet.update()`` outside ``atomic``), so those cannot starve behind a
  queue that keeps the lock busy;

and gives it back on commit, rollback or close. Reads outside a transaction
never queue (WAL lets them run beside the writer). In-memory databases
(``:memory:``) have no file to queue on and behave exactly as Django's.
"""

from __future__ import annotations

from django.db.backends.sqlite3 import base as sqlite3_base

from .writer import WriterQueue, queue_for

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLAC")


# Django rewrites every statement's "%s" placeholders to sqlite3's "?" with a
# regular expression, each time it runs. The hot statements are the same
# few strings thousands of times a second (compiled queries and writes,
# emporia.infra.sql), so the rewritten text is kept, up to a bound.
_QMARK: dict[str, str] = {}
_QMARK_MAX = 2048


class WriterQueueCursor(sqlite3_base.SQLiteCursorWrapper):
    """Queues an autocommit write statement for the duration of the statement."""

    db: DatabaseWrapper

    def convert_query(self, query, *, param_names=None):
        if param_names is not None:
            return super().convert_query(query, param_names=param_names)
        converted = _QMARK.get(query)
        if converted is None:
            converted = super().convert_query(query)
            if len(_QMARK) < _QMARK_MAX:
                _QMARK[query] = converted
        return converted

    def execute(self, query, params=None):
        if self.db.needs_turn(query):
            with self.db.writer_turn():
                return super().execute(query, params)
        return super().execute(query, params)

    def executemany(self, query, param_list):
        if self.db.needs_turn(query):
            with self.db.writer_turn():
                return super().executemany(query, param_list)
        return super().executemany(query, param_list)


class _Turn:
    def __init__(self, db: DatabaseWrapper):
        self.db = db

    def __enter__(self):
        self.db.take_turn()

    def __exit__(self, *exc):
        self.db.end_turn()


class DatabaseWrapper(sqlite3_base.DatabaseWrapper):
    """SQLite connection whose write transactions wait in a fair queue."""

    _queue: WriterQueue | None = None
    _has_turn = False

    def get_new_connection(self, conn_params):
        conn = super().get_new_connection(conn_params)
        self._has_turn = False
        self._queue = (
            None if self.is_in_memory_db() else queue_for(self.settings_dict["NAME"])
        )
        self._lock_timeout = float(conn_params.get("timeout", 5))
        return conn

    def create_cursor(self, name=None):
        cursor = self.connection.cursor(factory=WriterQueueCursor)
        cursor.db = self
        return cursor

    # -- the turn -------------------------------------------------------------
    def needs_turn(self, query: str) -> bool:
        return (
            self._queue is not None
            and not self._has_turn
            and not self.in_atomic_block
            and self.get_autocommit()
            and query.lstrip()[:6].upper() in WRITES
        )

    def writer_turn(self) -> _Turn:
        return _Turn(self)

    def take_turn(self) -> None:
        if self._queue is not None and not self._has_turn:
            self._queue.acquire(self._lock_timeout)
            self._has_turn = True

    def end_turn(self) -> None:
        if self._has_turn:
            self._has_turn = False
            self._queue.release()

    # -- transactions -----------------------------------------------------------
    def _start_transaction_under_autocommit(self):
        self.take_turn()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self.end_turn()
            raise

    def _commit(self):
        try:
            super()._commit()
        finally:
            self.end_turn()

    def _rollback(self):
        try:
            super()._rollback()
        finally:
            self.end_turn()

    def _close(self):
        try:
            super()._close()
        finally:
            self.end_turn()
