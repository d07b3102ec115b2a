"""``crm backup FILE``, ``crm restore FILE --yes`` and ``crm check``: the database itself."""

from __future__ import annotations

import argparse
import sys

from crm.cli.common import (
    EXIT_OK,
    EXIT_REFUSED,
    Subparsers,
    add_command,
    open_store,
    print_json,
)
from crm.core.errors import DatabaseError, ValidationError


def register(subparsers: Subparsers) -> None:
    p = add_command(
        subparsers,
        "backup",
        cmd_backup,
        "copy the database safely to FILE",
        example="crm backup ~/crm-2026-12-06.sqlite3",
    )
    p.add_argument("file", metavar="FILE")
    p = add_command(
        subparsers,
        "restore",
        cmd_restore,
        "replace the database with a backup",
        example="crm restore ~/crm-2026-12-06.sqlite3 --yes",
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("--yes", action="store_true", help="confirm replacing the database")
    p = add_command(
        subparsers,
        "copy",
        cmd_copy,
        "copy a whole database into a new, empty one (SQLite file or PostgreSQL, either way)",
        example=(
            "crm copy --from crm.sqlite3 --to postgresql://me@server/team",
            "crm copy --from postgresql://me@server/team --to laptop.sqlite3",
        ),
    )
    p.add_argument(
        "--from",
        dest="source",
        metavar="PATH_OR_URL",
        help="the database to copy (default: --db)",
    )
    p.add_argument(
        "--to",
        dest="target",
        metavar="PATH_OR_URL",
        required=True,
        help="the new database: a file or URL that is new or holds no data",
    )
    add_command(
        subparsers, "check", cmd_check, "check the database's integrity", example="crm check --json"
    )


def cmd_backup(args: argparse.Namespace) -> int:
    from crm.core import backups

    path = backups.backup(open_store(args), args.file)
    if args.json:
        print_json({"backup": str(path)})
    else:
        print(f"Backed up to {path}")
    return EXIT_OK


def cmd_copy(args: argparse.Namespace) -> int:
    from crm.core import copying

    source = args.source if args.source is not None else args.db
    report = copying.copy_database(source, args.target)
    if args.json:
        print_json(report.to_dict())
        return EXIT_OK
    width = max(len(t) for t in report.tables)
    for table, (_in_source, copied) in report.tables.items():
        print(f"{table:<{width}}  {copied:>9,}")
    total = sum(copied for _s, copied in report.tables.values())
    print(f"Copied {total:,} rows from {report.source} to {report.target}; every count checked.")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from crm.core import backups

    if not args.yes:
        raise ValidationError(code="cli.database.restore_replaces_everything_database")
    store = open_store(args)
    backups.inspect_backup(args.file)
    safety = backups.restore(store, args.file)
    if args.json:
        print_json({"restored": str(args.file), "previous_content_saved_to": str(safety)})
    else:
        print(f"Restored {args.file}. The previous content was saved to {safety}")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from crm.core import db, db_problems, migrations

    try:
        store = open_store(args)
    except DatabaseError as exc:
        # A file that does not open as a database (damaged, not SQLite, read-only
        # and never opened): list what is wrong with it instead.
        path = db.parse_target(args.db).path
        if path is None or not path.is_file():
            raise
        problems = db_problems.check_file(path) or [exc.message]
        return _report(args, problems, str(path), None)
    problems = db.check(store)
    version = migrations.schema_version(store.db)
    return _report(args, problems, store.target.describe(), version)


def _report(args: argparse.Namespace, problems: list[str], where: str, version: int | None) -> int:
    """Print what check found; exit 2 with one ``error:`` line when there is a problem."""
    from crm.core import db_problems

    if args.json:
        print_json(
            {"ok": not problems, "problems": problems, "database": where, "schema_version": version}
        )
    elif problems:
        for line in problems:
            print(line)
    else:
        print(f"ok: {where} (schema version {version})")
    if not problems:
        return EXIT_OK
    count = f"{len(problems)} problem{'' if len(problems) == 1 else 's'}"
    print(f"error: {where} failed its check ({count}); {db_problems.RESTORE_HINT}", file=sys.stderr)
    return EXIT_REFUSED
