"""Django's PostgreSQL backend, with a cheaper connection health check.

With ``CONN_HEALTH_CHECKS`` (on by default here: ``EMPORIA_DB_HEALTH_CHECKS``)
Django checks a reused connection at the start of every request by running
``SELECT 1`` on it: one round trip per request, four or five per paid order,
each a pair of system calls and a wake-up of a PostgreSQL backend.

A connection that was idle between requests has nothing to read. When the
server ends it — a restart, ``pg_terminate_backend``, an idle timeout — the
backend sends an error and closes the socket, which makes it readable. So
this backend first asks the socket, without waiting (``select`` with a zero
timeout): nothing to read means nothing happened and the connection is used
as it is; anything to read (a hang-up, or a notice) falls back to Django's
``SELECT 1``. What is not detected without a round trip: a connection whose
network path died silently (no hang-up ever arrives) — the request using it
fails once with a connection error and the next gets a new connection, as
with health checks off.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base as postgresql_base


class DatabaseWrapper(postgresql_base.DatabaseWrapper):
    def is_usable(self) -> bool:
        conn = self.connection
        if conn is None or conn.closed:
            return False
        try:
            readable, _, _ = select.select([conn.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        if not readable:
            return True
        return super().is_usable()
