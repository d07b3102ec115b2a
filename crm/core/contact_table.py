"""The contacts table's queries: ordered ids, pages of rows, tag choices, in plain SQL.

No peewee here (nor in what this imports): the desktop app runs these on the
plain sqlite3 connection of a quickly opened database (:func:`crm.core.db.
execute_sql`) and paints its first page of contacts before the ORM is loaded.
:mod:`crm.core.contacts` names them too (``contacts.query_ids`` and so on).
"""

from __future__ import annotations

import sqlite3
from array import array
from collections.abc import Iterator, Sequence
from typing import Any

from crm.core import db
from crm.core.errors import ValidationError
from crm.core.vocabulary import CHANNELS, STAGES

# The search index's module (crm.core.search, with its text folding) loads with
# the first search or tag filter, not for the first page of the table.

# Columns of a contacts table row (``table_rows``), fetched as plain tuples.
TABLE_COLUMNS = (
    "id",
    "given_name",
    "family_name",
    "organization",
    "email",
    "phone",
    "city",
    "stage",
    "channel",
    "archived",
)

# The phone column shows the first number as the user wrote it (the original is
# kept for display), so a page needs no phone-number formatting library.
_TABLE_ROWS_SQL = (
    "SELECT c.id, c.given_name, c.family_name, o.name, c.email, "
    "coalesce((SELECT p.original FROM phone_number p WHERE p.contact_id = c.id "
    "ORDER BY p.position LIMIT 1), c.phone), c.city, c.stage, c.channel, c.archived "
    "FROM contact c LEFT JOIN organization o ON o.id = c.organization_id "
)

_STAGE_RANK = (
    "CASE c.stage "
    + " ".join(f"WHEN '{code}' THEN {rank}" for rank, code in enumerate(STAGES))
    + f" ELSE {len(STAGES)} END"
)

# Sort keys of the contacts table: the SQL that orders by them ({d} is ASC or DESC).
# Empty values go last in both directions; ties fall back to the name.
TABLE_ORDERS: dict[str, str] = {
    # Matches the (archived, family_name, given_name) index: no sort step at all.
    "name": "c.family_name {d}, c.given_name {d}, c.id {d}",
    "given_name": "c.given_name {d}, c.family_name {d}, c.id {d}",
    "organization": "o.name IS NULL, o.name {d}, c.family_name, c.given_name, c.id",
    "email": "c.email = '', c.email {d}, c.id",
    "phone": "c.phone = '', c.phone {d}, c.id",
    "city": "c.city = '', c.city {d}, c.family_name, c.given_name, c.id",
    "stage": f"{_STAGE_RANK} {{d}}, c.family_name, c.given_name, c.id",
    "channel": "c.channel {d}, c.family_name, c.given_name, c.id",
}

# A search's own order (best matches first): what a table shows while searching.
RELEVANCE = "relevance"

# The most matches a search in RELEVANCE order ranks (more: the index's order).
RANK_AT_MOST = 1_000

# The most ids a table search returns: a one-letter prefix can match half the
# database, and nobody scrolls through more than this to find a person.
SEARCH_CAP = 10_000


def choice(value: str, allowed: Sequence[str], what: str, fieldname: str) -> str:
    """``value`` when it is one of ``allowed``; else a ValidationError naming them."""
    if value not in allowed:
        raise ValidationError(
            code="contact_table.unknown_choice",
            field=fieldname,
            what=what,
            allowed=", ".join(allowed),
            value=value,
        )
    return value


def query_ids(
    search_text: str = "",
    *,
    tag: str | None = None,
    stage: str | None = None,
    channel: str | None = None,
    order: str = "name",
    descending: bool = False,
    include_archived: bool = False,
    limit: int | None = None,
) -> list[int]:
    """Ids of the contacts a table shows, filtered and in order, in one query.

    ``search_text`` goes through the folded FTS index (every word a prefix);
    ``tag`` is a tag name (case and accents ignored). A search returns at most
    ``limit`` ids (default :data:`SEARCH_CAP`); without a search there is no
    cap unless ``limit`` is given.
    """
    return query_id_array(
        search_text,
        tag=tag,
        stage=stage,
        channel=channel,
        order=order,
        descending=descending,
        include_archived=include_archived,
        limit=limit,
    ).tolist()


def query_id_array(
    search_text: str = "",
    *,
    limit: int | None = None,
    like: array[int] | None = None,
    **filters: Any,
) -> array[int]:
    """:func:`query_ids` as an ``array`` of ints filled straight from the cursor.

    4 bytes an id (8 past 2**31) and no list of a million int objects on the
    way: the desktop table holds its ids so. The filters are :func:`query_ids`' own.
    ``like``: the list this query gave before (a table reloading after a change);
    returned itself when the ids are still the same, so that a million of them
    are not held twice while they are compared.
    """
    query = ids_query(search_text, limit=limit, **filters)
    if query is None:
        return array("i")
    if like is not None:
        return _same_or_new(like, *query)
    return _id_array(*query)


def ids_query(
    search_text: str = "",
    *,
    tag: str | None = None,
    stage: str | None = None,
    channel: str | None = None,
    order: str = "name",
    descending: bool = False,
    include_archived: bool = False,
    limit: int | None = None,
    plan_limit: int | None = None,
) -> tuple[str, list[Any]] | None:
    """``(sql, params)`` of :func:`query_ids`; None when the search matches nothing.

    ``plan_limit``: choose the plan of a search as for that many ids (a
    table's first page is the head of its whole capped list: the same plan
    gives it as fast as it can be had, and the same rows).
    """
    if order == RELEVANCE:
        if search_text.strip():
            filters = {"tag": tag, "stage": stage, "channel": channel}
            return _relevance_query(search_text, filters, include_archived, limit)
        order = "name"  # no search, no relevance: the table's own order
    if order not in TABLE_ORDERS:
        raise ValidationError(
            code="contact_table.unknown_order",
            field="order",
            table_orders=", ".join(TABLE_ORDERS),
            order=order,
        )
    _check_choices(stage, channel)
    where: list[str] = []
    params: list[Any] = []
    # Only an unfiltered walk in name order reads the (archived, family_name,
    # given_name) index in order and stops at the limit; for anything else,
    # "+c.archived" keeps SQLite from that index, and it starts from the
    # search matches or the stage/channel index and sorts what it found.
    by_index = order == "name" and stage is None and channel is None and not tag
    if search_text.strip():
        found = _search_clause(search_text, plan_limit or limit, by_index)
        if found is None:
            return None
        clause, expr, planned, by_index = found
        limit = planned if limit is None else limit
        where.append(clause)
        params.append(expr)
    if not include_archived:
        if db.on_postgres():
            where.insert(0, "NOT c.archived")
        else:
            where.insert(0, "c.archived = 0" if by_index else "+c.archived = 0")
    _add_filters(where, params, tag=tag, stage=stage, channel=channel)
    join = (
        "LEFT JOIN organization o ON o.id = c.organization_id " if order == "organization" else ""
    )
    sql = f"SELECT c.id FROM contact c {join}"
    if where:
        sql += "WHERE " + " AND ".join(where) + " "
    sql += "ORDER BY " + TABLE_ORDERS[order].format(d="DESC" if descending else "ASC")
    if limit is not None:
        sql += " LIMIT ?"
        params.append(max(int(limit), 0))
    return sql, params


def _check_choices(stage: str | None, channel: str | None) -> None:
    if stage is not None:
        choice(stage, STAGES, "Stage", "stage")
    if channel is not None:
        choice(channel, CHANNELS, "Channel", "channel")


def _relevance_query(
    search_text: str, filters: dict[str, str | None], include_archived: bool, limit: int | None
) -> tuple[str, list[Any]] | None:
    """A search in the search index's own order, as :func:`crm.core.search.search_ids` gives.

    Best matches first (FTS5's rank, PostgreSQL's ts_rank) once three letters
    are typed and at most :data:`RANK_AT_MOST` contacts match; otherwise the
    matches in the order they were added, which the index gives without
    reading the others: the first page of a one-letter search of a million
    contacts is there at once, where a page in name order has to sort, or
    walk to, tens of thousands of matches.
    """
    from crm.core import search
    from crm.core.text import tokens

    _check_choices(filters["stage"], filters["channel"])
    postgres = db.on_postgres()
    expr = search.match_expression(search_text, postgres)
    if not expr:
        return None
    # Ranking reads every match (FTS5's bm25 looks up each one's sizes: ~180 ms
    # for 8,000 matches at 100,000 contacts); past RANK_AT_MOST, the index order.
    ranked = sum(len(w) for w in tokens(search_text)) >= 3 and _fewer_than(
        search.matching_ids_sql(postgres), expr, RANK_AT_MOST + 1
    )
    fts = search.FTS_TABLE
    where: list[str] = [] if include_archived else ["NOT c.archived"]
    params: list[Any] = [expr]
    _add_filters(where, params, **filters)
    if postgres:
        order = "ts_rank(f.words, q) DESC, f.rowid" if ranked else "f.rowid"
        sql = (
            f"SELECT c.id FROM {fts} f JOIN contact c ON c.id = f.rowid, "
            f"CAST(? AS tsquery) q WHERE f.words @@ q"
        )
    else:
        # The index drives the loop (CROSS JOIN): each contact is looked up only
        # until the page is full (see search.search_rows).
        order = "f.rank" if ranked else "f.rowid"
        sql = f"SELECT c.id FROM {fts} f CROSS JOIN contact c ON c.id = f.rowid WHERE {fts} MATCH ?"
    sql += "".join(f" AND {w}" for w in where) + f" ORDER BY {order} LIMIT ?"
    params.append(max(int(SEARCH_CAP if limit is None else limit), 0))
    return sql, params


def _fewer_than(fts: str, expr: str, n: int) -> bool:
    """Whether the index has fewer than ``n`` matches (it stops counting at ``n``)."""
    sql = f"SELECT count(*) FROM ({fts} LIMIT {int(n)}) m"
    (found,) = db.execute_sql(sql, [expr]).fetchone()
    return bool(found < n)


def _search_clause(
    search_text: str, limit: int | None, by_index: bool
) -> tuple[str, str, int, bool] | None:
    """``(clause, match expression, limit, by_index)`` of a search; None when it matches nothing."""
    from crm.core import search

    postgres = db.on_postgres()
    expr = search.match_expression(search_text, postgres)
    if not expr:
        return None
    if limit is None:
        limit = SEARCH_CAP
    fts = search.matching_ids_sql(postgres)
    if by_index:
        # Counting prefix matches is cheap; sorting tens of thousands is not.
        matches = _match_count(fts, expr)
        by_index = matches > limit
    return f"c.id IN ({fts})", expr, limit, by_index


# Match counts by search expression. A count only picks a plan (a table's
# first page and then its whole list ask for the same one), so one that has
# drifted since costs time, never rows.
_counts: dict[tuple[str, str], int] = {}


def _match_count(fts: str, expr: str) -> int:
    key = (fts, expr)
    count = _counts.get(key)
    if count is None:
        (count,) = db.execute_sql(f"SELECT count(*) FROM ({fts}) m", [expr]).fetchone()
        if len(_counts) >= 256:
            _counts.clear()
        _counts[key] = count
    return count


def forget_counts() -> None:
    """Forget the match counts kept (a benchmark measuring a first search)."""
    _counts.clear()


def _add_filters(
    where: list[str], params: list[Any], *, tag: str | None, stage: str | None, channel: str | None
) -> None:
    """The tag, stage and channel filters, added to ``where`` and ``params``."""
    if tag:
        from crm.core.text import fold

        where.append(
            "c.id IN (SELECT ct.contact_id FROM contact_tag ct JOIN tag t ON t.id = ct.tag_id "
            "WHERE t.folded = ?)"
        )
        params.append(fold(" ".join(tag.split())))
    if stage is not None:
        where.append("c.stage = ?")
        params.append(stage)
    if channel is not None:
        where.append("c.channel = ?")
        params.append(channel)


def _id_array(sql: str, params: list[Any]) -> array[int]:
    """The ids ``sql`` selects, 4 bytes each (8 if one does not fit), straight from the cursor."""
    try:
        return _fill(array("i"), sql, params)
    except OverflowError:  # an id past 2**31: run it again with 8 bytes an id
        return _fill(array("q"), sql, params)


def _fill(ids: array[int], sql: str, params: list[Any]) -> array[int]:
    cursor = db.execute_sql(sql, params)
    if isinstance(cursor, sqlite3.Cursor):
        # sqlite3 hands each id over as itself rather than in a 1-tuple, and
        # the array takes them one at a time: no list of the whole result.
        cursor.row_factory = _first_column
        ids.extend(cursor)
    else:
        ids.extend(r[0] for r in cursor)
    return ids


def _first_column(_cursor: Any, row: tuple[Any, ...]) -> Any:
    return row[0]


def _same_or_new(old: array[int], sql: str, params: list[Any]) -> array[int]:
    """``old`` if ``sql`` selects the same ids in the same order; else a new array of them."""
    cursor = db.execute_sql(sql, params)
    values: Iterator[Any]
    if isinstance(cursor, sqlite3.Cursor):
        cursor.row_factory = _first_column
        values = iter(cursor)
    else:
        values = (r[0] for r in cursor)
    same = 0
    for value in values:
        if same < len(old) and old[same] == value:
            same += 1
            continue
        # They part here: the ids read so far, this one and the rest.
        ids = old[:same]
        try:
            ids.append(value)
            ids.extend(values)
        except OverflowError:  # an id past 2**31 in a 4-byte array: read it all again
            return _id_array(sql, params)
        return ids
    return old if same == len(old) else old[:same]


def table_rows(ids: Sequence[int]) -> dict[int, tuple[Any, ...]]:
    """Rows (``TABLE_COLUMNS``) of the given contacts by id, in one query."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    fetched = db.execute_sql(f"{_TABLE_ROWS_SQL} WHERE c.id IN ({marks})", list(ids)).fetchall()
    return {r[0]: tuple(r) for r in fetched}


def has_contacts() -> bool:
    """Whether the database holds any contact at all, archived ones included."""
    return db.execute_sql("SELECT 1 FROM contact LIMIT 1").fetchone() is not None


def tag_choices() -> list[str]:
    """The names of the tags in use, in folded alphabetical order."""
    # One probe of the tag_id index per tag (an IN over contact_tag would read
    # all of it: ~5 ms at 100,000 contacts, before the first paint).
    cursor = db.execute_sql(
        "SELECT t.name FROM tag t "
        "WHERE EXISTS (SELECT 1 FROM contact_tag ct WHERE ct.tag_id = t.id) ORDER BY t.folded"
    )
    return [r[0] for r in cursor.fetchall()]
