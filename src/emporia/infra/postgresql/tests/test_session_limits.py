"""PostgreSQL ends a session left idle inside a transaction, so that a hung
worker cannot keep row locks (a hot SKU's stock row) for ever."""

import time

import pytest
from django.db import connection, connections

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="PostgreSQL's session limits"
    ),
    pytest.mark.django_db(transaction=True),
]


def _show(setting: str) -> str:
    with connection.cursor() as cur:
        cur.execute(f"SHOW {setting}")
        return cur.fetchone()[0]


def test_sessions_run_with_the_configured_limits():
    assert _show("idle_in_transaction_session_timeout") == "1min"
    assert _show("statement_timeout") == "0"  # none unless an operator sets one


def test_a_session_idle_in_a_transaction_is_ended_and_its_row_locks_released():
    hung = connections.create_connection("default")
    hung.settings_dict = {
        **hung.settings_dict,
        "OPTIONS": {
            **hung.settings_dict["OPTIONS"],
            "options": "-c idle_in_transaction_session_timeout=300ms",
        },
    }
    with connection.cursor() as cur:
        cur.execute("CREATE TABLE limits_probe (id int PRIMARY KEY, n int)")
        cur.execute("INSERT INTO limits_probe VALUES (1, 0)")
    try:
        hung.set_autocommit(False)
        with hung.cursor() as cur:  # takes the row lock, then does nothing
            cur.execute("SELECT n FROM limits_probe WHERE id = 1 FOR UPDATE")

        with connection.cursor() as cur:
            cur.execute("SET lock_timeout = '10s'")
            started = time.monotonic()
            cur.execute("UPDATE limits_probe SET n = n + 1 WHERE id = 1")
            waited = time.monotonic() - started
            cur.execute("SELECT n FROM limits_probe WHERE id = 1")
            assert cur.fetchone() == (1,)
        assert waited < 10  # the lock went with the ended session
        assert not hung.is_usable()
    finally:
        hung.close()
        with connection.cursor() as cur:
            cur.execute("RESET lock_timeout")
            cur.execute("DROP TABLE limits_probe")
