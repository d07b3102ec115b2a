"""Values as raw queries return them, made plain: rows as tuples, dates, JSON-ready columns;
and a key/value row written the same way on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any


def rows(query: Any) -> list[tuple[Any, ...]]:
    """The rows of a select as plain tuples.

    peewee's stubs type ``.tuples()`` results as model instances; going
    through here keeps the strictly typed core honest about what it gets.
    """
    return list(query.tuples())


def as_date(value: Any) -> dt.date | None:
    """A date from what a raw query returns (SQLite gives text, PostgreSQL dates)."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def plain(value: Any) -> Any:
    """A column's value as JSON keeps it, the same from SQLite and PostgreSQL.

    Dates as ISO text (as SQLite stores them; PostgreSQL returns dates);
    decimals as the number SQLite's numeric columns give back (1500, 12.5;
    PostgreSQL returns Decimal). Booleans stay booleans, which both read back
    into a boolean column.
    """
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def put(model: Any, key: str, value: str) -> None:
    """Set ``key`` to ``value`` in a key/value table (Setting, DbInfo), on SQLite and PostgreSQL."""
    model.insert(key=key, value=value).on_conflict(
        conflict_target=[model.key], preserve=[model.value]
    ).execute()
