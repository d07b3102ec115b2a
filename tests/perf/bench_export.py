"""Export benchmark: CSV, vCard and a person's data (privacy export), each beside a raw floor.

Run as ``python tests/perf/bench_export.py [--sizes 100000 1000000]`` (not
collected by pytest). For each size it copies ``/work/bench/dN.sqlite3`` to
``/tmp/streamexport/`` (the original is never opened; the 1M file only once
``d1000000.ready`` exists) and runs every measurement in a child process of its
own, so that one's memory does not pollute another's:

- crm: ``crm.interchange.exports.export_csv``, ``vcard.export`` (4.0) and
  ``person_export.export_person`` (the contact with the most referrals given);
- floor: the same bytes written on raw ``sqlite3`` (tests/perf/export_floor.py):
  ``csv.writer`` over raw rows with the same columns and the same formula
  escaping; the same vCard text built by hand with plain string formatting;
  the person's rows read by plain queries and dumped with ``json``.

Each line shows the CPU time of the work (inside the child: process time
around the export alone, the opening of the database excluded), the floor's,
their ratio, and each child's peak RSS (``os.wait4``'s ``ru_maxrss``), beside an
``idle`` child that only opens the database (what any process costs). The files
of crm and floor are compared byte for byte. Targets (issue 16): CSV and vCard
≤ 1.5× the floor; peak RSS < 100 MB at 1,000,000 contacts, flat in the size.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

BENCH = Path("/work/bench")
WORK = Path("/tmp/streamexport")
TARGET_RATIO = 1.5
TARGET_RSS_MB = 100
KINDS = ("csv", "vcard", "privacy")
NOW = "2026-12-06"


def _child(kind: str, impl: str, db: str, out: str, contact: int) -> None:
    """Runs in the child: one export, then its CPU time and a digest of what it wrote."""
    os.environ.setdefault("CRM_NOW", NOW)
    if impl == "floor":
        import export_floor

        export_floor.prepare(kind)
        start = time.process_time()
        paths = export_floor.run(kind, db, out, contact)
    else:
        from crm.core import db as dbm

        dbm.open_database(db)
        # What the export's module imports, loaded before the clock starts (as the floor's).
        import crm.core.privacy
        import crm.interchange.exports
        import crm.interchange.person_export
        import crm.interchange.vcard  # noqa: F401

        start = time.process_time()
        paths = [] if impl == "idle" else _crm(kind, out, contact)
    cpu = time.process_time() - start
    print(json.dumps({"cpu": cpu, "paths": [str(p) for p in paths]}))


def digest(paths: list[str]) -> tuple[str, int]:
    """A digest of the files written (in the parent: reading them costs the child nothing)."""
    sha = hashlib.sha256()
    size = 0
    for path in paths:
        with open(path, "rb") as handle:
            for line in handle:
                size += len(line)
                # The JSON's "exported_at" is the ticking clock's: compared without it.
                if not line.startswith(b'  "exported_at"'):
                    sha.update(line)
    return sha.hexdigest(), size


def _crm(kind: str, out: str, contact: int) -> list[str]:
    if kind == "csv":
        from crm.interchange import exports

        exports.export_csv(out)
        return [out]
    if kind == "vcard":
        from crm.interchange import vcard

        vcard.export(out)
        return [out]
    from crm.interchange.person_export import export_person

    return [str(p) for p in export_person(contact, out)]


def measure(kind: str, impl: str, db: Path, contact: int) -> dict[str, Any]:
    """One child: its result line, CPU of the work, and its peak RSS in MB."""
    out = WORK / f"out-{impl}-{kind}{'' if kind == 'privacy' else '.' + kind}"
    if out.is_dir():
        shutil.rmtree(out)
    elif out.exists():
        out.unlink()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CRM_NOW": NOW}
    args = [sys.executable, __file__, "--child", kind, impl, str(db), str(out), str(contact)]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, env=env)
    assert proc.stdout is not None
    text = proc.stdout.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"{impl} {kind} failed ({proc.returncode})")
    result = json.loads(text.decode().strip().splitlines()[-1])
    result["rss"] = usage.ru_maxrss / 1024
    result["sha"], result["bytes"] = digest(result["paths"])
    return result


def busiest_contact(db: Path) -> int:
    """The contact with the most referrals given: the largest privacy export."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        row = con.execute(
            "SELECT giver_id FROM referral GROUP BY giver_id ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()
    finally:
        con.close()
    return int(row[0])


def prepare(size: int) -> Path | None:
    source = BENCH / f"d{size}.sqlite3"
    if not (BENCH / f"d{size}.ready").exists():
        print(f"{size:,}: {source} is not ready yet, skipped")
        return None
    WORK.mkdir(exist_ok=True)
    copy = WORK / f"d{size}.sqlite3"
    if not copy.exists():
        shutil.copyfile(source, copy)
    return copy


def bench(size: int, kinds: list[str]) -> None:
    db = prepare(size)
    if db is None:
        return
    measure("csv", "idle", db, 0)  # a first open upgrades the copy if it must
    contact = busiest_contact(db)
    idle = measure("csv", "idle", db, 0)
    print(f"\n{size:,} contacts (privacy: contact {contact}); idle child {idle['rss']:.0f} MB")
    print(
        f"{'export':<8} {'crm CPU s':>10} {'floor CPU s':>12} {'ratio':>6} {'target':>7} "
        f"{'crm RSS MB':>11} {'floor RSS MB':>13} {'RSS target':>11} {'MB out':>7} same bytes"
    )
    for kind in kinds:
        ours = measure(kind, "crm", db, contact)
        floor = measure(kind, "floor", db, contact)
        ratio = ours["cpu"] / floor["cpu"] if floor["cpu"] else float("inf")
        target = f"≤{TARGET_RATIO}" if kind != "privacy" else "-"
        print(
            f"{kind:<8} {ours['cpu']:>10.2f} {floor['cpu']:>12.2f} {ratio:>6.2f} {target:>7} "
            f"{ours['rss']:>11.0f} {floor['rss']:>13.0f} {'<' + str(TARGET_RSS_MB):>11} "
            f"{ours['bytes'] / 1e6:>7.1f} {'yes' if ours['sha'] == floor['sha'] else 'NO'}"
        )


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        kind, impl, db, out, contact = sys.argv[2:7]
        _child(kind, impl, db, out, int(contact))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100000, 1000000])
    parser.add_argument("--kinds", nargs="+", choices=KINDS, default=list(KINDS))
    args = parser.parse_args()
    for size in args.sizes:
        bench(size, args.kinds)


if __name__ == "__main__":
    main()
