"""Small SQL helpers: statements the ORM has no single call for, and
querysets compiled once for the hot paths."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connection, connections
from django.db.models import QuerySet
from django.db.models.query import (
    FlatValuesListIterable,
    ModelIterable,
    ValuesIterable,
    ValuesListIterable,
    get_related_populators,
)


def insert_or_nothing(model, values: dict, *, conflict: tuple[str, ...]) -> int | None:
    """Insert one row; return its id, or None when a row with the same
    ``conflict`` columns exists (or a racing transaction inserts one first).

    One statement and no savepoint, unlike ``create()`` inside ``atomic()``
    with ``except IntegrityError``: ``INSERT … ON CONFLICT (…) DO NOTHING
    RETURNING id`` (PostgreSQL; SQLite ≥ 3.35). On PostgreSQL a racing insert
    of the same key waits for the first transaction, then inserts nothing.
    ``values`` maps column names to values, prepared for the database by
    their model fields as the ORM would (datetimes, JSON, decimals).
    """
    meta = model._meta
    quote = connection.ops.quote_name
    columns = list(values)
    fields = {f.column: f for f in meta.concrete_fields}
    params = [fields[c].get_db_prep_save(v, connection) for c, v in values.items()]
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(map(quote, columns))}) "
        f"VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({', '.join(map(quote, conflict))}) DO NOTHING "
        f"RETURNING {quote(meta.pk.column)}"
    )
    with connection.cursor() as cur:
        cur.execute(sql, params)
        row = cur.fetchone()
    return None if row is None else row[0]


# -- compiled queries ---------------------------------------------------------
# Django builds and compiles a queryset's SQL afresh on every execution: for a
# one-row lookup that is ~0.2 ms of CPU, ten times what SQLite spends running
# it. The checkout and payment paths run the same few lookups thousands of
# times a second, so they compile them once per process (see ADR 9).

_INT_MARK = 2_000_000_001  # inside every backend's integer range (ORM checks it)
_STR_MARK = "\x1femporia:param:{}\x1f"


@dataclass
class _Plan:
    alias: str
    sql: str
    params: list
    slots: dict[str, list[int]]
    converters: list
    make: Callable


class CompiledQuery:
    """A queryset compiled to SQL once per process and database vendor, then
    run with new parameters: same rows, same model instances (select_related
    included) or values, one statement, no ORM compilation.

    ``build(**params)`` returns the queryset; ``params`` names its parameters
    and their types: ``int``, ``str`` or ``list`` (all ints or all strs, for
    ``__in``; one plan per length and element type, up to ``MAX_LIST``;
    longer, empty or mixed lists run through the ORM). The queryset is built once with stand-in values, and each
    stand-in must reach the SQL unchanged: a lookup that rewrites its value
    (``icontains``, a datetime) is refused when the query is first compiled,
    with the reason. Supported: model instances (with ``select_related``,
    ``only``, annotations), ``values()`` and ``values_list()`` (flat too);
    not ``prefetch_related`` nor related managers' querysets.
    """

    MAX_LIST = 32

    def __init__(self, build: Callable[..., QuerySet], **params: type) -> None:
        for name, kind in params.items():
            if kind not in (int, str, list):
                raise TypeError(
                    f"parameter {name}: only int, str and list are supported"
                )
        self.build, self.params = build, params
        self._plans: dict[tuple, _Plan] = {}

    def all(self, **values) -> list:
        if values.keys() != self.params.keys():
            raise TypeError(
                f"expected parameters {sorted(self.params)}, got {sorted(values)}"
            )
        shape = []
        for name, value in values.items():
            kind = self.params[name]
            if type(value) is not kind:
                raise TypeError(
                    f"parameter {name} must be {kind.__name__}, "
                    f"not {type(value).__name__}"
                )
            if kind is list:
                element = type(value[0]) if value else None
                if (
                    element not in (int, str)
                    or len(value) > self.MAX_LIST
                    or any(type(v) is not element for v in value)
                ):
                    return list(self.build(**values))
                shape.append((len(value), element))
        plan = self._plan(tuple(shape))
        params = list(plan.params)
        for name, value in values.items():
            slots = plan.slots[name]
            if self.params[name] is list:
                for i, v in zip(slots, value, strict=True):
                    params[i] = v
            else:
                for i in slots:
                    params[i] = value
        conn = connections[plan.alias]
        with conn.cursor() as cur:
            cur.execute(plan.sql, params)
            rows = cur.fetchall()
        if plan.converters:
            rows = [_convert(row, plan.converters, conn) for row in rows]
        return plan.make(rows)

    def first(self, **values):
        rows = self.all(**values)
        return rows[0] if rows else None

    def _plan(self, shape: tuple) -> _Plan:
        key = (connection.vendor, shape)
        plan = self._plans.get(key)
        if plan is None:
            plan = self._plans[key] = self._compile(iter(shape))
        return plan

    def _compile(self, lists) -> _Plan:
        marks, n = {}, 0
        for i, (name, kind) in enumerate(self.params.items()):
            if kind is str:
                marks[name] = _STR_MARK.format(i)
            elif kind is int:
                marks[name], n = _INT_MARK + n, n + 1
            else:
                k, element = next(lists)
                if element is int:
                    marks[name], n = [_INT_MARK + n + j for j in range(k)], n + k
                else:
                    marks[name] = [_STR_MARK.format(f"{i}.{j}") for j in range(k)]
        qs = self.build(**marks)
        if qs._prefetch_related_lookups or qs._known_related_objects:
            raise TypeError("compiled queries cannot prefetch or use related managers")
        compiler = qs.query.get_compiler(using=qs.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet as exc:
            raise TypeError(
                "the query compiles to no SQL with stand-in values"
            ) from exc
        params = list(params)

        def where(mark) -> list[int]:
            return [
                i for i, p in enumerate(params) if type(p) is type(mark) and p == mark
            ]

        slots = {}
        for name, mark in marks.items():
            if isinstance(mark, list):
                found = [where(m) for m in mark]
                ok = all(len(f) == 1 for f in found)
                slots[name] = [f[0] for f in found] if ok else []
            else:
                slots[name] = where(mark)
            if not slots[name]:
                raise TypeError(
                    f"parameter {name} does not reach the SQL unchanged "
                    "(the lookup rewrites it); compile this query differently"
                )
        fields = [s[0] for s in compiler.select[: compiler.col_count]]
        converters = list(compiler.get_converters(fields).items())
        return _Plan(
            alias=qs.db,
            sql=sql,
            params=params,
            slots=slots,
            converters=converters,
            make=_materializer(qs, compiler),
        )


def _convert(row, converters, conn) -> list:
    row = list(row)
    for pos, (convs, expression) in converters:
        value = row[pos]
        for convert in convs:
            value = convert(value, expression, conn)
        row[pos] = value
    return row


def _materializer(qs: QuerySet, compiler) -> Callable[[list], list]:
    """What the queryset's iterable would make of the rows, precomputed."""
    kind = qs._iterable_class
    query = qs.query
    if kind is ModelIterable:
        klass_info = compiler.klass_info
        model, select = klass_info["model"], compiler.select
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        init_list = [f[0].target.attname for f in select[start:end]]
        populators = get_related_populators(klass_info, select, qs.db)
        annotations = list((compiler.annotation_col_map or {}).items())
        db = qs.db

        def make(rows):
            out = []
            for row in rows:
                obj = model.from_db(db, init_list, row[start:end])
                for populator in populators:
                    populator.populate(row, obj)
                for name, pos in annotations:
                    setattr(obj, name, row[pos])
                out.append(obj)
            return out

        return make
    names = [*query.extra_select, *query.values_select, *query.annotation_select]
    wanted = list(qs._fields) or names
    index = [names.index(f) for f in wanted]
    if kind is ValuesIterable:
        return lambda rows: [
            {f: row[i] for f, i in zip(wanted, index, strict=True)} for row in rows
        ]
    if kind is ValuesListIterable:
        return lambda rows: [tuple(row[i] for i in index) for row in rows]
    if kind is FlatValuesListIterable:
        first = index[0]
        return lambda rows: [row[first] for row in rows]
    raise TypeError(f"compiled queries cannot produce {kind.__name__} results")
