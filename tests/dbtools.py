"""Proving a database unchanged: dumps and checksums of every row."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from crm.core import db as dbm
from crm.core.errors import ValidationError


def dump(store: dbm.Store) -> str:
    """Every row of every table as SQL text: equal dumps mean an unchanged database."""
    if not store.is_sqlite:
        from backends import pg_dump_text

        return pg_dump_text(lambda sql, params: store.db.execute_sql(sql, params))
    return "\n".join(store.db.connection().iterdump())


def dump_lines(store: dbm.Store) -> list[str]:
    """SQLite's ``iterdump`` lines; on PostgreSQL one ``INSERT INTO "table" VALUES(...)`` a row."""
    if store.is_sqlite:
        return list(store.db.connection().iterdump())
    lines = []
    tables = [
        r[0]
        for r in store.db.execute_sql(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"
        ).fetchall()
    ]
    for table in tables:
        for row in store.db.execute_sql(f'SELECT * FROM "{table}"').fetchall():
            values = ",".join("NULL" if v is None else repr(v) for v in row)
            lines.append(f'INSERT INTO "{table}" VALUES({values});')
    return lines


def checksum(store: dbm.Store) -> str:
    return hashlib.sha256(dump(store).encode()).hexdigest()


@contextlib.contextmanager
def refused(
    unchanged: Callable[[], Any],
    *parts: str,
    field: str | None = None,
    error: type[Exception] = ValidationError,
) -> Iterator[Any]:
    """The block raises ``error`` whose message names ``parts``, and changes nothing."""
    with unchanged(), pytest.raises(error) as info:
        yield info
    for part in parts:
        assert part in info.value.message, f"{part!r} not in {info.value.message!r}"
    if field is not None:
        assert info.value.field == field
