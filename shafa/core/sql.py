"""Plain SQL for the few hot paths where the ORM's query compilation is the cost.

Statements are fixed strings written from the models' own table names and run through Django's
connection (so `%s` placeholders, transactions, and both PostgreSQL and SQLite work). Values come
back as each driver gives them (PostgreSQL: Decimal, aware datetimes; SQLite: numbers and naive
UTC datetimes), so readers pass them through `as_decimal` / `as_aware`.
"""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal
from typing import Any

from django.db import connection
from django.utils import timezone


def table(model: Any) -> str:
    """The model's table name, quoted for the database (worked out once per process)."""
    return _table(connection.vendor, model)


@functools.cache
def _table(vendor: str, model: Any) -> str:
    return str(connection.ops.quote_name(model._meta.db_table))


def fetch_rows(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def execute(sql: str, params: list[Any]) -> int:
    """Run one statement; the number of rows it changed."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount)


def db_datetime(value: dt.datetime) -> Any:
    """A datetime as the database stores it (SQLite: naive UTC text)."""
    return connection.ops.adapt_datetimefield_value(value)


def as_decimal(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def as_time(value: Any) -> dt.time:
    return dt.time.fromisoformat(value) if isinstance(value, str) else value


def as_aware(value: Any) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return timezone.make_aware(value, dt.UTC) if timezone.is_naive(value) else value


# --- model instances from a fixed SELECT ---------------------------------------------------------


def _converters(model: Any, attnames: tuple[str, ...]) -> list[tuple[Any, list[Any]]]:
    """For each column, the converters the ORM's compiler would apply (backend first, then field)."""
    fields = {field.attname: field for field in model._meta.concrete_fields}
    result = []
    for name in attnames:
        field = fields[name]
        column = field.get_col(model._meta.db_table)
        functions = connection.ops.get_db_converters(column) + field.get_db_converters(connection)
        result.append((column, functions))
    return result


_CONVERTERS: dict[tuple[str, Any, tuple[str, ...]], list[tuple[Any, list[Any]]]] = {}


def select_list(alias: str, model: Any, attnames: tuple[str, ...] | None = None) -> str:
    """`alias.col1, alias.col2, …` for the model's columns (all concrete fields by default), worked
    out once per process: the statements that use it are rebuilt on every request."""
    return _select_list(connection.vendor, alias, model, attnames)


@functools.cache
def _select_list(vendor: str, alias: str, model: Any, attnames: tuple[str, ...] | None) -> str:
    fields = {field.attname: field for field in model._meta.concrete_fields}
    names = attnames or tuple(fields)
    quote = connection.ops.quote_name
    return ", ".join(f"{alias}.{quote(fields[name].column)}" for name in names)


@functools.cache
def attnames_of(model: Any) -> tuple[str, ...]:
    return tuple(field.attname for field in model._meta.concrete_fields)


def instance_from_row(model: Any, values: Any, attnames: tuple[str, ...] | None = None) -> Any:
    """A model instance as the ORM would load it from these column values (missing fields deferred).

    `values` are in the order of `select_list(alias, model, attnames)`; they go through the same
    converters the ORM applies (so SQLite's text datetimes become aware datetimes, and so on)."""
    names = attnames or attnames_of(model)
    key = (connection.vendor, model, names)
    converters = _CONVERTERS.get(key)
    if converters is None:
        converters = _CONVERTERS[key] = _converters(model, names)
    converted = []
    for value, (expression, functions) in zip(values, converters, strict=True):
        for function in functions:
            value = function(value, expression, connection)
        converted.append(value)
    return model.from_db(connection.alias, list(names), converted)


def insert(model: Any, values: dict[str, Any]) -> int:
    """INSERT one row of `model` (values by attname, prepared as the ORM prepares them); its id."""
    fields = {field.attname: field for field in model._meta.concrete_fields}
    quote = connection.ops.quote_name
    names = list(values)
    params = [fields[name].get_db_prep_save(values[name], connection) for name in names]
    rows = fetch_rows(
        f"INSERT INTO {table(model)} ({', '.join(quote(fields[name].column) for name in names)})"
        f" VALUES ({', '.join(['%s'] * len(names))}) RETURNING {quote(model._meta.pk.column)}",
        params,
    )
    return int(rows[0][0])


def insert_many(model: Any, rows: list[dict[str, Any]]) -> list[int]:
    """INSERT several rows of `model` in one statement (every row with the same attnames); their
    ids, in the order given (PostgreSQL and SQLite return a VALUES list's rows in order, which
    Django's bulk_create relies on too; the registration form's tests check each id's row)."""
    if not rows:
        return []
    fields = {field.attname: field for field in model._meta.concrete_fields}
    quote = connection.ops.quote_name
    names = list(rows[0])
    params = [fields[name].get_db_prep_save(row[name], connection) for row in rows for name in names]
    one = f"({', '.join(['%s'] * len(names))})"
    found = fetch_rows(
        f"INSERT INTO {table(model)} ({', '.join(quote(fields[name].column) for name in names)})"
        f" VALUES {', '.join([one] * len(rows))} RETURNING {quote(model._meta.pk.column)}",
        params,
    )
    return [int(row[0]) for row in found]


def marks(values: Any) -> str:
    """`%s, %s, …`: one placeholder per value, for an IN list."""
    return ", ".join(["%s"] * len(values))
