"""No table keeps a single-column index that another index already leads with.

A B-tree on (a, b) answers every lookup on ``a`` that a B-tree on (a) alone
answers, so the one-column index beside it never helps a read and costs every
write: one more index entry per INSERT and per UPDATE that moves the row (more
WAL on PostgreSQL, a longer write lock on SQLite). Django adds such an index
for each ForeignKey unless the field says ``db_index=False``, which is how a
model leaves it out when one of its indexes or unique constraints leads with
that column.

Tables Django owns (auth, and the through tables it creates for
many-to-many fields) keep Django's indexes. Partial indexes, expression
indexes and non-default operator classes or access methods answer other
questions and are neither counted as covering nor reported.
"""

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import Index

pytestmark = pytest.mark.django_db


def emporia_tables() -> list[str]:
    """Every table an Emporia model declares; through tables Django creates
    for many-to-many fields are auto-created models and left out."""
    return sorted(
        {
            model._meta.db_table
            for config in apps.get_app_configs()
            if config.name.startswith("emporia.")
            for model in config.get_models()
            if model._meta.managed and not model._meta.proxy
        }
    )


def index_sql(cursor, name: str) -> str:
    """The statement that built an index; "" for a table constraint."""
    if connection.vendor == "postgresql":
        cursor.execute(
            "SELECT pg_get_indexdef(to_regclass(%s))",
            [connection.ops.quote_name(name)],
        )
    else:
        cursor.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = %s", [name]
        )
    row = cursor.fetchone()
    return (row and row[0]) or ""


def is_plain_btree(cursor, name: str, info: dict) -> bool:
    """A whole-table B-tree over plain columns in their default order class."""
    if not info["columns"] or None in info["columns"]:
        return False  # an expression index
    if info.get("type", Index.suffix) != Index.suffix:
        return False  # GIN, GiST, or an explicitly named access method
    sql = index_sql(cursor, name).upper()
    return " WHERE " not in sql and "_PATTERN_OPS" not in sql


def redundant_indexes(cursor, table: str) -> list[str]:
    constraints = connection.introspection.get_constraints(cursor, table)
    plain = {
        name: info
        for name, info in constraints.items()
        if (info["index"] or info["unique"] or info["primary_key"])
        and is_plain_btree(cursor, name, info)
    }
    found = []
    for name, info in sorted(plain.items()):
        if info["unique"] or info["primary_key"] or len(info["columns"]) != 1:
            continue
        (column,) = info["columns"]
        covering = sorted(
            other
            for other, other_info in plain.items()
            if other != name
            and other_info["columns"][0] == column
            # Two identical one-column indexes: report only one of them.
            and (
                len(other_info["columns"]) > 1
                or other_info["unique"]
                or other_info["primary_key"]
                or other < name
            )
        )
        if covering:
            found.append(f"{table}.{name} ({column}) <= {', '.join(covering)}")
    return found


def test_no_single_column_index_duplicates_the_leading_column_of_another():
    with connection.cursor() as cursor:
        found = [
            line for t in emporia_tables() for line in redundant_indexes(cursor, t)
        ]

    assert found == [], "indexes another one covers:\n" + "\n".join(found)
