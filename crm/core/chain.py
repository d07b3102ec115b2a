"""Referral chains: who referred whom, up and down the primary-referrer forest.

Each direction is one recursive CTE over the partial indexes on primary
referrals, never one query per hop. The recursive step filters only on
``is_primary`` (the partial indexes' own condition) and on depth, so SQLite
keeps using those indexes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from crm.core import models

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


_ANCESTORS_SQL = """
WITH RECURSIVE up(id, depth) AS (
    SELECT giver_id, 1 FROM referral WHERE referred_id = ? AND is_primary
    UNION ALL
    SELECT r.giver_id, up.depth + 1
    FROM up JOIN referral r ON r.referred_id = up.id AND r.is_primary
    WHERE up.depth < ?
)
SELECT up.id, trim(c.given_name || ' ' || c.family_name), up.depth
FROM up JOIN contact c ON c.id = up.id
ORDER BY up.depth
"""

_DESCENDANTS_SQL = """
WITH RECURSIVE down(id, parent, depth, status, value) AS (
    SELECT referred_id, giver_id, 1, status, value
    FROM referral WHERE giver_id = ? AND is_primary
    UNION ALL
    SELECT r.referred_id, r.giver_id, down.depth + 1, r.status, r.value
    FROM down JOIN referral r ON r.giver_id = down.id AND r.is_primary
    WHERE down.depth < ?
)
SELECT d.id, trim(c.given_name || ' ' || c.family_name), d.depth, d.parent, d.status,
       CASE WHEN d.status = 'won' THEN coalesce(d.value, 0) ELSE 0 END
FROM down d JOIN contact c ON c.id = d.id
"""


def ancestor_ids(contact_id: int) -> list[int]:
    """Ids of the primary referrers above a contact, nearest first (one query)."""
    return [a.id for a in ancestors(contact_id)]


def ancestors(contact_id: int) -> list[Ancestor]:
    """Who referred the contact, who referred them, ... up to the root (one query)."""
    rows = db.execute_sql(_ANCESTORS_SQL, (contact_id, MAX_DEPTH)).fetchall()
    return list(map(Ancestor._make, rows))


def descendants(contact_id: int) -> list[Descendant]:
    """Everyone who came through the contact, at any depth (one query).

    Rows come in breadth-first order: each node after its parent.
    """
    rows = db.execute_sql(_DESCENDANTS_SQL, (contact_id, MAX_DEPTH)).fetchall()
    return list(map(Descendant._make, rows))


def arrival_status(contact_id: int) -> str | None:
    """The status of the primary referral that brought the contact, if one did."""
    r = models.Referral
    status = r.select(r.status).where((r.referred == contact_id) & r.is_primary).scalar()
    return str(status) if status is not None else None


def branch_totals(root_id: int, nodes: Iterable[Descendant]) -> dict[int, dict[str, float]]:
    """Per node: how many came through it and the won value of its whole branch."""
    ordered = list(nodes)
    totals: dict[int, dict[str, float]] = {root_id: {"count": 0, "won_value": 0.0}}
    for node in ordered:
        totals[node.id] = {"count": 0, "won_value": float(node.won_value or 0)}
    for node in sorted(ordered, key=lambda n: n.depth, reverse=True):
        own = totals[node.id]
        parent = totals.setdefault(node.parent_id, {"count": 0, "won_value": 0.0})
        parent["count"] += own["count"] + 1
        parent["won_value"] += own["won_value"]
    return totals


def chain(contact_id: int) -> dict[str, Any]:
    """The contact, its ancestors and its descendants, as the CLI's JSON shows them."""
    from crm.core.contacts import get_contact, to_dict

    contact = get_contact(contact_id)
    ups = ancestors(contact_id)
    downs = descendants(contact_id)
    totals = branch_totals(contact_id, downs)
    return {
        "contact": to_dict(contact),
        "ancestors": [{"id": a.id, "name": a.name, "depth": a.depth} for a in ups],
        "descendants": [
            {
                "id": d.id,
                "name": d.name,
                "depth": d.depth,
                "parent_id": d.parent_id,
                "status": d.status,
                "won_value": round(float(d.won_value or 0), 2),
                "branch_count": int(totals[d.id]["count"]),
                "branch_won_value": round(totals[d.id]["won_value"], 2),
            }
            for d in downs
        ],
        "totals": {
            "descendants": len(downs),
            "max_depth": max((d.depth for d in downs), default=0),
            "won_value": round(totals[contact_id]["won_value"], 2),
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
