"""The pieces the referral figures share: money per currency, tallies, raw rows, months."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from peewee import SQL, SqliteDatabase, fn

from crm.core import models
from crm.core.errors import ValidationError

CENT = Decimal("0.01")

Money = dict[str, Decimal]


def money(value: Any) -> Decimal:
    return Decimal(str(value or 0)).quantize(CENT)


def add(target: Money, currency: str, amount: Decimal) -> None:
    if amount:
        target[currency] = target.get(currency, Decimal("0.00")) + amount


def empty_slice() -> dict[str, Any]:
    return {"referrals": 0, "won": 0, "won_value": {}}


def tally(entry: dict[str, Any], n: int, won: int, currency: str, value: Decimal) -> None:
    entry["referrals"] += n
    entry["won"] += won
    add(entry["won_value"], currency, value)


def raw(query: Any) -> list[tuple[Any, ...]]:
    """The rows of a select as the driver returns them: no per-value conversion, which
    costs more than the query itself on a year of a large database's referrals."""
    return list(models.database_proxy.execute(query).fetchall())


def raw_on_index(query: Any, index: str) -> list[tuple[Any, ...]]:
    """The rows of a select from referral, read on SQLite from ``index`` (named to its
    planner: without statistics it may take a narrower index, or none, for a wide one)."""
    sql, params = query.sql()
    if isinstance(models.database_proxy.obj, SqliteDatabase):
        table = models.Referral._meta.table_name
        sql = re.sub(
            rf'FROM "{table}" AS ("t\d+")',
            rf'FROM "{table}" AS \1 INDEXED BY {index}',
            sql,
            count=1,
        )
    return list(models.database_proxy.execute_sql(sql, params).fetchall())


def name(given: str | None, family: str | None) -> str:
    return " ".join(p for p in (given, family) if p)


def month_of(column: Any) -> Any:
    # "YYYY-MM" from a date, on SQLite (text) and PostgreSQL (date) alike. The
    # positions are literals, not parameters: PostgreSQL matches a grouped
    # expression to the selected one only when they are written the same.
    return fn.SUBSTR(column.cast("TEXT"), SQL("1"), SQL("7"))


def check_order(date_from: dt.date | None, date_to: dt.date | None) -> None:
    if date_from is not None and date_to is not None and date_from > date_to:
        raise ValidationError(
            code="stats_common.period_starts_after_ends",
            field="date_from",
            date_from=date_from.isoformat(),
            date_to=date_to.isoformat(),
        )


def month_bounds(key: str) -> tuple[dt.date, dt.date]:
    try:
        first = dt.date.fromisoformat(f"{key}-01")
    except (TypeError, ValueError):
        raise ValidationError(code="stats_common.month_yyyy_mm", field="key", key=key) from None
    following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, following - dt.timedelta(days=1)
