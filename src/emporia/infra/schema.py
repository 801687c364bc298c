"""Schema operations the migrations share."""

from __future__ import annotations

from django.db import migrations


def drop_index(table: str, column: str, name: str) -> migrations.RunSQL:
    """Drop one index, and only it (reversed: create it again).

    For an index Django made for a field (``db_index``, a ForeignKey's) put
    it in ``SeparateDatabaseAndState`` beside the field's ``AlterField``:
    applied to the database, that ``AlterField`` would make SQLite copy the
    whole table into a new one, which also drops the table's triggers (the
    ledger's append-only guards among them).
    """
    return migrations.RunSQL(
        f'DROP INDEX IF EXISTS "{name}"',
        reverse_sql=f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ("{column}")',
    )
