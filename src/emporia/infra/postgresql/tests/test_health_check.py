"""The PostgreSQL health check asks the socket first, and the server only
when something arrived on it."""

import time

import pytest
from django.db import connection, connections

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the PostgreSQL backend's check"
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def own():
    """A connection of our own, so that ending it leaves the test's alone."""
    conn = connections.create_connection("default")
    conn.ensure_connection()
    yield conn
    conn.close()


def _last_query(pid: int) -> str:
    with connection.cursor() as cur:
        cur.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid])
        return cur.fetchone()[0]


def test_a_quiet_connection_passes_without_a_query_to_the_server(own):
    with own.cursor() as cur:
        cur.execute("SELECT 42 AS the_last_real_query")
        pid = own.connection.info.backend_pid

    assert own.is_usable()

    # the server saw no SELECT 1: its last query is still ours
    assert "the_last_real_query" in _last_query(pid)


def test_a_connection_the_server_ended_is_found_unusable_and_replaced(own):
    pid = own.connection.info.backend_pid
    with connection.cursor() as cur:
        cur.execute("SELECT pg_terminate_backend(%s)", [pid])
    deadline = time.monotonic() + 5
    while own.is_usable() and time.monotonic() < deadline:
        time.sleep(0.01)  # the hang-up is on its way

    assert not own.is_usable()
    # as at the start of a request with health checks on: closed, reopened
    own.health_check_enabled, own.health_check_done = True, False
    own.close_if_health_check_failed()
    with own.cursor() as cur:
        cur.execute("SELECT 1")
        assert cur.fetchone() == (1,)
    assert own.connection.info.backend_pid != pid
