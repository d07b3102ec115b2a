"""Core benchmark: the services against the same SQL through a plain sqlite3 connection.

Run as ``python tests/perf/bench_core.py [--contacts 100000]`` (not collected by
pytest). It builds a demo database of N contacts in a temporary folder, then
times, as the median of several runs after a warm-up:

- search, top 50, for a one-letter and a three-letter query:
  ``crm.core.contacts.list_rows(query, limit=50)`` against the FTS5 ``MATCH``
  with the same prefix expression, joined to ``contact`` for the row tuples;
- the ancestors of the deepest contact (``crm.core.chain.ancestors``) and the
  descendants of the largest tree's root (``crm.core.chain.descendants``)
  against the recursive CTEs those services run.

The raw side uses its own ``sqlite3`` connection with the same page cache
size as the app's, so the ratio measures the layers' overhead, not the cache.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from crm import demo
from crm.core import chain, contacts, search
from crm.core import db as dbm
from crm.core.text import tokens

TARGETS = {"search": 1.5, "chain": 1.5}

_SEARCH_SQL = """
SELECT c.id, c.given_name, c.family_name, o.name, c.email, c.phone, c.city, c.stage
FROM contact_fts f
JOIN contact c ON c.id = f.rowid
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


def median_ms(fn: Callable[[], Any], runs: int, warmup: int = 2) -> tuple[float, Any]:
    result = None
    for _ in range(warmup):
        result = fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter_ns()
        result = fn()
        samples.append((time.perf_counter_ns() - start) / 1e6)
    return statistics.median(samples), result


def raw_search(conn: sqlite3.Connection, query: str) -> Callable[[], list[tuple[Any, ...]]]:
    expr = search.match_expression(query)
    # The service ranks three letters or more, and keeps short prefixes in index order.
    order = "ORDER BY f.rank" if sum(len(w) for w in tokens(query)) >= 3 else ""
    sql = _SEARCH_SQL.format(order=order)
    return lambda: conn.execute(sql, (expr,)).fetchall()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=15, help="timed runs per operation")
    parser.add_argument("--keep", metavar="DIR", help="build the database in DIR and keep it")
    args = parser.parse_args(argv)

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

    raw = sqlite3.connect(path)
    cache = store.db.execute_sql("PRAGMA cache_size").fetchone()[0]
    raw.execute(f"PRAGMA cache_size = {cache}")
    raw.execute("PRAGMA temp_store = memory")

    deepest, depth = raw.execute(_DEEPEST_SQL).fetchone()
    root = summary["largest_root_id"]
    print(
        f"deepest contact {deepest} at depth {depth}; largest tree: root {root} with "
        f"{summary['largest_root_descendants']:,} descendants"
    )

    # Queries that match many contacts: a one-letter prefix, and a common 3-letter one.
    queries = ("m", "mar")
    cases: list[tuple[str, str, Callable[[], Any], Callable[[], Any]]] = []
    for query in queries:
        cases.append(
            (
                f"search '{query}' top 50",
                "search",
                lambda q=query: contacts.list_rows(q, limit=50),
                raw_search(raw, query),
            )
        )
    cases.append(
        (
            f"ancestors of {deepest} (depth {depth})",
            "chain",
            lambda: chain.ancestors(deepest),
            lambda: raw.execute(chain._ANCESTORS_SQL, (deepest, chain.MAX_DEPTH)).fetchall(),
        )
    )
    cases.append(
        (
            f"descendants of {root}",
            "chain",
            lambda: chain.descendants(root),
            lambda: raw.execute(chain._DESCENDANTS_SQL, (root, chain.MAX_DEPTH)).fetchall(),
        )
    )

    rows = []
    failures = 0
    for label, group, service, plain in cases:
        service_ms, service_result = median_ms(service, args.runs)
        raw_ms, raw_result = median_ms(plain, args.runs)
        if [tuple(r) for r in service_result] != [tuple(r) for r in raw_result]:
            print(f"warning: {label}: the service and the raw SQL returned different rows")
        ratio = service_ms / raw_ms if raw_ms else float("inf")
        target = TARGETS[group]
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
                str(len(raw_result)),
            )
        )

    header = ("operation", "service ms", "raw ms", "ratio", "target", "", "rows")
    widths = [max(len(str(r[i])) for r in (header, *rows)) for i in range(len(header))]
    line = "  ".join(f"{{:<{w}}}" if i == 0 else f"{{:>{w}}}" for i, w in enumerate(widths))
    print()
    print(line.format(*header))
    print(line.format(*("-" * w for w in widths)))
    for row in rows:
        print(line.format(*row))
    print()
    print(f"demo generation ({args.contacts:,} contacts): {generation:.1f} s")
    print(f"targets: search ≤ {TARGETS['search']}× raw, chain ≤ {TARGETS['chain']}× raw")
    raw.close()
    store.close()
    if not args.keep:
        for leftover in folder.glob("*"):
            leftover.unlink()
        folder.rmdir()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
