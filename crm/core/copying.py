"""Copying a whole database to another one: a laptop's SQLite file to a team server and back.

Every table is read through the models bound to the source and written
through the models bound to the target, so each value is converted as the
app itself reads and writes it (SQLite's text dates become PostgreSQL
timestamps, 0/1 become booleans, and back). The search index is copied as
it is (the same folded words on both), PostgreSQL's id sequences are moved
past the copied ids, and the rows of every table are counted on both sides
at the end. The target must be empty: a new database, or one with nothing
but the settings a new database starts with.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from peewee import Database, ForeignKeyField, Model

from crm.core import db as dbm
from crm.core import models, postgres, search
from crm.core.errors import DatabaseError, ValidationError

# Rows per INSERT: well under SQLite's 32,766 parameters for the widest table.
CHUNK = 500
# Tables a new database already fills; the copy replaces their rows.
_STARTER_TABLES = ("crm_meta", "setting", "profile")


@dataclass
class CopyReport:
    """What a copy did: rows per table in the source and in the target."""

    source: str
    target: str
    tables: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(a == b for a, b in self.tables.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "from": self.source,
            "to": self.target,
            "tables": {t: {"source": a, "target": b} for t, (a, b) in self.tables.items()},
            "rows": sum(b for _a, b in self.tables.values()),
            "ok": self.ok,
        }


def _ordered_models() -> list[type[Model]]:
    """Every model, each after the ones its foreign keys point to."""
    todo = list(models.ALL_MODELS)
    done: list[type[Model]] = []
    while todo:
        for model in todo:
            targets = {
                f.rel_model
                for f in model._meta.sorted_fields
                if isinstance(f, ForeignKeyField) and f.rel_model is not model
            }
            if targets <= set(done):
                done.append(model)
                todo.remove(model)
                break
        else:
            raise DatabaseError("The tables' foreign keys form a cycle")
    return done


def _count(database: Database, table: str) -> int:
    return int(database.execute_sql(f"SELECT count(*) FROM {table}").fetchone()[0])


def _data_rows(database: Database) -> dict[str, int]:
    """Rows in each table a new database leaves empty (only those that have some)."""
    found: dict[str, int] = {}
    for model in models.ALL_MODELS:
        table = model._meta.table_name
        if table in _STARTER_TABLES:
            continue
        if database.execute_sql(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is not None:
            found[table] = _count(database, table)
    return found


def _read(source: Database, model: type[Model]) -> Iterator[list[tuple[Any, ...]]]:
    """The rows of ``model`` in the source, as the app reads them, in chunks, by primary key."""
    fields = model._meta.sorted_fields
    with source.bind_ctx([model]):
        query = model.select(*fields).order_by(*model._meta.get_primary_keys()).tuples()
        chunk: list[tuple[Any, ...]] = []
        for row in query.iterator():
            chunk.append(row)
            if len(chunk) >= CHUNK:
                yield chunk
                chunk = []
        if chunk:
            yield chunk


def _copy_table(source: Database, target: Database, model: type[Model]) -> None:
    fields = model._meta.sorted_fields
    if dbm.is_postgres(target):
        _copy_rows_in(source, target, model)
        return
    for chunk in _read(source, model):
        with target.bind_ctx([model]):
            model.insert_many(chunk, fields=fields).execute()


def _copy_rows_in(source: Database, target: Database, model: type[Model]) -> None:
    """Into PostgreSQL with ``COPY``: each value as the model's field writes it."""
    fields = model._meta.sorted_fields
    columns = ", ".join(f.column_name for f in fields)
    cursor = target.connection().cursor()
    try:
        with cursor.copy(f"COPY {model._meta.table_name} ({columns}) FROM STDIN") as copy:
            for chunk in _read(source, model):
                for row in chunk:
                    copy.write_row([f.db_value(v) for f, v in zip(fields, row, strict=True)])
    finally:
        cursor.close()


def _copy_search_index(source: Database, target: Database) -> None:
    rows = source.execute_sql(f"SELECT rowid, body FROM {search.FTS_TABLE}").fetchall()
    target.execute_sql(f"DELETE FROM {search.FTS_TABLE}")
    conn = target.connection()
    for start in range(0, len(rows), CHUNK):
        conn.executemany(
            f"INSERT INTO {search.FTS_TABLE}(rowid, body) VALUES (?, ?)",
            [tuple(r) for r in rows[start : start + CHUNK]],
        )


def copy_into(source: dbm.Store, target: dbm.Store) -> CopyReport:
    """Copy every row of ``source`` into the empty ``target``; refused when it holds data.

    Both must be at the current schema (opening them made sure). The copy is
    one transaction on the target: it is complete, or the target is unchanged.
    """
    used = _data_rows(target.db)
    if used:
        listed = ", ".join(f"{t} ({n})" for t, n in sorted(used.items()))
        raise ValidationError(
            f"{target.target.describe()} is not empty (it holds {listed}): "
            "copy only into a new, empty database"
        )
    return _copy_all(source, target)


def _copy_all(source: dbm.Store, target: dbm.Store) -> CopyReport:
    """Replace every row of ``target`` with those of ``source``, in one transaction; checked."""
    report = CopyReport(source.target.describe(), target.target.describe())
    src, dst = source.db, target.db
    ordered = _ordered_models()
    with dst.atomic():
        for model in reversed(ordered):
            dst.execute_sql(f"DELETE FROM {model._meta.table_name}")
        for model in ordered:
            _copy_table(src, dst, model)
        _copy_search_index(src, dst)
        postgres.move_sequences(dst, models.ALL_MODELS)
    if dbm.is_postgres(dst):
        # Fresh statistics, so that the planner knows the tables are no longer empty.
        dst.execute_sql("ANALYZE")
    for model in ordered:
        table = model._meta.table_name
        report.tables[table] = (_count(src, table), _count(dst, table))
    report.tables[search.FTS_TABLE] = (
        _count(src, search.FTS_TABLE),
        _count(dst, search.FTS_TABLE),
    )
    if not report.ok:
        wrong = [t for t, (a, b) in report.tables.items() if a != b]
        raise DatabaseError(f"The copy does not match its source in: {', '.join(wrong)}")
    return report


def replace_contents(target: dbm.Store, source: str) -> CopyReport:
    """Replace everything in ``target`` (PostgreSQL) with the database at ``source``.

    For ``crm restore`` on a server; the caller saved the current content
    first. The models stay bound to ``target``.
    """
    src = dbm.open_database(source, upgrade=False, create=False)
    try:
        return _copy_all(src, target)
    finally:
        src.close()
        models.database_proxy.initialize(target.db)


def _same(a: dbm.Target, b: dbm.Target) -> bool:
    if a.path is not None and b.path is not None:
        return a.path.resolve() == b.path.resolve()
    return a == b


def copy_database(
    source: str | None, target: str, *, source_store: dbm.Store | None = None
) -> CopyReport:
    """Open ``source`` (or use ``source_store``) and ``target``, copy, and close what was opened.

    The models stay bound to the source's database afterwards.
    """
    opened_source = source_store is None
    src = source_store or dbm.open_database(source, upgrade=False, create=False)
    try:
        if _same(dbm.parse_target(target), src.target):
            raise ValidationError("A database cannot be copied into itself")
        dst = dbm.open_database(target)
        try:
            return copy_into(src, dst)
        finally:
            dst.close()
            models.database_proxy.initialize(src.db)
    finally:
        if opened_source:
            src.close()
