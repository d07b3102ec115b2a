"""Core benchmark: the services against the same SQL through a plain sqlite3 connection.

Run as ``python tests/perf/bench_core.py [--contacts 100000] [--db FILE]`` (not
collected by pytest). It builds a demo database of N contacts in a temporary
folder, or uses ``--db`` (a demo database built before, e.g. by
``crm demo``: it is opened, so upgraded, in place: give it a copy), then times
the CPU time (``time.process_time``), as the median of several runs after a
warm-up:

- search, top 50, for one, two and three letters in Latin, Greek (without
  tonos), Cyrillic and Arabic (``--queries`` for others):
  ``crm.core.contacts.list_rows(query, limit=50)`` against the floor, the
  sorted FTS5 top 50 written by hand: the ``MATCH`` with the same prefix
  expression, driven by the index, joined to ``contact`` (not archived) and
  ``organization`` for the row tuples, in the order the service promises
  (bm25 rank from three letters on, else index order), so both do the same
  work; a table per query with the script, the letters, the order, both
  figures, the ratio, the target and a verdict (a query whose rows differ from
  the floor's fails whatever its time);
- the ancestors of the deepest contact (``crm.core.chain.ancestors``), the
  descendants of the largest tree's root (``crm.core.chain.descendants``) and
  ``crm chain ROOT --json`` on it (``chain.chain`` and the JSON printed), against
  the floor: the recursive queries written by hand for the ids plus the columns
  shown (name, depth, parent, status, won value), reading the covering indexes
  (``referral_primary_tree`` and ``contact_names``) when the file has them, and
  for ``crm chain`` the same rows printed as JSON the same way.

The raw side uses its own ``sqlite3`` connection with the same page cache
size as the app's, so the ratio measures the layers' overhead, not the cache.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sqlite3
import statistics
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from crm import demo
from crm.core import chain, contacts, search
from crm.core import db as dbm
from crm.core.text import tokens

TARGETS = {"search": 1.5, "chain": 1.5}

# One, two and three letters in each script our users search in, plus a rare
# Latin letter and a common three-letter name start.
DEFAULT_QUERIES = [
    *("x", "m", "ma", "mar", "kos"),
    *("π", "πα", "παπ"),
    *("и", "ив", "ива"),
    *("م", "مح", "محم"),
]

# The floor of a search: CROSS JOIN keeps the index driving the query, the
# fastest plan (the planner may otherwise walk contact and probe the index).
_SEARCH_SQL = """
SELECT c.id, c.given_name, c.family_name, o.name, c.email, c.phone, c.city, c.stage
FROM contact_fts f
CROSS JOIN contact c ON c.id = f.rowid
LEFT JOIN organization o ON o.id = c.organization_id
WHERE contact_fts MATCH ? AND c.archived = 0 {order}
LIMIT 50
"""

_DEEPEST_SQL = """
WITH RECURSIVE d(id, depth) AS (
    SELECT id, 0 FROM contact
    WHERE id NOT IN (SELECT referred_id FROM referral WHERE is_primary)
    UNION ALL
    SELECT r.referred_id, d.depth + 1
    FROM d JOIN referral r ON r.giver_id = d.id AND r.is_primary
)
SELECT id, depth FROM d ORDER BY depth DESC, id LIMIT 1
"""

# The floors for the chain: ids plus the columns shown, by hand, on the covering
# indexes ({names} names the contact-names index when the file has it).
_FLOOR_UP = """
WITH RECURSIVE up(id, depth) AS (
    SELECT giver_id, 1 FROM referral WHERE referred_id = ? AND is_primary
    UNION ALL
    SELECT r.giver_id, up.depth + 1 FROM up
    JOIN referral r ON r.referred_id = up.id AND r.is_primary WHERE up.depth < 1000
)
SELECT up.id, trim(c.given_name || ' ' || c.family_name), up.depth
FROM up JOIN contact c{names} ON c.id = up.id ORDER BY up.depth
"""
_FLOOR_DOWN = """
WITH RECURSIVE down(id, parent, depth, status, value) AS (
    SELECT referred_id, giver_id, 1, status, value FROM referral WHERE giver_id = ? AND is_primary
    UNION ALL
    SELECT r.referred_id, r.giver_id, down.depth + 1, r.status, r.value FROM down
    JOIN referral r ON r.giver_id = down.id AND r.is_primary WHERE down.depth < 1000
)
SELECT d.id, trim(c.given_name || ' ' || c.family_name), d.depth, d.parent, d.status,
       CASE WHEN d.status = 'won' THEN coalesce(d.value, 0) ELSE 0 END
FROM down d JOIN contact c{names} ON c.id = d.id
"""


def paired(
    service: Callable[[], Any], floor: Callable[[], Any], runs: int, warmup: int = 2
) -> tuple[tuple[float, Any], tuple[float, Any]]:
    """Median CPU ms and result of each, their samples taken in turn, so that both meet
    the same load on a busy machine. Quick operations are repeated within a sample (to
    about 20 ms) and the time divided: one call of a few dozen microseconds is mostly
    clock noise."""
    out = []
    plans = []
    for fn in (service, floor):
        for _ in range(warmup):
            start = time.process_time_ns()
            fn()
            once = time.process_time_ns() - start
        plans.append((fn, max(1, min(1000, int(20e6 / max(once, 1))))))
    samples: list[list[float]] = [[], []]
    results: list[Any] = [None, None]
    for _ in range(runs):
        for i, (fn, repeat) in enumerate(plans):
            start = time.process_time_ns()
            for _ in range(repeat):
                results[i] = fn()
            samples[i].append((time.process_time_ns() - start) / 1e6 / repeat)
    for i in range(2):
        out.append((statistics.median(samples[i]), results[i]))
    return out[0], out[1]


def ranked(query: str) -> bool:
    """Whether the service orders ``query``'s matches by rank (three letters or more)."""
    return sum(len(w) for w in tokens(query)) >= 3


def floor_sql(query: str) -> str:
    # The service ranks three letters or more, and keeps short prefixes in index
    # (id) order: the raw floor is the sorted top 50 in the same order.
    return _SEARCH_SQL.format(order="ORDER BY f.rank" if ranked(query) else "ORDER BY f.rowid")


def raw_search(conn: sqlite3.Connection, query: str) -> Callable[[], list[tuple[Any, ...]]]:
    expr = search.match_expression(query)
    sql = floor_sql(query)
    return lambda: conn.execute(sql, (expr,)).fetchall()


def script(query: str) -> str:
    """The script of the query's first letter, as Unicode names it (LATIN, GREEK, ...)."""
    letter = next((ch for ch in query if ch.isalpha()), "")
    return unicodedata.name(letter, "?").split()[0].title() if letter else "-"


def floor_plan(conn: sqlite3.Connection, query: str) -> str:
    """The floor's query plan, one step a line joined by ``; ``."""
    plan = conn.execute("EXPLAIN QUERY PLAN " + floor_sql(query), (search.match_expression(query),))
    return "; ".join(step[-1] for step in plan)


def open_or_build(args: argparse.Namespace) -> tuple[dbm.Store, Path, Path | None, int | None]:
    """The database to measure: ``--db`` as it is, else a new demo in a temporary folder.

    Returns the store, its path, the temporary folder (None for ``--db``) and the
    largest tree's root when the demo said it.
    """
    if args.db:
        path = Path(args.db)
        store = dbm.open_database(path, create=False)
        contacts_n = store.db.execute_sql("SELECT count(*) FROM contact").fetchone()[0]
        print(f"database {path}: {contacts_n:,} contacts ({path.stat().st_size / 1e6:,.0f} MB)")
        return store, path, None, chain.largest_chain_root()
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="crm-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"bench-{args.contacts}.sqlite3"
    for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        leftover.unlink(missing_ok=True)
    store = dbm.open_database(path)
    started = time.perf_counter()
    summary = demo.generate(store, args.contacts, seed=args.seed)
    generation = time.perf_counter() - started
    size_mb = path.stat().st_size / 1e6
    print(
        f"demo data: {summary['contacts']:,} contacts, {summary['referrals']:,} referrals, "
        f"{summary['events']:,} events in {generation:.1f} s ({size_mb:,.0f} MB)"
    )
    return store, path, None if args.keep else folder, summary["largest_root_id"]


def chain_cases(
    raw: sqlite3.Connection, root: int
) -> list[tuple[str, Callable[[], Any], Callable[[], Any]]]:
    """Ancestors of the deepest contact, the largest subtree, ``crm chain`` on it."""
    from crm.cli.common import print_json

    deepest, depth = raw.execute(_DEEPEST_SQL).fetchone()
    present = {
        name for (name,) in raw.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
    }
    names = " INDEXED BY contact_names" if "contact_names" in present else ""
    up_sql, down_sql = _FLOOR_UP.format(names=names), _FLOOR_DOWN.format(names=names)
    size = len(raw.execute(down_sql, (root,)).fetchall())
    print(f"deepest contact {deepest} at depth {depth}; largest tree: root {root}, {size:,} below")
    covering = ("referral_primary_tree", "contact_names")
    print(
        "covering indexes: " + ", ".join(f"{n} {'yes' if n in present else 'no'}" for n in covering)
    )

    def service_cli() -> list[Any]:
        out = io.StringIO()
        data = chain.chain(root)
        with contextlib.redirect_stdout(out):
            print_json(data)
        return data["descendants"]

    def floor_cli() -> list[Any]:
        ups = raw.execute(up_sql, (root,)).fetchall()
        downs = raw.execute(down_sql, (root,)).fetchall()
        out = io.StringIO()
        print(json.dumps({"ancestors": ups, "descendants": downs}, ensure_ascii=False,
                         indent=2, default=str), file=out)  # fmt: skip
        return downs

    return [
        (
            f"ancestors of {deepest} (depth {depth})",
            lambda: chain.ancestors(deepest),
            lambda: raw.execute(up_sql, (deepest,)).fetchall(),
        ),
        (
            f"descendants of {root} (largest subtree)",
            lambda: chain.descendants(root),
            lambda: raw.execute(down_sql, (root,)).fetchall(),
        ),
        (f"crm chain {root} --json", service_cli, floor_cli),
    ]


def comparable(rows: Any) -> list[tuple[Any, ...]]:
    return [tuple(r.values()) if isinstance(r, dict) else tuple(r) for r in rows]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=15, help="timed runs per operation")
    parser.add_argument("--keep", metavar="DIR", help="build the database in DIR and keep it")
    parser.add_argument("--db", metavar="FILE", help="an existing demo database (a copy)")
    parser.add_argument("--only", choices=("search", "chain"), help="only these cases")
    parser.add_argument(
        "--queries",
        nargs="+",
        default=DEFAULT_QUERIES,
        metavar="Q",
        help="search queries to time (default: " + " ".join(DEFAULT_QUERIES) + ")",
    )
    args = parser.parse_args(argv)

    store, path, folder, root = open_or_build(args)
    raw = sqlite3.connect(path)
    cache = store.db.execute_sql("PRAGMA cache_size").fetchone()[0]
    raw.execute(f"PRAGMA cache_size = {cache}")
    raw.execute("PRAGMA temp_store = memory")

    failures = 0
    if args.only in (None, "search"):
        failures += search_table(raw, args.queries, args.runs)
    if args.only in (None, "chain") and root is not None:
        failures += chain_table(raw, root, args.runs)
    print("CPU time medians on a shared machine: absolute figures are noisy, ratios less so")
    raw.close()
    store.close()
    if folder is not None:
        for leftover in folder.glob("*"):
            leftover.unlink()
        folder.rmdir()
    return 1 if failures else 0


def search_table(raw: sqlite3.Connection, queries: list[str], runs: int) -> int:
    """Time each query's top 50 beside its floor, print the table; the number that fail."""
    for kind, query in (("ranked", "mar"), ("index order", "m")):
        print(f"floor plan, {kind} ('{query}'): {floor_plan(raw, query)}")
    rows = []
    failures = 0
    target = TARGETS["search"]
    for query in queries:
        (service_ms, service_rows), (raw_ms, raw_rows) = paired(
            lambda q=query: contacts.list_rows(q, limit=50), raw_search(raw, query), runs
        )
        ratio = service_ms / raw_ms if raw_ms else float("inf")
        same = comparable(service_rows) == comparable(raw_rows)
        verdict = "ok" if same and ratio <= target else "OVER" if same else "ROWS DIFFER"
        failures += verdict != "ok"
        rows.append(
            (
                f"'{query}'",
                script(query),
                str(sum(len(w) for w in tokens(query))),
                "rank" if ranked(query) else "index",
                f"{service_ms:.2f}",
                f"{raw_ms:.2f}",
                f"{ratio:.2f}",
                f"≤ {target}",
                verdict,
                f"{len(raw_rows):,}",
            )
        )
    header = ("top 50 of", "script", "letters", "order", "service ms", "floor ms")
    print_table((*header, "ratio", "target", "verdict", "rows"), rows)
    print(
        f"target: search ≤ {target}× its floor (the sorted raw FTS5 top 50, same rows and "
        "order); verdict ok, OVER (slower) or ROWS DIFFER"
    )
    return failures


def chain_table(raw: sqlite3.Connection, root: int, runs: int) -> int:
    """Time the chain cases beside their floors, print the table; the number that fail."""
    rows = []
    failures = 0
    target = TARGETS["chain"]
    for label, service, plain in chain_cases(raw, root):
        (service_ms, service_result), (raw_ms, raw_result) = paired(service, plain, runs)
        if len(service_result) != len(raw_result):
            print(f"warning: {label}: the service and the floor returned different rows")
        ratio = service_ms / raw_ms if raw_ms else float("inf")
        ok = ratio <= target
        failures += not ok
        rows.append(
            (
                label,
                f"{service_ms:.2f}",
                f"{raw_ms:.2f}",
                f"{ratio:.2f}",
                f"≤ {target}",
                "ok" if ok else "OVER",
                f"{len(raw_result):,}",
            )
        )
    print_table(("operation", "CPU ms", "floor ms", "ratio", "target", "verdict", "rows"), rows)
    print(f"target: chain ≤ {target}× its floor")
    return failures


def print_table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(str(r[i])) for r in (header, *rows)) for i in range(len(header))]
    line = "  ".join(f"{{:<{w}}}" if i == 0 else f"{{:>{w}}}" for i, w in enumerate(widths))
    print()
    print(line.format(*header))
    print(line.format(*("-" * w for w in widths)))
    for row in rows:
        print(line.format(*row))
    print()


if __name__ == "__main__":
    sys.exit(main())
