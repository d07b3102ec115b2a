"""Stats benchmark: ``crm.core.stats.summary`` against the same SQL through plain sqlite3.

Run as ``python tests/perf/bench_stats.py [--contacts 100000] [--db FILE]`` (not
collected by pytest). It builds a demo database of N contacts in a temporary
folder (or uses ``--db``), then times, as the median of several runs after a
warm-up, the CPU time (``time.process_time``) of the summary for this month,
this quarter and this year, and for all time. The floor, the raw aggregates,
replays the very statements the service ran (caught from peewee's query log) on
a plain ``sqlite3`` connection with the same page cache, so the ratio is what
the Python around the SQL costs. Targets: a year in 200 ms of CPU or less on the
100k demo, and at most 1.5× its raw aggregates (checked at 1M, printed always);
the query count is printed beside it. ``--db`` is opened, so upgraded, in
place: give it a copy.
"""

from __future__ import annotations

import argparse
import logging
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
from crm.core import db as dbm
from crm.core import stats

YEAR_TARGET_MS = 200.0  # at 100,000 contacts
RATIO_TARGET = 1.5  # at 1,000,000 contacts


def median_ms(fn: Callable[[], Any], runs: int, warmup: int = 2) -> float:
    """Median CPU time in ms (the machine may be busy: CPU time, not wall time)."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        start = time.process_time_ns()
        fn()
        samples.append((time.process_time_ns() - start) / 1e6)
    return statistics.median(samples)


class Caught(logging.Handler):
    """The (sql, params) of every statement peewee runs."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.statements: list[tuple[str, Any]] = []

    def emit(self, record: logging.LogRecord) -> None:
        if isinstance(record.msg, tuple):
            self.statements.append(record.msg)


def statements_of(fn: Callable[[], Any]) -> list[tuple[str, Any]]:
    logger = logging.getLogger("peewee")
    caught = Caught()
    level = logger.level
    logger.addHandler(caught)
    logger.setLevel(logging.DEBUG)
    try:
        fn()
    finally:
        logger.removeHandler(caught)
        logger.setLevel(level)
    return caught.statements


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=9, help="timed runs per period")
    parser.add_argument("--db", metavar="FILE", help="an existing demo database to use")
    args = parser.parse_args(argv)

    folder = None
    if args.db:
        path = Path(args.db)
        store = dbm.open_database(path)
    else:
        folder = Path(tempfile.mkdtemp(prefix="crm-bench-stats-"))
        path = folder / f"bench-{args.contacts}.sqlite3"
        store = dbm.open_database(path)
        made = demo.generate(store, args.contacts, seed=args.seed)
        print(f"demo data: {made['contacts']:,} contacts, {made['referrals']:,} referrals")

    raw = sqlite3.connect(path)
    cache = store.db.execute_sql("PRAGMA cache_size").fetchone()[0]
    raw.execute(f"PRAGMA cache_size = {cache}")
    raw.execute("PRAGMA temp_store = memory")

    periods: list[tuple[str, Any, Any]] = [
        (kind, *stats.period_range(kind)) for kind in ("month", "quarter", "year")
    ]
    periods.append(("all time", None, None))
    rows = []
    year_ms = year_ratio = 0.0
    for label, start, end in periods:
        statements = statements_of(lambda s=start, e=end: stats.summary(s, e))
        service_ms = median_ms(lambda s=start, e=end: stats.summary(s, e), args.runs)

        def replay(todo: list[tuple[str, Any]] = statements) -> None:
            for sql, params in todo:
                raw.execute(sql, params or ()).fetchall()

        raw_ms = median_ms(replay, args.runs)
        referrals = stats.summary(start, end)["referrals"]
        if label == "year":
            year_ms, year_ratio = service_ms, service_ms / raw_ms
        rows.append(
            (
                label,
                f"{referrals:,}",
                str(len(statements)),
                f"{service_ms:.1f}",
                f"{raw_ms:.1f}",
                f"{service_ms / raw_ms:.2f}" if raw_ms else "-",
            )
        )

    header = ("period", "referrals", "queries", "CPU ms", "raw aggregates ms", "ratio")
    widths = [max(len(r[i]) for r in (header, *rows)) for i in range(len(header))]
    line = "  ".join(f"{{:<{w}}}" if i == 0 else f"{{:>{w}}}" for i, w in enumerate(widths))
    print()
    print(line.format(*header))
    print(line.format(*("-" * w for w in widths)))
    for row in rows:
        print(line.format(*row))
    print()
    contacts_n = store.db.execute_sql("SELECT count(*) FROM contact").fetchone()[0]
    verdict = "ok" if year_ms <= YEAR_TARGET_MS else "OVER"
    ratio_verdict = "ok" if year_ratio <= RATIO_TARGET else "OVER"
    budget = (
        f" (target ≤ {YEAR_TARGET_MS:.0f} ms at 100k: {verdict})" if contacts_n <= 200_000 else ""
    )
    print(
        f"a year's summary at {contacts_n:,} contacts: {year_ms:.1f} ms CPU{budget}, "
        f"{year_ratio:.2f}× the raw aggregates (target ≤ {RATIO_TARGET}: {ratio_verdict})"
    )
    print("CPU time medians on a shared machine: absolute figures are noisy, ratios less so")
    if contacts_n > 200_000:
        verdict = ratio_verdict
    raw.close()
    store.close()
    if folder is not None:
        for leftover in folder.glob("*"):
            leftover.unlink()
        folder.rmdir()
    return 0 if verdict == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
