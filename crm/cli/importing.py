"""``crm import FILE``: contacts from a vCard or CSV file, with a report of every record."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from crm.cli.common import (
    EXIT_OK,
    EXIT_REFUSED,
    Subparsers,
    add_command,
    encoding_arg,
    open_store,
    print_json,
)

if TYPE_CHECKING:
    from crm.interchange.importer import ImportReport, Source

_DONE = ("Imported", "updated", "skipped", "rejected")


def register(subparsers: Subparsers) -> None:
    p = add_command(
        subparsers,
        "import",
        cmd_import,
        "import contacts from vCard or CSV",
        example="crm import contacts.csv --encoding cp1253 --dry-run",
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("--format", choices=("auto", "vcard", "csv"), default="auto")
    p.add_argument(
        "--encoding",
        type=encoding_arg,
        metavar="E",
        help="the file's encoding (default: detected)",
    )
    p.add_argument(
        "--dry-run", action="store_true", help="report what would happen, change nothing"
    )
    p.add_argument(
        "--strict",
        action="store_true",
        help="refuse the whole import if any value does not validate (for scripts)",
    )


def cmd_import(args: argparse.Namespace) -> int:
    from crm.core import files
    from crm.interchange import importer

    # The file first: one that cannot be read at all leaves the database untouched
    # (not even created); a pipe or a device is refused before it is read.
    source = importer.load(files.input_file(args.file), args.format, args.encoding)
    if not args.encoding:  # a short 8-bit file whose encoding was a close call
        from crm.interchange import sniff

        other = sniff.alternative(source.path.read_bytes())
        if other:
            print(
                f"warning: the encoding was a close call; if names look wrong, "
                f"try --encoding {other}",
                file=sys.stderr,
            )
    open_store(args)
    show = not args.json and sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        if show:
            print(f"\r{done:,}/{total:,}", end="", file=sys.stderr, flush=True)

    report = importer.run(
        source.records,
        dry_run=args.dry_run,
        progress=progress,
        source=source.path.name,
        strict=args.strict,
    )
    if show:
        print(file=sys.stderr)
    if args.json:
        print_json(report.to_json())
    else:
        _print_report(args, source, report)
    if report.refused:
        count = len(report.warnings)
        print(
            f"error: refused (--strict): {count:,} value{'' if count == 1 else 's'} "
            "did not validate; nothing was changed",
            file=sys.stderr,
        )
        return EXIT_REFUSED
    if not report.contacts:
        print(f"error: no contact could be imported from {source.path.name}", file=sys.stderr)
        return EXIT_REFUSED
    return EXIT_OK


def _print_report(args: argparse.Namespace, source: Source, report: ImportReport) -> None:
    kind = "vCard" if source.format == "vcard" else "CSV"
    encoding = f", {source.encoding}" if source.encoding else ""
    count = len(source.records)
    print(f"{source.path.name} ({kind}{encoding}): {count:,} record{'' if count == 1 else 's'}")
    verbs = ("Would import", "update", "skip", "reject") if args.dry_run else _DONE
    numbers = (report.imported, report.updated, report.skipped, len(report.rejected))
    print(
        f"{verbs[0]} {numbers[0]:,}, {verbs[1]} {numbers[1]:,}, "
        f"{verbs[2]} {numbers[2]:,} duplicates, {verbs[3]} {numbers[3]:,}"
    )
    for line, reason in report.rejected:
        print(f"  line {line}: {reason}")
    if report.warnings:
        n = len(report.warnings)
        print(f"{n:,} warning{'' if n == 1 else 's'} (imported with the value kept as typed):")
        for w in report.warnings:
            print(f"  line {w.line}: {w.field} {w.value!r}: {w.reason}")
    if args.dry_run or report.refused:
        print("Dry run: nothing was changed." if args.dry_run else "Nothing was changed.")
