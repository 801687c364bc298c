"""The SQLite half of the append-only ledger.

Migration 0002 refuses DELETE on postings and journal entries on SQLite only
while ``emporia_ledger_sealed()`` is true. SQLite has no per-session setting a
trigger can read, so the ledger app registers that function on every new
SQLite connection. It answers "sealed" except while Django's ``flush`` (the
test suite's wipe between transactional tests, ``manage.py flush``) runs on
that same connection: PostgreSQL's flush is a TRUNCATE, which fires no row
triggers, and SQLite's must be allowed the same. A connection without the
function (the ``sqlite3`` shell) fails closed: the trigger errors.
"""

from __future__ import annotations

import functools


def install_guard(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: register the seal function on SQLite."""
    if connection.vendor != "sqlite":
        return
    wrapper = connection
    wrapper.connection.create_function(
        "emporia_ledger_sealed",
        0,
        lambda: 0 if getattr(wrapper, "_ledger_flushing", False) else 1,
    )
    ops = wrapper.ops
    if getattr(ops, "_ledger_flush_wrapped", False):
        return
    original = ops.execute_sql_flush

    @functools.wraps(original)
    def execute_sql_flush(sql_list):
        wrapper._ledger_flushing = True
        try:
            return original(sql_list)
        finally:
            wrapper._ledger_flushing = False

    ops.execute_sql_flush = execute_sql_flush
    ops._ledger_flush_wrapped = True
