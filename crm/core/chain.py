"""Referral chains: who referred whom, up and down the primary-referrer forest.

Each direction is one recursive CTE over the partial indexes on primary
referrals, never one query per hop (both directions together are one statement
too: :func:`walk`). The recursive step filters only on ``is_primary`` (the
partial indexes' own condition) and on depth, so SQLite keeps using those
indexes; the walk down reads everything it needs from a covering index, and the
names from a covering index on contact names.
"""

from __future__ import annotations

from collections.abc import Iterable
from operator import itemgetter
from typing import Any, NamedTuple

from peewee import SqliteDatabase

from crm.core import models
from crm.core.errors import NotFoundError

db = models.database_proxy

# Guards against an endless walk should a damaged file ever hold a cycle.
MAX_DEPTH = 1_000


class Ancestor(NamedTuple):
    id: int
    name: str
    depth: int  # 1 = the direct (primary) referrer


class Descendant(NamedTuple):
    id: int
    name: str
    depth: int  # 1 = referred directly by the root
    parent_id: int
    status: str
    won_value: float  # value of the won referral that brought this contact


# The walks, as CTE bodies. Down, each step reads the referred contact, its
# status and value from the covering index on primary referrals (never the row).
_UP = """up(id, depth) AS (
    SELECT giver_id, 1 FROM referral WHERE referred_id = ? AND is_primary
    UNION ALL
    SELECT r.giver_id, up.depth + 1
    FROM up JOIN referral r ON r.referred_id = up.id AND r.is_primary
    WHERE up.depth < ?
)"""
_DOWN = """down(id, parent, depth, status, value) AS (
    SELECT referred_id, giver_id, 1, status, value
    FROM referral WHERE giver_id = ? AND is_primary
    UNION ALL
    SELECT r.referred_id, r.giver_id, down.depth + 1, r.status, r.value
    FROM down JOIN referral r ON r.giver_id = down.id AND r.is_primary
    WHERE down.depth < ?
)"""
# Names come from the covering index on contact names (see _sql): thousands of
# lookups in a small index rather than in the wide contact rows.
_NAME = "trim(c.given_name || ' ' || c.family_name)"
_UP_ROWS = f"SELECT up.id, {_NAME}, up.depth FROM up JOIN contact c{{names}} ON c.id = up.id"
_DOWN_ROWS = (
    f"SELECT d.id AS id, {_NAME} AS name, d.depth AS depth, d.parent AS parent, d.status, "
    "CASE WHEN d.status = 'won' THEN coalesce(d.value, 0) ELSE 0 END "
    "FROM down d JOIN contact c{names} ON c.id = d.id"
)

_ANCESTORS_SQL = f"WITH RECURSIVE {_UP}\n{_UP_ROWS}\nORDER BY up.depth"
_DESCENDANTS_SQL = f"WITH RECURSIVE {_DOWN}\n{_DOWN_ROWS}"
# Both directions in one statement, in the descendants' columns: descendants first
# (their column types lead), then the ancestors, whose parent is NULL (a
# descendant always has one).
_WALK_SQL = (
    f"WITH RECURSIVE {_DOWN},\n{_UP}\n"
    + _DOWN_ROWS
    + "\nUNION ALL\n"
    + _UP_ROWS.replace("up.depth FROM", "up.depth, NULL, NULL, NULL FROM")
)
# SQLite hands a recursive walk's rows on in the order it made them (each node
# after its parent); PostgreSQL's joins may not, so there the order is asked for.
_POSTGRES_ORDERED = {
    _DESCENDANTS_SQL: _DESCENDANTS_SQL + "\nORDER BY d.depth, d.id",
    _WALK_SQL: _WALK_SQL.replace(_DOWN_ROWS, "SELECT * FROM (\n" + _DOWN_ROWS, 1)
    + "\n) w ORDER BY w.parent IS NULL, w.depth, w.id",
}


def _sql(template: str) -> str:
    """The statement for this database: on SQLite the names' covering index is named
    (its planner would rather look each id up in the table itself)."""
    key = (template, type(db.obj))
    sql = _made.get(key)
    if sql is None:
        names = f" INDEXED BY {models.CONTACT_NAMES_INDEX}" if _on_sqlite() else ""
        if not _on_sqlite():
            template = _POSTGRES_ORDERED.get(template, template)
        sql = _made[key] = models.placeholders(template.replace("{names}", names))
    return sql


# The statements made by _sql, by template and kind of database.
_made: dict[tuple[str, type], str] = {}


def _on_sqlite() -> bool:
    return isinstance(db.obj, SqliteDatabase)


def ancestor_ids(contact_id: int) -> list[int]:
    """Ids of the primary referrers above a contact, nearest first (one query)."""
    return [a.id for a in ancestors(contact_id)]


def ancestors(contact_id: int) -> list[Ancestor]:
    """Who referred the contact, who referred them, ... up to the root (one query)."""
    rows = db.execute_sql(_sql(_ANCESTORS_SQL), (contact_id, MAX_DEPTH)).fetchall()
    return list(map(Ancestor._make, rows))


def descendants(contact_id: int) -> list[Descendant]:
    """Everyone who came through the contact, at any depth (one query).

    Rows come in breadth-first order: each node after its parent.
    """
    rows = db.execute_sql(_sql(_DESCENDANTS_SQL), (contact_id, MAX_DEPTH)).fetchall()
    return list(map(Descendant._make, rows))


def walk(contact_id: int) -> tuple[list[Ancestor], list[Descendant]]:
    """:func:`ancestors` and :func:`descendants` of a contact, in one query."""
    ups, rows = _walk_rows(contact_id)
    return ups, list(map(Descendant._make, rows))


def _walk_rows(contact_id: int) -> tuple[list[Ancestor], list[tuple[Any, ...]]]:
    """The ancestors, and the descendants as plain rows in :class:`Descendant`'s order."""
    params = (contact_id, MAX_DEPTH, contact_id, MAX_DEPTH)
    rows = db.execute_sql(_sql(_WALK_SQL), params).fetchall()
    split = len(rows)
    while split and rows[split - 1][3] is None:
        split -= 1
    downs = rows[:split]
    if any(r[3] is None for r in downs):  # pragma: no cover - a backend's own order
        return _by_kind(rows)
    return sorted((Ancestor(r[0], r[1], r[2]) for r in rows[split:]), key=_depth), downs


def _by_kind(rows: list[tuple[Any, ...]]) -> tuple[list[Ancestor], list[tuple[Any, ...]]]:
    ups = sorted((Ancestor(r[0], r[1], r[2]) for r in rows if r[3] is None), key=_depth)
    return ups, [r for r in rows if r[3] is not None]


def _depth(node: Ancestor) -> int:
    return node.depth


def arrival_status(contact_id: int) -> str | None:
    """The status of the primary referral that brought the contact, if one did."""
    r = models.Referral
    status = r.select(r.status).where((r.referred == contact_id) & r.is_primary).scalar()
    return str(status) if status is not None else None


def branch_totals(root_id: int, nodes: Iterable[Descendant]) -> dict[int, dict[str, float]]:
    """Per node: how many came through it and the won value of its whole branch."""
    count, value = _branch_sums(root_id, nodes)
    return {node: {"count": n, "won_value": value[node]} for node, n in count.items()}


_BY_DEPTH = itemgetter(2)  # a Descendant's depth, or a row's in its order


def _branch_sums(
    root_id: int, nodes: Iterable[tuple[Any, ...]]
) -> tuple[dict[int, int], dict[int, float]]:
    """:func:`branch_totals` as two plain maps: how many came through each node, and
    the won value of its branch (deepest first, each node's into its parent's).
    ``nodes`` are :class:`Descendant` or rows in its order."""
    ordered = nodes if isinstance(nodes, list) else list(nodes)
    count: dict[int, int] = {root_id: 0}
    value: dict[int, float] = {root_id: 0.0}
    for node, _name, _depth, _parent, _status, won in ordered:
        count[node] = 0
        value[node] = float(won or 0)
    for node, _name, _depth, parent, _status, _won in sorted(ordered, key=_BY_DEPTH, reverse=True):
        count[parent] = count.get(parent, 0) + count[node] + 1
        value[parent] = value.get(parent, 0.0) + value[node]
    return count, value


def chain(contact_id: int) -> dict[str, Any]:
    """The contact, its ancestors and its descendants, as the CLI's JSON shows them.

    A fixed number of queries: the contact's own fields, then one :func:`walk`.
    """
    from crm.core.contacts import to_dicts

    found = to_dicts([contact_id])
    if not found:
        raise NotFoundError(code="contacts.contact_not_found", contact_id=contact_id)
    ups, downs = _walk_rows(contact_id)
    count, value = _branch_sums(contact_id, downs)
    return {
        "contact": found[0],
        "ancestors": [{"id": a.id, "name": a.name, "depth": a.depth} for a in ups],
        "descendants": [
            {
                "id": node,
                "name": name,
                "depth": depth,
                "parent_id": parent,
                "status": status,
                "won_value": round(float(won or 0), 2),
                "branch_count": count[node],
                "branch_won_value": round(value[node], 2),
            }
            for node, name, depth, parent, status, won in downs
        ],
        "totals": {
            "descendants": len(downs),
            "max_depth": max(map(_BY_DEPTH, downs), default=0),
            "won_value": round(value[contact_id], 2),
        },
    }


def children_by_parent(
    nodes: Iterable[Descendant], totals: dict[int, dict[str, float]] | None = None
) -> dict[int, list[Descendant]]:
    """The descendants grouped under their parent's id (one pass).

    With ``totals`` (from :func:`branch_totals`) the biggest branches come
    first; otherwise, and among equals, by name.
    """
    grouped: dict[int, list[Descendant]] = {}
    for node in nodes:
        grouped.setdefault(node.parent_id, []).append(node)
    if totals is None:
        for kids in grouped.values():
            kids.sort(key=lambda n: (n.name.casefold(), n.id))
    else:
        for kids in grouped.values():
            kids.sort(key=lambda n: (-totals[n.id]["count"], n.name.casefold(), n.id))
    return grouped


def largest_chain_root() -> int | None:
    """The contact at the top of the busiest primary giver's chain (None without referrals).

    The root above the giver with the most primary referrals has (nearly always)
    the largest chain below it: a good default for showing a chain.
    """
    row = db.execute_sql(
        "SELECT giver_id FROM referral WHERE is_primary GROUP BY giver_id "
        "ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    ups = ancestors(int(row[0]))
    return ups[-1].id if ups else int(row[0])
