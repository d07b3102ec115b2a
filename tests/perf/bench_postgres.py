"""PostgreSQL benchmark: the services on a team database against raw psycopg, beside SQLite.

Run as ``python tests/perf/bench_postgres.py [--contacts 100000]`` (not collected
by pytest; needs a PostgreSQL server, ``--server``, default
``postgresql://postgres@127.0.0.1:5432``). It builds a demo database of N
contacts in a temporary SQLite file, copies it into a new database on the
server (``crm copy``), and times, as the median of several runs after a warm-up:

- search, top 50 rows, for a one-letter and a three-letter query
  (``crm.core.contacts.list_rows``);
- the ancestors of the deepest contact and the descendants of the largest
  tree's root (``crm.core.chain``);
- a page of the contacts table: the ids in name order
  (``crm.core.contact_table.query_ids``) and the rows of the first 50
  (``table_rows``).

Each PostgreSQL figure is printed beside raw psycopg running the same SQL in
the same run (its own connection; the two alternate, so a busy machine weighs
on both alike), and beside the service's figure on SQLite.
The server database is dropped at the end unless ``--keep``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import psycopg

from crm import demo
from crm.core import chain, contact_table, contacts, copying, models, search
from crm.core import db as dbm
from crm.core.postgres import translate
from crm.core.text import tokens

TARGET = 1.5

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


def paired_ms(
    service: Callable[[], Any], plain: Callable[[], Any], runs: int, warmup: int = 3
) -> tuple[float, Any, float, Any]:
    """Medians of the service and the raw SQL, run alternately (the same load on both)."""
    for _ in range(warmup):
        service_result, raw_result = service(), plain()
    service_ms, raw_ms = [], []
    for _ in range(runs):
        for fn, samples in ((service, service_ms), (plain, raw_ms)):
            start = time.perf_counter_ns()
            fn()
            samples.append((time.perf_counter_ns() - start) / 1e6)
    return statistics.median(service_ms), service_result, statistics.median(raw_ms), raw_result


def raw_search(conn: Any, query: str) -> Callable[[], list[tuple[Any, ...]]]:
    """What list_rows runs on PostgreSQL for a search: the ranked ids, then their rows."""
    expr = search.match_expression(query, postgres=True)
    ranked = sum(len(w) for w in tokens(query)) >= 3
    order = "ORDER BY ts_rank(f.words, q) DESC, f.rowid" if ranked else "ORDER BY f.rowid"
    ids_sql = translate(
        f"SELECT f.rowid FROM contact_fts f JOIN contact c ON c.id = f.rowid, "
        f"CAST(? AS tsquery) q WHERE f.words @@ q AND NOT c.archived {order} LIMIT ?"
    )

    def run() -> list[tuple[Any, ...]]:
        ids = [r[0] for r in conn.execute(ids_sql, (expr, 50)).fetchall()]
        if not ids:
            return []
        marks = ",".join(["%s"] * len(ids))
        fetched = conn.execute(
            translate(f"{contacts._ROWS_SQL} WHERE c.id IN ({marks})"), ids
        ).fetchall()
        rows = {r[0]: tuple(r) for r in fetched}
        return [rows[i] for i in ids if i in rows]

    return run


def raw_table_ids(conn: Any) -> Callable[[], list[int]]:
    sql = "SELECT c.id FROM contact c WHERE NOT c.archived ORDER BY " + contact_table.TABLE_ORDERS[
        "name"
    ].format(d="ASC")
    return lambda: [r[0] for r in conn.execute(sql).fetchall()]


def raw_table_rows(conn: Any, ids: list[int]) -> Callable[[], list[tuple[Any, ...]]]:
    marks = ",".join(["%s"] * len(ids))
    sql = translate(f"{contact_table._TABLE_ROWS_SQL} WHERE c.id IN ({marks})")
    return lambda: conn.execute(sql, ids).fetchall()


def service_cases(deepest: int, root: int, page: list[int]) -> dict[str, Callable[[], Any]]:
    return {
        "search 'm' top 50": lambda: contacts.list_rows("m", limit=50),
        "search 'mar' top 50": lambda: contacts.list_rows("mar", limit=50),
        f"ancestors of {deepest}": lambda: chain.ancestors(deepest),
        f"descendants of {root}": lambda: chain.descendants(root),
        "contact table: ids in name order": lambda: contact_table.query_ids(),
        "contact table: a page of 50 rows": lambda: list(contact_table.table_rows(page).values()),
    }


def raw_cases(conn: Any, deepest: int, root: int, page: list[int]) -> list[Callable[[], Any]]:
    ancestors_sql = translate(chain._ANCESTORS_SQL)
    descendants_sql = translate(chain._DESCENDANTS_SQL)
    return [
        raw_search(conn, "m"),
        raw_search(conn, "mar"),
        lambda: conn.execute(ancestors_sql, (deepest, chain.MAX_DEPTH)).fetchall(),
        lambda: conn.execute(descendants_sql, (root, chain.MAX_DEPTH)).fetchall(),
        raw_table_ids(conn),
        raw_table_rows(conn, page),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=11, help="timed runs per operation")
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--keep", action="store_true", help="keep the file and the database")
    args = parser.parse_args(argv)

    folder = Path(tempfile.mkdtemp(prefix="crm-bench-pg-"))
    path = folder / f"bench-{args.contacts}.sqlite3"
    dbname = f"crm_bench_{os.getpid()}"
    url = f"{args.server}/{dbname}"
    with psycopg.connect(f"{args.server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{dbname}"')
    try:
        return _run(args, path, url)
    finally:
        dbm.close_thread_connection()
        if not args.keep:
            with psycopg.connect(f"{args.server}/postgres", autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
            for leftover in folder.glob("*"):
                leftover.unlink()
            folder.rmdir()
        else:
            print(f"kept {path} and {url}")


def _run(args: argparse.Namespace, path: Path, url: str) -> int:
    store = dbm.open_database(path)
    started = time.perf_counter()
    summary = demo.generate(store, args.contacts, seed=args.seed)
    print(f"demo data: {summary['contacts']:,} contacts in {time.perf_counter() - started:.1f} s")
    store.close()
    started = time.perf_counter()
    report = copying.copy_database(str(path), url)
    print(
        f"crm copy to PostgreSQL: {report.to_dict()['rows']:,} rows in "
        f"{time.perf_counter() - started:.1f} s"
    )

    # The same contacts on both: the deepest one and the largest tree's root.
    lite = dbm.open_database(path)
    deepest, depth = lite.db.execute_sql(_DEEPEST_SQL).fetchone()
    root = summary["largest_root_id"]
    page = contact_table.query_ids()[:50]
    print(
        f"deepest contact {deepest} at depth {depth}; largest tree: root {root} "
        f"with {summary['largest_root_descendants']:,} descendants"
    )
    on_sqlite = {
        label: median_ms(fn, args.runs)[0]
        for label, fn in service_cases(deepest, root, page).items()
    }
    lite.close()

    team = dbm.open_database(url)
    models.database_proxy.initialize(team.db)
    raw = psycopg.connect(url, autocommit=True)
    rows = []
    failures = 0
    cases = service_cases(deepest, root, page)
    for (label, service), plain in zip(
        cases.items(), raw_cases(raw, deepest, root, page), strict=True
    ):
        service_ms, service_result, raw_ms, raw_result = paired_ms(service, plain, args.runs)
        same = [tuple(r) if isinstance(r, tuple | list) else r for r in service_result] == [
            tuple(r) if isinstance(r, tuple | list) else r for r in raw_result
        ]
        ratio = service_ms / raw_ms if raw_ms else float("inf")
        ok = ratio <= TARGET
        failures += not ok
        rows.append(
            (
                label,
                f"{service_ms:.2f}",
                f"{raw_ms:.2f}",
                f"{ratio:.2f}",
                "ok" if ok else "OVER",
                f"{on_sqlite[label]:.2f}",
                str(len(raw_result)) + ("" if same else " (differ!)"),
            )
        )
    raw.close()
    team.close()

    header = (
        "operation",
        "PG service ms",
        "raw psycopg ms",
        "ratio",
        f"≤ {TARGET}",
        "SQLite service ms",
        "rows",
    )
    widths = [max(len(str(r[i])) for r in (header, *rows)) for i in range(len(header))]
    line = "  ".join(f"{{:<{w}}}" if i == 0 else f"{{:>{w}}}" for i, w in enumerate(widths))
    print()
    print(line.format(*header))
    print(line.format(*("-" * w for w in widths)))
    for row in rows:
        print(line.format(*row))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
