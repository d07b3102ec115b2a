"""Duplicate finder benchmark: time and memory from 100,000 to 1,000,000 contacts.

Run as ``python tests/perf/bench_duplicates.py [--sizes 100000 1000000] [--cache DIR]``
(not collected by pytest). It builds a demo database per size once in the cache
folder (a million contacts take a few minutes) and reuses it on later runs.

Each measurement runs in a fresh child process, so its peak memory is its own:

- ``find``: ``crm.core.duplicates.find()`` (the best 500 pairs), CPU seconds and
  peak RSS;
- ``floor``: the same rows read raw through ``sqlite3`` (the contacts' ids,
  names and organizations and the shared emails and phones) into Python
  tuples, the least any finder must do.

It prints both with their ratio, then the growth exponents of time and memory
from the smallest size to the largest (target: time exponent ≤ 1.15).
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGET_EXPONENT = 1.15

_FIND = """
import json, resource, sys, time
from crm.core import db, duplicates
store = db.open_database(sys.argv[1])
start = time.process_time()
pairs = duplicates.find()
took = time.process_time() - start
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"cpu": took, "rss": rss, "pairs": len(pairs)}))
"""

_FLOOR = """
import json, resource, sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1])
start = time.process_time()
people = conn.execute(
    "SELECT id, given_name, family_name, organization_id FROM contact "
    "WHERE archived = 0 AND erased_at IS NULL").fetchall()
shared = [conn.execute(
    f"SELECT contact_id, {v} FROM {t} WHERE lower({v}) IN "
    f"(SELECT lower({v}) FROM {t} GROUP BY lower({v}) HAVING count(*) > 1)").fetchall()
    for v, t in (("address", "email_address"), ("number", "phone_number"))]
took = time.process_time() - start
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"cpu": took, "rss": rss, "pairs": len(people)}))
"""


def database(cache: Path, contacts: int) -> Path:
    """The demo database of ``contacts`` people in ``cache``, built once."""
    path = cache / f"demo-{contacts}.sqlite3"
    if not path.exists():
        print(f"building {path} ...", flush=True)
        partial = path.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        command = [sys.executable, "-m", "crm", "--db", str(partial), "demo"]
        command += ["--contacts", str(contacts), "--seed", "7"]
        subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        partial.rename(path)
    return path


def measure(script: str, path: Path, runs: int = 3) -> dict[str, float]:
    """The best CPU time of ``runs`` child processes, and the largest peak RSS."""
    results = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", script, str(path)],
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
        ).stdout
        results.append(json.loads(out))
    return {
        "cpu": min(r["cpu"] for r in results),
        "rss": max(r["rss"] for r in results),
        "pairs": results[0]["pairs"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "crm-bench")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    rows = []
    print(
        f"{'contacts':>10} {'find s':>8} {'floor s':>8} {'ratio':>6} {'find MB':>8} {'floor MB':>9}"
    )
    for size in args.sizes:
        path = database(args.cache, size)
        found = measure(_FIND, path, args.runs)
        floor = measure(_FLOOR, path, args.runs)
        rows.append((size, found, floor))
        ratio = found["cpu"] / floor["cpu"]
        print(
            f"{size:>10,} {found['cpu']:>8.2f} {floor['cpu']:>8.2f} {ratio:>6.1f} "
            f"{found['rss']:>8.0f} {floor['rss']:>9.0f}",
            flush=True,
        )
    if len(rows) > 1:
        (n0, f0, r0), (n1, f1, r1) = rows[0], rows[-1]
        scale = math.log(n1 / n0)
        time_exp = math.log(f1["cpu"] / f0["cpu"]) / scale
        floor_exp = math.log(r1["cpu"] / r0["cpu"]) / scale
        rss_exp = math.log(f1["rss"] / f0["rss"]) / scale
        verdict = "within" if time_exp <= TARGET_EXPONENT else "OVER"
        print(
            f"growth exponent {n0:,} -> {n1:,}: time {time_exp:.2f} ({verdict} target "
            f"{TARGET_EXPONENT}), floor time {floor_exp:.2f}, peak memory {rss_exp:.2f}"
        )


if __name__ == "__main__":
    main()
