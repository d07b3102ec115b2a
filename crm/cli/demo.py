"""``crm demo``: fill the database with realistic multilingual demo data."""

from __future__ import annotations

import argparse
import sys

from crm.cli.common import EXIT_OK, Subparsers, add_command, open_store, positive_int, print_json


def register(subparsers: Subparsers) -> None:
    p = add_command(
        subparsers,
        "demo",
        cmd_demo,
        "fill the database with multilingual demo data",
        example="crm --db demo.sqlite3 demo --contacts 5000 --seed 7",
    )
    p.add_argument("--contacts", type=positive_int, default=2000, metavar="N")
    p.add_argument("--seed", type=int, default=1, metavar="S")


def cmd_demo(args: argparse.Namespace) -> int:
    from crm import demo

    def progress(done: int, total: int) -> None:
        if not args.json and sys.stderr.isatty():
            print(f"\r{done:,}/{total:,} contacts", end="", file=sys.stderr, flush=True)

    summary = demo.generate(
        open_store(args), contacts=args.contacts, seed=args.seed, progress=progress
    )
    if not args.json and sys.stderr.isatty():
        print(file=sys.stderr)
    if args.json:
        print_json(summary)
    else:
        for key, value in summary.items():
            print(f"{key:>26}: {value}")
    return EXIT_OK
