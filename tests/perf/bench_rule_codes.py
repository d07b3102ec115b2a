"""Schema step 8 benchmark: reading an older database's English lines back into codes.

Run as ``python tests/perf/bench_rule_codes.py --db FILE`` (not collected by
pytest), FILE a version-7 database such as a demo built by an older version
(``/work/bench/d100000.sqlite3``). FILE is only read: two copies are made with
SQLite's backup API in a temporary folder. On one, the step itself
(``migrations._add_rule_codes``, in one transaction, as an upgrade runs it); on
the other, its floor through plain ``sqlite3``: the same two columns added, the
same rows read, and as many rows updated with one fixed message, so the ratio is
what matching the wordings and writing their JSON costs. Both are timed in CPU
seconds (``time.process_time``: the machine may be busy) and wall seconds.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from peewee import SqliteDatabase

from crm.core import migrations


def copy(source: Path, target: Path) -> None:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    src.backup(dst)
    src.close()
    dst.close()


def the_step(path: Path) -> tuple[float, float, int, int]:
    database = SqliteDatabase(str(path))
    cpu, wall = time.process_time(), time.perf_counter()
    with database.atomic():
        migrations._add_rule_codes(database)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    followups = database.execute_sql("SELECT count(message) FROM follow_up").fetchone()[0]
    lines = database.execute_sql("SELECT count(message) FROM interaction").fetchone()[0]
    database.close()
    return cpu, wall, int(followups), int(lines)


def the_floor(path: Path, followups: int, lines: int) -> tuple[float, float]:
    conn = sqlite3.connect(path, isolation_level=None)
    message = '{"code":"history.referred","params":{"name":"Anna Bianchi"}}'
    cpu, wall = time.process_time(), time.perf_counter()
    conn.execute("BEGIN")
    for table in ("follow_up", "interaction"):
        conn.execute(f"ALTER TABLE {table} ADD COLUMN message TEXT")
    for table, count, text in (
        ("follow_up", followups, "title"),
        ("interaction", lines, "summary"),
    ):
        rows = conn.execute(
            f"SELECT t.id, t.{text}, c.given_name, c.family_name FROM {table} t "
            "JOIN contact c ON c.id = t.contact_id"
        ).fetchall()
        conn.executemany(
            f"UPDATE {table} SET message = ? WHERE id = ?",
            ((message, row[0]) for row in rows[:count]),
        )
    conn.execute("COMMIT")
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    conn.close()
    return cpu, wall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="a version-7 database (read only)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        step_db, floor_db = Path(folder) / "step.sqlite3", Path(folder) / "floor.sqlite3"
        copy(args.db, step_db)
        copy(args.db, floor_db)
        cpu, wall, followups, lines = the_step(step_db)
        floor_cpu, floor_wall = the_floor(floor_db, followups, lines)
    print(f"rows given a code: {followups:,} follow-ups, {lines:,} history lines")
    print(f"{'':<22}{'CPU s':>9}{'wall s':>9}")
    print(f"{'schema step 8':<22}{cpu:>9.2f}{wall:>9.2f}")
    print(f"{'floor (raw sqlite3)':<22}{floor_cpu:>9.2f}{floor_wall:>9.2f}")
    print(f"{'ratio':<22}{cpu / floor_cpu:>9.1f}{wall / floor_wall:>9.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
