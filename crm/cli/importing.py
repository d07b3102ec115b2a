"""``crm import FILE``: contacts from a vCard or CSV file, with a report of every record."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
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
from crm.core.errors import ValidationError

if TYPE_CHECKING:
    from crm.interchange.importer import ImportReport, Source

_DONE = ("Imported", "updated", "skipped", "rejected")


def register(subparsers: Subparsers) -> None:
    p = add_command(
        subparsers,
        "import",
        cmd_import,
        "import contacts from vCard or CSV",
        example=(
            "crm import contacts.csv --encoding cp1253 --dry-run",
            'crm import people.csv --map "Handy=phone:mobile" --map "Memo=notes"',
            'crm import people.csv --preset "Shop till"',
        ),
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
        "--region",
        type=region_arg,
        metavar="XX",
        help="read numbers without a country code in this region (ISO code; "
        "default: the profile's phone region)",
    )
    p.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="COLUMN=FIELD",
        help="read a CSV column as this field (repeatable; FIELD 'ignore' leaves it out)",
    )
    p.add_argument(
        "--preset",
        metavar="NAME",
        help="read the CSV columns as a preset saved in the import wizard says",
    )
    p.add_argument(
        "--strict",
        action="store_true",
        help="refuse the whole import if any value does not validate (for scripts)",
    )


def _warn_of_a_close_call(path: Path) -> None:
    """Name the runner-up encoding of a short 8-bit file when the choice was close."""
    from crm.interchange import sniff

    if path.stat().st_size > sniff.SHORT_BYTES:  # long files are judged by their statistics
        return
    other = sniff.alternative(path.read_bytes())
    if other:
        print(
            f"warning: the encoding was a close call; if names look wrong, try --encoding {other}",
            file=sys.stderr,
        )


def region_arg(text: str) -> str:
    """An ISO region code for ``--region``, refused naming the value otherwise."""
    from crm.core import phones

    code = text.strip().upper()
    if not phones.is_region(code):
        raise argparse.ArgumentTypeError(f"'{text}' is not a two-letter ISO country code")
    return code


def cmd_import(args: argparse.Namespace) -> int:
    from crm.core import files
    from crm.interchange import csvfile, importer

    # The file first: one that cannot be read at all leaves the database untouched
    # (not even created); a pipe or a device is refused before it is read.
    path = files.input_file(args.file)
    if args.map or args.preset:
        source = _load_mapped(args, path)
    else:
        source = importer.load(path, args.format, args.encoding)
        open_store(args)
    if not args.encoding:
        _warn_of_a_close_call(source.path)
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
        region=args.region or "",
    )
    if show:
        print(file=sys.stderr)
    if args.json:
        unused = csvfile.unused_columns(source.layout) if source.layout else []
        print_json(report.to_json() | {"unused_columns": unused})
    else:
        _print_report(args, source, report)
    if report.refused:
        count = report.warning_count
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


def _load_mapped(args: argparse.Namespace, path: Path) -> Source:
    """The CSV file read with --preset, then --map, over the detected mapping.

    A bad --map is refused before the database is opened; --preset needs it.
    """
    from crm.interchange import csvfile, importer, vcard

    with path.open("rb") as f:
        head = f.read(4096)
    if args.format == "vcard" or (args.format == "auto" and vcard.looks_like_vcard(head)):
        raise ValidationError(code="cli.importing.map_preset_csv_files", field="map")
    layout = csvfile.inspect_file(path, args.encoding)
    csvfile.map_columns(layout, args.map)  # refused here, before the database
    open_store(args)
    if args.preset:
        layout = csvfile.apply_preset(layout, args.preset)
    layout = csvfile.map_columns(layout, args.map)
    return importer.load(path, "csv", args.encoding, layout)


def _print_report(args: argparse.Namespace, source: Source, report: ImportReport) -> None:
    from crm.interchange import csvfile

    kind = "vCard" if source.format == "vcard" else "CSV"
    encoding = f", {source.encoding}" if source.encoding else ""
    count = len(source.records)
    print(f"{source.path.name} ({kind}{encoding}): {count:,} record{'' if count == 1 else 's'}")
    verbs = ("Would import", "update", "skip", "reject") if args.dry_run else _DONE
    numbers = (report.imported, report.updated, report.skipped, report.rejected_count)
    print(
        f"{verbs[0]} {numbers[0]:,}, {verbs[1]} {numbers[1]:,}, "
        f"{verbs[2]} {numbers[2]:,} duplicates, {verbs[3]} {numbers[3]:,}"
    )
    unused = csvfile.unused_columns(source.layout) if source.layout else []
    if unused:
        print(f"Columns not used: {', '.join(unused)}")
    for line, reason in report.rejected:
        print(f"  line {line}: {reason}")
    _more(report.rejected_count - len(report.rejected))
    if report.warnings:
        n = report.warning_count
        print(f"{n:,} warning{'' if n == 1 else 's'} (imported with the value kept as typed):")
        for w in report.warnings:
            print(f"  line {w.line}: {w.field} {w.value!r}: {w.reason}")
        _more(n - len(report.warnings))
    if args.dry_run or report.refused:
        print("Dry run: nothing was changed." if args.dry_run else "Nothing was changed.")


def _more(count: int) -> None:
    """The messages a report left out of a long list (it keeps the first ones)."""
    if count > 0:
        print(f"  … and {count:,} more")
