"""CLI startup benchmark: ``crm --help`` against an empty Python and one that imports argparse.

Run as ``python tests/perf/bench_cli_startup.py [--runs 21]`` (not collected by pytest).
Each command is started as a new process ``--runs`` times (after one warm-up each), the
commands taking turns so that a busy machine slows them alike; for each it prints the
median wall time and the median CPU time (user + system of the child, from ``getrusage``),
beside the two floors measured in the same run:

- ``python -c pass``: the interpreter alone (with its ``site``);
- ``python -c "import argparse"``: the least any argparse command line costs.

and the ratios to them. The ``crm`` commands run as ``python -m crm`` from this checkout,
in English (``LANG=C``) and in Greek (``LANG=el_GR.UTF-8``: the catalog is loaded), and
their output is checked, so a command that fails is not timed as a fast one. Every
process runs with its bytecode compiled, as an installed ``crm`` does (``pip`` compiles it):
the warm-up round writes it to a temporary ``PYTHONPYCACHEPREFIX``.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

FLOORS = {
    "python -c pass": ["-c", "pass"],
    "python -c 'import argparse'": ["-c", "import argparse"],
}
COMMANDS = {
    "crm --help": (["-m", "crm", "--help"], "C", "usage: crm"),
    "crm --help (el)": (["-m", "crm", "--help"], "el_GR.UTF-8", "usage: crm"),
    "crm contacts list --help": (["-m", "crm", "contacts", "list", "--help"], "C", "usage: crm"),
    "crm --version": (["-m", "crm", "--version"], "C", "crm "),
}


def run_once(args: list[str], lang: str, expect: str, cache: str) -> tuple[float, float]:
    """(wall, CPU) seconds of one child process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LANG": lang, "LC_ALL": lang}
    env.pop("LANGUAGE", None)
    # As installed: modules compiled once (by the warm-up, into a cache of this run's own).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = cache
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True)
    wall = time.perf_counter() - start
    # The child has been reaped: its CPU time is now in the children's total.
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert done.returncode == 0, (args, done.returncode, done.stderr.decode(errors="replace"))
    assert expect in done.stdout.decode(errors="replace"), (args, done.stdout[:200])
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()

    jobs = {name: (argv, "C", "") for name, argv in FLOORS.items()}
    jobs.update(COMMANDS)
    walls: dict[str, list[float]] = {name: [] for name in jobs}
    cpus: dict[str, list[float]] = {name: [] for name in jobs}
    with tempfile.TemporaryDirectory() as cache:
        for run in range(args.runs + 1):  # the first round is a warm-up
            for name, (argv, lang, expect) in jobs.items():
                wall, cpu = run_once(argv, lang, expect, cache)
                if run:
                    walls[name].append(wall)
                    cpus[name].append(cpu)
    wall = {name: statistics.median(v) for name, v in walls.items()}
    cpu = {name: statistics.median(v) for name, v in cpus.items()}
    bare, argp = FLOORS
    print(f"median of {args.runs} runs each; ratios to the two floors (wall / CPU)")
    head = f"{'':<30}{'wall ms':>9}{'CPU ms':>8}{'÷ pass':>13}{'÷ argparse':>13}"
    print(head)
    for name in jobs:
        ratios = ""
        if name not in FLOORS:
            ratios = (
                f"{wall[name] / wall[bare]:>6.2f}/{cpu[name] / cpu[bare]:<6.2f}"
                f"{wall[name] / wall[argp]:>6.2f}/{cpu[name] / cpu[argp]:<6.2f}"
            )
        print(f"{name:<30}{1000 * wall[name]:>9.1f}{1000 * cpu[name]:>8.1f} {ratios}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
