"""Plain SQL for the switchboard's busiest statements.

A CTI event runs about a dozen statements while the switchboard is held, and the events
go through it one at a time. Django's ORM spends about 0.3 ms of Python building each
statement, for a query SQLite runs in about 0.05 ms: that was most of an event's cost
(bench/acd.py). Here each statement's text is built once per model from its metadata
and kept, and values pass through the fields' own conversions both ways, so what is
written is what `save()` writes and what is read is the model instance the ORM gives.
The rest of civicline, and the switchboard's rarer paths, use the ORM; a queue's opening
hours are read here too, since every call asks whether the line is open.

Column names in the `where` clauses are Django's defaults (the field's attname).
"""

from datetime import datetime
from functools import cache

from django.db import connection
from django.db.models import Model


def table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def query(sql: str, params: list | tuple = ()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def execute(sql: str, params: list | tuple = ()) -> None:
    """A statement that returns no rows (UPDATE, DELETE)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def add(instance: Model) -> Model:
    """Write a new instance as `save()` does, and give it its id."""
    sql, fields = _insert_statement(type(instance), connection.vendor)
    params = [
        field.get_db_prep_save(getattr(instance, field.attname), connection) for field in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        instance.pk = cursor.fetchone()[0]
    instance._state.adding, instance._state.db = False, connection.alias
    return instance


def update(instance: Model, **values) -> None:
    """Set these fields on the instance and write them, as `save(update_fields=...)`."""
    for name, value in values.items():
        setattr(instance, name, value)
    sql, fields = _update_statement(type(instance), tuple(values), connection.vendor)
    params = [
        field.get_db_prep_save(getattr(instance, field.attname), connection) for field in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, instance.pk])


def _params(instance: Model, fields: list) -> list:
    return [f.get_db_prep_save(getattr(instance, f.attname), connection) for f in fields]


def moment(value: datetime | None):
    """A datetime as a parameter of a hand-written statement (SQLite keeps text)."""
    return connection.ops.adapt_datetimefield_value(value)


def select(
    model: type[Model], where: str, params: list, *, related: tuple[str, ...] = (), lock=False
) -> list[Model]:
    """The rows matching `where` (on the model's own columns; ORDER BY and LIMIT there pick
    the rows, the order of joined rows is not kept), with the foreign keys in `related`
    loaded as `select_related` loads them; `lock` locks the rows where the database can
    (PostgreSQL)."""
    columns, joins, readers = _select_statement(model, related, connection.vendor)
    if lock and connection.features.has_select_for_update:
        where += " FOR UPDATE"
    # The condition sees the model's own table alone, so its columns need no table name.
    sql = f"SELECT {columns} FROM (SELECT * FROM {table(model)} WHERE {where}) {table(model)}"
    found = []
    for row in query(sql + joins, params):
        main, *joined = [reader.build(row) for reader in readers]
        for reader, instance in zip(readers[1:], joined, strict=True):
            reader.foreign_key.set_cached_value(main, instance)
        found.append(main)
    return found


@cache
def _insert_statement(model: type[Model], vendor: str) -> tuple[str, list]:
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    pk = connection.ops.quote_name(model._meta.pk.column)
    return f"INSERT INTO {table(model)} ({columns}) VALUES ({marks}) RETURNING {pk}", fields


@cache
def _update_statement(model: type[Model], names: tuple[str, ...], vendor: str) -> tuple:
    fields = [model._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    return f"UPDATE {table(model)} SET {sets} WHERE {quote(model._meta.pk.column)} = %s", fields


# Statements are kept per model and database vendor: civicline uses one database alias,
# so the converters taken from the connection that first built a reader serve them all.
class _Reader:
    """Turns one model's columns of a row into an instance, converting each value as the
    ORM does (e.g. SQLite's text datetimes into aware ones)."""

    def __init__(self, model: type[Model], start: int, foreign_key=None):
        self.model, self.foreign_key = model, foreign_key
        fields = model._meta.concrete_fields
        self.span = slice(start, start + len(fields))
        alias = model._meta.db_table if foreign_key is None else foreign_key.name
        self.converters = []
        for index, field in enumerate(fields):
            column = field.get_col(alias)
            found = connection.ops.get_db_converters(column) + field.get_db_converters(connection)
            if found:
                self.converters.append((index, found, column))

    def build(self, row: tuple) -> Model | None:
        values = list(row[self.span])
        if self.foreign_key is not None and values[0] is None:
            return None  # the key was empty: nothing joined
        for index, converters, column in self.converters:
            for convert in converters:
                values[index] = convert(values[index], column, connection)
        return self.model.from_db(connection.alias, None, values)


@cache
def _select_statement(model: type[Model], related: tuple[str, ...], vendor: str) -> tuple:
    quote = connection.ops.quote_name
    readers = [_Reader(model, 0)]
    joins = []
    for name in related:
        key = model._meta.get_field(name)
        other = key.related_model
        readers.append(_Reader(other, readers[-1].span.stop, key))
        joins.append(
            f" LEFT OUTER JOIN {table(other)} {quote(name)}"
            f" ON {table(model)}.{quote(key.column)} = {quote(name)}.{quote(other._meta.pk.column)}"
        )
    columns = ", ".join(
        f"{table(model) if r.foreign_key is None else quote(r.foreign_key.name)}.{quote(f.column)}"
        for r in readers
        for f in r.model._meta.concrete_fields
    )
    return columns, "".join(joins), readers
