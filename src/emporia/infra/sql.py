"""Small SQL helpers the ORM has no single statement for."""

from __future__ import annotations

from django.db import connection


def insert_or_nothing(model, values: dict, *, conflict: tuple[str, ...]) -> int | None:
    """Insert one row; return its id, or None when a row with the same
    ``conflict`` columns exists (or a racing transaction inserts one first).

    One statement and no savepoint, unlike ``create()`` inside ``atomic()``
    with ``except IntegrityError``: ``INSERT … ON CONFLICT (…) DO NOTHING
    RETURNING id`` (PostgreSQL; SQLite ≥ 3.35). On PostgreSQL a racing insert
    of the same key waits for the first transaction, then inserts nothing.
    ``values`` maps column names to database-ready values.
    """
    meta = model._meta
    quote = connection.ops.quote_name
    columns = list(values)
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(map(quote, columns))}) "
        f"VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({', '.join(map(quote, conflict))}) DO NOTHING "
        f"RETURNING {quote(meta.pk.column)}"
    )
    with connection.cursor() as cur:
        cur.execute(sql, list(values.values()))
        row = cur.fetchone()
    return None if row is None else row[0]
