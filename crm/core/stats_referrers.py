"""The top referrers of a period, and the won value of everyone below a referrer."""

from __future__ import annotations

import datetime as dt
from typing import Any

from peewee import Case, SqliteDatabase, Value, fn

from crm.core import models, referrals
from crm.core.stats_common import Money
from crm.core.stats_common import add as _add
from crm.core.stats_common import money as _money
from crm.core.stats_common import name as _name
from crm.core.stats_common import raw as _raw

TOP_N = 10
# Guards the chain walk against a damaged file holding a cycle (as crm.core.chain does).
MAX_DEPTH = 1_000

_in_period = referrals.in_period


def top_referrers(
    date_from: dt.date | None, date_to: dt.date | None, currency: str
) -> dict[str, list[dict[str, Any]]]:
    """The top givers of the period by won value and by count, with network value.

    Won value ranks by the amount in the profile's currency (other currencies are
    shown beside it, never converted), then by referrals won; only givers with a
    won referral are ranked by it. Three queries: both lists with the givers'
    names, their won value per currency, and their network values.
    """
    rows = _top_rows(date_from, date_to, currency)
    if not rows:
        return {"by_won_value": [], "by_count": []}
    ids = sorted({int(row[0]) for row in rows})
    values = _won_values(ids, date_from, date_to)
    below = network_values(ids, date_from, date_to, min_depth=2)

    def entry(gid: int, given: str, family: str, n: int, n_won: int) -> dict[str, Any]:
        own = values.get(gid, {})
        network = dict(own)
        for cur, amount in below.get(gid, {}).items():
            _add(network, cur, amount)
        return {
            "id": gid,
            "name": _name(given, family),
            "referrals": int(n),
            "won": int(n_won or 0),
            "won_value": dict(sorted(own.items())),
            "network_value": dict(sorted(network.items())),
        }

    # A union promises no order: sort each list again (ten rows) by its own key.
    by_count = sorted(
        (row for row in rows if row[5] == "count"), key=lambda x: (-x[3], -x[4], x[0])
    )
    by_value = sorted(
        (row for row in rows if row[5] == "value"),
        key=lambda x: (-(x[6] or 0), -x[4], -x[3], x[0]),
    )
    return {
        "by_won_value": [entry(int(x[0]), *x[1:5]) for x in by_value],
        "by_count": [entry(int(x[0]), *x[1:5]) for x in by_count],
    }


def _top_rows(
    date_from: dt.date | None, date_to: dt.date | None, currency: str
) -> list[tuple[Any, ...]]:
    """``(gid, given, family, n, won, list, value)`` of both top lists, in one query."""
    r, c = models.Referral, models.Contact
    won = r.status == "won"
    per_giver_sql, params = _in_period(
        r.select(
            r.giver.alias("gid"),
            fn.COUNT(r.id).alias("n"),
            fn.SUM(Case(None, [(won, 1)], 0)).alias("w"),
            fn.SUM(Case(None, [(won & (r.currency == currency), r.value)], 0)).alias("v"),
        ).group_by(r.giver),
        date_from,
        date_to,
    ).sql()
    if _tally_by_giver(date_from, date_to):
        # SQLite would sort the period's referrals by giver; the covering index on
        # givers' referrals gives them in that order with all the columns summed.
        per_giver_sql = _on_giver_index(per_giver_sql)
    # Each list is a top-N sort of the per-giver tally (computed once), not a full sort;
    # only those rows leave the database.
    sql = (
        f"WITH g AS ({per_giver_sql}) "
        "SELECT t.gid, c.given_name, c.family_name, t.n, t.w, t.list, t.v FROM ("
        f"SELECT * FROM (SELECT gid, n, w, 'count' AS list, v FROM g "
        f"ORDER BY n DESC, w DESC, gid LIMIT {TOP_N}) AS a "
        "UNION ALL "
        f"SELECT * FROM (SELECT gid, n, w, 'value' AS list, v FROM g WHERE w > 0 "
        f"ORDER BY v DESC, w DESC, n DESC, gid LIMIT {TOP_N}) AS b"
        f") AS t JOIN {c._meta.table_name} AS c ON c.id = t.gid"
    )
    return list(models.database_proxy.execute_sql(sql, params).fetchall())


# From this many days on, a period's referrals are tallied per giver by walking the
# covering index in giver order (no sort) rather than sorting the period's rows.
LONG_PERIOD_DAYS = 120


def _tally_by_giver(date_from: dt.date | None, date_to: dt.date | None) -> bool:
    """Whether to tally a period's givers in the covering index's order (SQLite only)."""
    if not isinstance(models.database_proxy.obj, SqliteDatabase):
        return False
    if date_from is None or date_to is None:
        return True
    return (date_to - date_from).days >= LONG_PERIOD_DAYS


def _on_giver_index(sql: str) -> str:
    """A select from referral (as peewee writes it) made to read the givers' covering index."""
    table = models.Referral._meta.table_name
    return sql.replace(
        f'FROM "{table}" AS "t1"',
        f'FROM "{table}" AS "t1" INDEXED BY {models.GIVER_TALLY_INDEX}',
        1,
    )


def _won_values(
    ids: list[int], date_from: dt.date | None, date_to: dt.date | None
) -> dict[int, Money]:
    """Per giver: the won value of their own referrals of the period, per currency."""
    r = models.Referral
    per_currency = _in_period(
        r.select(r.giver, r.currency, fn.SUM(r.value))
        .where((r.status == "won") & r.giver.in_(ids))
        .group_by(r.giver, r.currency),
        date_from,
        date_to,
    )
    sql, params = per_currency.sql()
    if isinstance(models.database_proxy.obj, SqliteDatabase):
        sql = _on_giver_index(sql)  # a few givers' won referrals: all in the covering index
    values: dict[int, Money] = {}
    for gid, cur, value in models.database_proxy.execute_sql(sql, params).fetchall():
        _add(values.setdefault(int(gid), {}), cur, _money(value))
    return values


def network_values(
    root_ids: list[int],
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    min_depth: int = 1,
) -> dict[int, Money]:
    """Per root: the won value of everyone below it in the primary-referrer forest, from
    ``min_depth`` down (1: the people it referred), counting the primary referrals
    received in the period. One recursive CTE for all the roots."""
    if not root_ids:
        return {}
    base_r, step_r = models.Referral.alias("b"), models.Referral.alias("s")
    base = (
        base_r.select(
            base_r.giver.alias("root"),
            base_r.referred.alias("member"),
            Value(1).alias("depth"),
            base_r.status.alias("status"),
            base_r.value.alias("value"),
            base_r.currency.alias("currency"),
            base_r.referred_on.alias("day"),
        )
        .where(base_r.is_primary & base_r.giver.in_(root_ids))
        .cte("down", recursive=True)
    )
    step = (
        step_r.select(
            base.c.root,
            step_r.referred,
            base.c.depth + 1,
            step_r.status,
            step_r.value,
            step_r.currency,
            step_r.referred_on,
        )
        .join(base, on=((step_r.giver == base.c.member) & step_r.is_primary))
        .where(base.c.depth < MAX_DEPTH)
    )
    down = base.union_all(step)
    query = (
        down.select_from(down.c.root, down.c.currency, fn.SUM(down.c.value))
        .where((down.c.status == "won") & (down.c.depth >= min_depth))
        .group_by(down.c.root, down.c.currency)
    )
    # Compared as ISO text: the CTE's columns carry no field to convert a date.
    if date_from is not None:
        query = query.where(down.c.day >= date_from.isoformat())
    if date_to is not None:
        query = query.where(down.c.day <= date_to.isoformat())
    out: dict[int, Money] = {}
    for root, cur, value in _raw(query):
        _add(out.setdefault(int(root), {}), cur, _money(value))
    return {root: dict(sorted(values.items())) for root, values in out.items()}
