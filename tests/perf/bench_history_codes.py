"""Schema step 9 benchmark: reading the app's other English history lines back into codes.

Run as ``python tests/perf/bench_history_codes.py --db FILE [--every N]`` (not
collected by pytest), FILE a database of schema 8 such as the demo
(``/work/bench/d100000.sqlite3``). FILE is only read: two copies are made with
SQLite's backup API in a temporary folder, and each gets the same English lines
an older version wrote (untimed): for every N-th contact a "Changed …" line, a
"Referral from …: changed …" line on its referral if it has one, an import's
"added …" line and a "… points redeemed: …" line. On one copy, the step itself
(``migrations._add_history_codes``, in one transaction, as an upgrade runs it);
on the other, its floor through plain ``sqlite3``: the same rows read with the
same query and as many rows updated with one fixed message, so the ratio is what
matching the wordings and writing their JSON costs. CPU seconds
(``time.process_time``: the machine may be busy) and wall seconds.
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

LINES = (
    ("updated", "Changed city, stage, organization, emails"),
    ("updated", "Imported from contacts.csv: added street, city, postcode"),
    ("points_redeemed", "70 points redeemed: Dinner for two"),
    ("updated", "Changed the colour of the door"),  # not the app's: left as it is
)


def copy(source: Path, target: Path) -> None:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    src.backup(dst)
    src.close()
    dst.close()


def old_lines(path: Path, every: int) -> int:
    """The English lines of an older version, for every ``every``-th contact."""
    conn = sqlite3.connect(path)
    stamp = "2026-05-01 12:00:00"
    ids = [r[0] for r in conn.execute("SELECT id FROM contact WHERE id % ? = 0", (every,))]
    rows = [(cid, kind, stamp, text, None) for cid in ids for kind, text in LINES]
    referred = conn.execute(
        "SELECT r.referred_id, r.id, g.given_name || ' ' || g.family_name FROM referral r "
        "JOIN contact g ON g.id = r.giver_id WHERE r.referred_id % ? = 0",
        (every,),
    ).fetchall()
    rows += [
        (cid, "updated", stamp, f"Referral from {name}: changed notes, temperature", rid)
        for cid, rid, name in referred
    ]
    conn.executemany(
        "INSERT INTO interaction (contact_id, kind, happened_at, summary, referral_id) "
        "VALUES (?,?,?,?,?)",
        rows,
    )
    conn.commit()
    conn.close()
    return len(rows)


def the_step(path: Path) -> tuple[float, float, int]:
    database = SqliteDatabase(str(path))
    before = database.execute_sql("SELECT count(message) FROM interaction").fetchone()[0]
    cpu, wall = time.process_time(), time.perf_counter()
    with database.atomic():
        migrations._add_history_codes(database)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    after = database.execute_sql("SELECT count(message) FROM interaction").fetchone()[0]
    database.close()
    return cpu, wall, int(after) - int(before)


def the_floor(path: Path, lines: int) -> tuple[float, float]:
    conn = sqlite3.connect(path, isolation_level=None)
    message = (
        '{"code":"history.contact_changed","params":{"fields":[{"code":"contact_field.city"}]}}'
    )
    cpu, wall = time.process_time(), time.perf_counter()
    conn.execute("BEGIN")
    rows = conn.execute(
        "SELECT i.id, i.kind, i.summary, g.given_name, g.family_name FROM interaction i "
        "LEFT JOIN referral r ON r.id = i.referral_id LEFT JOIN contact g ON g.id = r.giver_id "
        "WHERE i.kind IN ('updated', 'points_redeemed') AND (i.message IS NULL "
        "OR (i.summary LIKE 'Referral from %' AND i.message LIKE '{\"code\":\"history.f%'))"
    ).fetchall()
    conn.executemany(
        "UPDATE interaction SET message = ? WHERE id = ?",
        ((message, row[0]) for row in rows[:lines]),
    )
    conn.execute("UPDATE reward SET notes = '' WHERE points < 0 AND notes = 'Points redeemed'")
    conn.execute("COMMIT")
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    conn.close()
    return cpu, wall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="a database of schema 8 (read only)")
    parser.add_argument("--every", type=int, default=10, help="old lines for every N-th contact")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        step_db, floor_db = Path(folder) / "step.sqlite3", Path(folder) / "floor.sqlite3"
        copy(args.db, step_db)
        copy(args.db, floor_db)
        written = old_lines(step_db, args.every)
        old_lines(floor_db, args.every)
        cpu, wall, coded = the_step(step_db)
        floor_cpu, floor_wall = the_floor(floor_db, coded)
    print(f"old English lines written: {written:,}; given a code by the step: {coded:,}")
    print(f"{'':<22}{'CPU s':>9}{'wall s':>9}")
    print(f"{'schema step 9':<22}{cpu:>9.2f}{wall:>9.2f}")
    print(f"{'floor (raw sqlite3)':<22}{floor_cpu:>9.2f}{floor_wall:>9.2f}")
    print(f"{'ratio':<22}{cpu / floor_cpu:>9.1f}{wall / floor_wall:>9.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
