"""Small SQL helpers: statements the ORM has no single call for, and
querysets compiled once for the hot paths."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet, ValidationError
from django.db import connection, connections, models, router
from django.db.models import Field, Model, QuerySet
from django.db.models.deletion import Collector
from django.db.models.query import (
    FlatValuesListIterable,
    ModelIterable,
    ValuesIterable,
    ValuesListIterable,
    get_related_populators,
)


# -- running a statement -----------------------------------------------------------
def _run(conn, sql: str, params: list, result: str):
    """Execute one statement and return its rows (``result="rows"``) or the
    number of rows it changed (``"rowcount"``).

    Django's cursor wrapper costs ~8 µs a statement (a wrapper object, the
    execute-wrapper chain, a thread-sharing check on every call) — a sixth of
    a compiled INSERT. With nobody watching the statements (no query log as
    in ``assert_num_queries`` or ``DEBUG``, no ``execute_wrapper``) the
    statement runs on the backend's own cursor, with what the wrapper does
    that matters kept: the health check, the connection opened on first use,
    the refusal to run in a broken transaction, the thread check, and the
    translation of driver errors into Django's (``IntegrityError``…). On
    SQLite the backend's cursor still takes the writer's turn for a write
    outside a transaction. Watched, it goes through the wrapper as any query
    does, and is counted and logged like one.
    """
    if conn.queries_logged or conn.execute_wrappers:
        with conn.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall() if result == "rows" else cur.rowcount
    conn.close_if_health_check_failed()
    if conn.connection is None:
        conn.ensure_connection()
    conn.validate_thread_sharing()
    conn.validate_no_broken_transaction()
    with conn.wrap_database_errors:
        cur = conn.create_cursor()
        try:
            cur.execute(sql, params)
            return cur.fetchall() if result == "rows" else cur.rowcount
        finally:
            cur.close()


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
    rows = _run(connection, sql, params, "rows")
    return rows[0][0] if rows else None


# -- compiled writes -------------------------------------------------------------
# The same cost on the write side: ``bulk_create`` of one row is ~0.13 ms of
# CPU on SQLite, of which SQLite's own INSERT is ~0.02 ms; ``filter().update()``
# and ``filter().delete()`` (with its deletion collector) are more. On SQLite
# that time is spent holding the database's one write lock, which every
# order needs several times. These helpers build their statement once per
# shape and process, and prepare values with the model's own fields.


@dataclass(frozen=True)
class Add:
    """An ``update_where`` value: add ``amount`` to the column
    (``col = col + amount``), as ``F(col) + amount`` would; with ``floor``,
    never below it (``Greatest(F(col) + amount, floor)``)."""

    amount: int
    floor: int | None = None

    def sql(self, col: str) -> str:
        if self.floor is None:
            return f"{col} = {col} + %s"
        return f"{col} = CASE WHEN {col} + %s < %s THEN %s ELSE {col} + %s END"

    def params(self) -> list[int]:
        if self.floor is None:
            return [self.amount]
        return [self.amount, self.floor, self.floor, self.amount]


_INSERTS: dict[tuple, tuple[str, list[tuple[Field, bool]], Field]] = {}
_UPDATES: dict[tuple, tuple[str, list[Field]]] = {}


def _plain_pre_save(field: Field) -> bool:
    return type(field).pre_save is Field.pre_save


# Django's own fields whose preparation of an int, a str, a bool or None is
# at most a type check, so that a value of that exact type may be passed to
# the driver as it is (``get_db_prep_save`` is ~2 µs a value, ten or more a
# row). Which types pass unchanged is asked of the field itself on this
# connection, once: on PostgreSQL an integer is wrapped (psycopg's Int4/Int8)
# and is then prepared as usual.
_SIMPLE_FIELDS = (
    models.AutoField,
    models.BigAutoField,
    models.SmallAutoField,
    models.IntegerField,
    models.BigIntegerField,
    models.SmallIntegerField,
    models.PositiveIntegerField,
    models.PositiveBigIntegerField,
    models.PositiveSmallIntegerField,
    models.BooleanField,
    models.CharField,
    models.TextField,
    models.SlugField,
    models.EmailField,
    models.URLField,
)
_PROBES = (2_000_000_001, "Ab \x1f", True, None)


def _as_is(field: Field, conn) -> tuple[type, ...]:
    """The value types ``field`` hands to the driver unchanged on ``conn``."""
    target = field
    if type(field) in (models.ForeignKey, models.OneToOneField):
        target = field.target_field
    if type(target) not in _SIMPLE_FIELDS:
        return ()
    kept = []
    for probe in _PROBES:
        try:
            if field.get_db_prep_save(probe, conn) is probe:
                kept.append(type(probe))
        except (TypeError, ValueError, ValidationError):
            pass
    return tuple(kept)


def insert_objects(objs: list[Model]) -> list[Model]:
    """Insert new instances of one model in one ``INSERT … RETURNING pk`` and
    set their primary keys, as ``bulk_create(objs)`` does for rows with an
    automatic primary key — with the statement built once per (model, number
    of rows, database). Values are prepared by the model's fields exactly as
    the ORM's (``pre_save``: ``auto_now_add``; ``get_db_prep_save``: JSON,
    decimals, datetimes). Like ``bulk_create``: no signals, no ``save()``.
    Refuses an instance that already has a primary key, and expressions as
    values.
    """
    if not objs:
        return objs
    model = type(objs[0])
    alias = router.db_for_write(model)
    conn = connections[alias]
    if len(objs) == 1:
        _insert_chunk(objs, model, alias, conn)
        return objs
    meta = model._meta
    size = conn.ops.bulk_batch_size(
        [f for f in meta.concrete_fields if not f.primary_key], objs
    )
    for start in range(0, len(objs), max(size, 1)):
        _insert_chunk(objs[start : start + max(size, 1)], model, alias, conn)
    return objs


def _insert_chunk(objs, model, alias, conn) -> None:
    key = (model, len(objs), alias, conn.vendor)
    plan = _INSERTS.get(key)
    if plan is None:
        plan = _insert_plan(model, len(objs), conn)
        if len(objs) <= CompiledQuery.MAX_LIST:
            _INSERTS[key] = plan
    sql, fields, pk = plan
    params = []
    for obj in objs:
        if type(obj) is not model or obj.pk is not None:
            raise TypeError("insert_objects takes new instances of one model")
        for field, plain, as_is in fields:
            value = getattr(obj, field.attname) if plain else field.pre_save(obj, True)
            if type(value) in as_is:
                params.append(value)
                continue
            if hasattr(value, "resolve_expression"):
                raise TypeError(f"{field.name}: expressions are not inserted here")
            params.append(field.get_db_prep_save(value, conn))
    ids = [row[0] for row in _run(conn, sql, params, "rows")]
    for obj, pk_value in zip(objs, ids, strict=True):
        setattr(obj, pk.attname, pk_value)
        obj._state.adding = False
        obj._state.db = alias


def _insert_plan(model, rows: int, conn):
    meta = model._meta
    pk = meta.pk
    if meta.auto_field is not pk:
        raise TypeError(f"{meta.label}: insert_objects needs an automatic primary key")
    fields = [f for f in meta.concrete_fields if f is not pk and not f.generated]
    quote = conn.ops.quote_name
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    sql = (
        f"INSERT INTO {quote(meta.db_table)} "
        f"({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES {', '.join([row] * rows)} RETURNING {quote(pk.column)}"
    )
    return sql, [(f, _plain_pre_save(f), _as_is(f, conn)) for f in fields], pk


def update_where(model, values: dict, returning: tuple[str, ...] = (), **where):
    """``UPDATE <model> SET … WHERE …``; returns the number of rows changed,
    or with ``returning`` (field names) the changed rows' values of those
    fields as tuples, in no particular order (``UPDATE … RETURNING``: what a
    ``select_for_update()`` read and its update did in two statements, a
    claim of the rows that still match in one).

    ``values`` maps field names to new values (prepared by their fields as
    ``QuerySet.update`` does) or to :class:`Add`. ``where`` is a conjunction
    of ``name=value`` (equality; ``None`` is ``IS NULL``, as in ``filter()``)
    and ``name__in=[values]``. The statement is
    built once per shape; the same as ``filter(**where).update(**values)``
    with no ORM compilation (compare-and-swap transitions use it:
    ``WHERE id = … AND status = …``).
    """
    alias = router.db_for_write(model)
    conn = connections[alias]
    shape = _shape(where)
    key = (
        model,
        tuple(values),
        tuple(type(v) is Add and v.floor is None for v in values.values()),
        tuple(type(v) is Add and v.floor is not None for v in values.values()),
    )
    key += (shape, alias, conn.vendor, returning)
    plan = _UPDATES.get(key)
    if plan is None:
        plan = _update_plan(model, values, shape, conn, returning)
        if _cacheable(shape):
            _UPDATES[key] = plan
    sql, set_fields, converters = plan
    params = []
    for f, v in zip(set_fields, values.values(), strict=True):
        if type(v) is Add:
            params += v.params()
        else:
            params.append(f.get_db_prep_save(_saveable(v, f), conn))
    params += _where_params(model, where, conn)
    if not returning:
        return _run(conn, sql, params, "rowcount")
    rows = _run(conn, sql, params, "rows")
    if not converters:  # no column needs converting (ints, strs)
        return [tuple(row) for row in rows]
    return [tuple(_convert(row, converters, conn)) for row in rows]


def delete_where(model, **where) -> int:
    """``DELETE FROM <model> WHERE …`` (the same ``where`` as
    ``update_where``); returns the number of rows deleted. Only for models
    that nothing references and no signal watches — what Django's collector
    would delete in one statement anyway (checked when the statement is
    first built)."""
    alias = router.db_for_write(model)
    conn = connections[alias]
    shape = _shape(where)
    key = ("delete", model, shape, alias, conn.vendor)
    plan = _UPDATES.get(key)
    if plan is None:
        if not Collector(using=alias, origin=None).can_fast_delete(model):
            raise TypeError(
                f"{model._meta.label} has dependent rows or signals: use the ORM"
            )
        quote = conn.ops.quote_name
        sql = f"DELETE FROM {quote(model._meta.db_table)} WHERE "
        plan = (sql + _where_sql(model, shape, quote), [])
        if _cacheable(shape):
            _UPDATES[key] = plan
    if any(k.endswith("__in") and not v for k, v in where.items()):
        return 0
    return _run(conn, plan[0], _where_params(model, where, conn), "rowcount")


def _shape(where: dict) -> tuple:
    # per condition: the list's length for __in, -1 for "= %s", -2 for IS NULL
    return tuple(
        (k, len(v) if k.endswith("__in") else -2 if v is None else -1)
        for k, v in where.items()
    )


def _saveable(value, field):
    # a model instance for a foreign key: its primary key (as QuerySet.update)
    if isinstance(value, Model):
        return value.prepare_database_save(field)
    if hasattr(value, "resolve_expression"):
        raise TypeError(f"{field.name}: use Add, or the ORM, for expressions")
    return value


def _cacheable(shape) -> bool:
    # one plan per list length: long lists are built afresh (as CompiledQuery)
    return all(n <= CompiledQuery.MAX_LIST for _, n in shape)


def _update_plan(model, values: dict, shape, conn, returning: tuple[str, ...]):
    meta = model._meta
    quote = conn.ops.quote_name
    sets, fields = [], []
    for name, value in values.items():
        field = meta.get_field(name)
        if not field.concrete or field.primary_key:
            raise TypeError(f"{meta.label}.{name} cannot be updated here")
        col = quote(field.column)
        sets.append(value.sql(col) if type(value) is Add else f"{col} = %s")
        fields.append(field)
    sql = f"UPDATE {quote(meta.db_table)} SET {', '.join(sets)} WHERE "
    sql += _where_sql(model, shape, quote)
    out = [meta.pk if name == "pk" else meta.get_field(name) for name in returning]
    if any(not f.concrete for f in out):
        raise TypeError(f"{meta.label}: only columns can be returned")
    if out:
        sql += " RETURNING " + ", ".join(quote(f.column) for f in out)
    # what the ORM would convert each returned value with (as _convert wants)
    converters = []
    for pos, field in enumerate(out):
        col = field.get_col(meta.db_table)
        convs = conn.ops.get_db_converters(col) + col.get_db_converters(conn)
        if convs:
            converters.append((pos, (convs, col)))
    return sql, fields, converters


def _where_sql(model, shape, quote) -> str:
    meta = model._meta
    terms = []
    for key, n in shape:
        name = key.removesuffix("__in")
        field = meta.pk if name == "pk" else meta.get_field(name)
        col = quote(field.column)
        if n == -2:
            terms.append(f"{col} IS NULL")
        elif n < 0:
            terms.append(f"{col} = %s")
        elif n == 0:
            terms.append("1 = 0")
        else:
            terms.append(f"{col} IN ({', '.join(['%s'] * n)})")
    if not terms:
        raise TypeError("a where clause is required")
    return " AND ".join(terms)


def _where_params(model, where: dict, conn) -> list:
    meta = model._meta
    params = []
    for key, value in where.items():
        name = key.removesuffix("__in")
        field = meta.pk if name == "pk" else meta.get_field(name)
        if key.endswith("__in"):
            params += [
                field.get_db_prep_value(_saveable(v, field), conn, prepared=False)
                for v in value
            ]
        elif value is not None:  # None is IS NULL, as in filter()
            params.append(
                field.get_db_prep_value(_saveable(value, field), conn, prepared=False)
            )
    return params


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
    # positions whose stand-in the backend wrapped (psycopg's Int8 for a
    # BigIntegerField on PostgreSQL): new values get the same wrapper
    wrappers: dict[int, type]


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
            wrappers = plan.wrappers
            if self.params[name] is list:
                for i, v in zip(slots, value, strict=True):
                    params[i] = wrappers[i](v) if i in wrappers else v
            else:
                for i in slots:
                    params[i] = wrappers[i](value) if i in wrappers else value
        conn = connections[plan.alias]
        rows = _run(conn, plan.sql, params, "rows")
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
            # an int stand-in may come back wrapped in an int subclass
            return [
                i
                for i, p in enumerate(params)
                if (type(p) is type(mark) or (type(mark) is int and isinstance(p, int)))
                and p == mark
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
        wrappers = {
            i: type(params[i])
            for found in slots.values()
            for i in found
            if type(params[i]) not in (int, str)
        }
        return _Plan(
            wrappers=wrappers,
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
