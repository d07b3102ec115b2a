"""What every subcommand shares: the parser class, argument types, JSON output, the store."""

from __future__ import annotations

import argparse
import codecs
import os
import sys
import unicodedata
from collections.abc import Callable

from crm.core.errors import ValidationError
from crm.i18n import Term

# typing.TYPE_CHECKING without importing typing (``crm --help`` does not load it).
TYPE_CHECKING = False

if TYPE_CHECKING:  # not imported at run time: ``crm --help`` loads neither typing nor datetime
    import datetime as dt
    from typing import Any, NoReturn, TypeAlias

EXIT_OK, EXIT_UNEXPECTED, EXIT_REFUSED = 0, 1, 2


class UsageError(Exception):
    """The command line itself was wrong (argparse's complaint, reworded)."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}")

    def _get_formatter(self) -> argparse.HelpFormatter:
        # argparse asks shutil for the width each time, and importing shutil (with bz2 and
        # lzma) costs more than the rest of ``crm --help``: the same width, asked directly.
        return self.formatter_class(prog=self.prog, width=help_width())  # type: ignore[call-arg]


def help_width() -> int:
    """The width of help text: as ``shutil.get_terminal_size`` finds it, less 2, as argparse."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return (columns or 80) - 2


# What a subcommand runs, and the ``add_subparsers`` object each module registers into.
Handler: TypeAlias = Callable[[argparse.Namespace], int]
Subparsers: TypeAlias = "argparse._SubParsersAction[Parser]"


def _epilog(example: str | tuple[str, ...]) -> str:
    lines = (example,) if isinstance(example, str) else example
    return "example:\n" + "\n".join(f"  {line}" for line in lines)


def add_command(
    subparsers: Subparsers,
    name: str,
    handler: Handler,
    help: str,
    *,
    example: str | tuple[str, ...],
    json_flag: bool = True,
) -> Parser:
    """A subcommand (or action) that runs ``handler``; its ``--help`` ends with ``example``.

    Every command takes ``--json``; ``json_flag=False`` marks one that prints JSON anyway.
    """
    parser = subparsers.add_parser(
        name,
        help=help,
        description=help,
        epilog=_epilog(example),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    # "contacts list" for ``crm contacts list``: whether it may create or write a database.
    parser.set_defaults(handler=handler, command_name=parser.prog.split(" ", 1)[-1])
    parser.add_argument(
        "--json",
        action="store_true",
        help="print one JSON document" if json_flag else "accepted: this prints JSON anyway",
    )
    return parser


def add_group(
    subparsers: Subparsers, name: str, help: str, dest: str, *, example: str | tuple[str, ...]
) -> Subparsers:
    """A subcommand made of actions, such as ``crm contacts add``; its actions' subparsers."""
    group = subparsers.add_parser(
        name,
        help=help,
        description=help,
        epilog=_epilog(example),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    return group.add_subparsers(dest=dest, metavar="ACTION", required=True, parser_class=Parser)


def add_consent_override(parser: Parser) -> None:
    """The ``--without-consent`` flag of a command that prints or issues to people."""
    parser.add_argument(
        "--without-consent",
        action="store_true",
        help="also for people who have not agreed to marketing (overrides the consent check "
        "for this document only)",
    )


def without_consent(args: argparse.Namespace) -> bool:
    """Whether ``--without-consent`` was given (commands without the flag: no)."""
    return bool(getattr(args, "without_consent", False))


def date_arg(text: str) -> dt.date:
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD)") from None


def period_end(text: str) -> dt.date:
    """The last day of a period (``--to``): a date before 9999-12-31, the day after it counts."""
    import datetime as dt

    day = date_arg(text)
    if day == dt.date.max:
        raise argparse.ArgumentTypeError(
            f"'{text}' is the last day a date can have; leave --to out to count to the end"
        )
    return day


# SQLite and PostgreSQL integers are 64-bit: a larger id or count cannot name anything.
_BIGGEST = 2**63 - 1


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} must be 1 or more")
    if value > _BIGGEST:
        raise argparse.ArgumentTypeError(f"{value} is too large (at most {_BIGGEST})")
    return value


def id_arg(text: str) -> int:
    """A record's id: a whole number from 1 to 2**63 - 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not an id (a whole number)") from None
    if not 1 <= value <= _BIGGEST:
        raise argparse.ArgumentTypeError(f"{value} is not an id (1 to {_BIGGEST})")
    return value


def encoding_arg(text: str) -> str:
    """A text encoding Python knows, such as utf-8 or cp1253 (not rot13 or base64)."""
    try:
        codecs.lookup(text)
        "".encode(text)  # LookupError for codecs that are not text encodings
    except LookupError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a text encoding (such as utf-8, cp1253, iso-8859-7, cp1251)"
        ) from None
    return text


def one_line(text: str) -> str:
    """``text`` with newlines, control characters and stray surrogates escaped, for stderr."""
    out = []
    for ch in text:
        if unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp"):
            out.append(ch.encode("unicode_escape", "backslashreplace").decode("ascii"))
        else:
            out.append(ch)
    return "".join(out)


def confirm(question: str) -> bool:
    """Ask on a terminal (the question on stderr, so stdout stays clean); False off one."""
    if not sys.stdin.isatty():
        return False
    print(f"{question} [y/N] ", end="", file=sys.stderr, flush=True)
    return sys.stdin.readline().strip().casefold() in ("y", "yes")


def confirm_merge(args: argparse.Namespace, command: str, question: str) -> None:
    """Go on with ``crm COMMAND KEEP OTHER`` when --yes was given or the user says yes."""
    if args.yes or confirm(question):
        return
    if sys.stdin.isatty():
        raise ValidationError(code="cli.common.merged_you_did_answer")
    raise ValidationError(
        code="cli.common.asks_before_merges_cannot",
        command=command,
        args_keep=args.keep,
        args_other=args.other,
    )


def print_json(data: Any) -> None:
    """``data`` as indented JSON (``json.dumps(..., indent=2)``'s text, faster on long lists)."""
    from crm.cli import json_text

    print(json_text.dumps(data))


# The commands that only read the database: they never create one, and are not
# stopped by a damaged file (``check`` lists what is wrong). Every other command
# may write: it creates a new database (in an existing folder) and refuses a
# file that fails SQLite's quick check.
READERS = frozenset(
    {
        "backup",
        "campaigns list",
        "campaigns show",
        "chain",
        "check",
        "contacts history",
        "contacts list",
        "contacts show",
        "duplicates",
        "events list",
        "events show",
        "export",
        "envelopes",
        "followups",
        "labels",
        "organizations list",
        "organizations show",
        "privacy export",
        "quality",
        "referrals list",
        "referrals show",
        "rewards list",
        "rewards roi",
        "screenshot",
        "settings get",
        "settings list",
        "stats",
        "templates list",
        "templates show",
        "vouchers list",
    }
)

_OPEN_STORES: list[Any] = []


def writes(args: argparse.Namespace) -> bool:
    """Whether the command being run may change the database."""
    return getattr(args, "command_name", "") not in READERS


def open_store(args: argparse.Namespace) -> Any:
    """Open the database named by ``--db`` once per command.

    A reader refuses a ``--db`` file that does not exist; a writer creates it,
    but only in a folder that exists, and says so on stderr. The default
    database in the data folder is created on first use by either.
    """
    if not _OPEN_STORES:
        from crm.core import db

        writer = writes(args)
        where = db.parse_target(args.db)
        fresh = where.path is not None and not where.path.exists()
        if fresh and args.db and writer:
            assert where.path is not None
            if not where.path.parent.is_dir():
                raise UsageError(
                    f"there is no folder '{where.path.parent}' for the new database "
                    f"'{where.path}': check the --db path"
                )
        store = db.open_database(args.db, create=writer or not args.db)
        _OPEN_STORES.append(store)
        if fresh and args.db:
            print(f"crm: created a new database at {where.path}", file=sys.stderr)
        elif writer and store.is_sqlite:
            _refuse_damaged(store)
    return _OPEN_STORES[0]


def _refuse_damaged(store: Any) -> None:
    """Refuse to write to a file that fails SQLite's quick check."""
    from crm.core import db_problems
    from crm.core.errors import DatabaseError

    try:
        rows = store.db.execute_sql("PRAGMA quick_check").fetchall()
        damage = [str(r[0]) for r in rows if r[0] != "ok"]
    except Exception as exc:
        if db_problems.kind(exc) not in ("corrupt", "notadb"):
            raise
        damage = [str(exc)]
    if damage:
        raise DatabaseError(
            code="cli.common.database_damaged",
            describe=store.target.describe(),
            damage=damage[0],
            hint=Term(db_problems.RESTORE_HINT),
        )


def database_refusal(exc: BaseException) -> str | None:
    """What a failure of the open database means (busy, read-only, full, damaged), or None."""
    from crm.core import db_problems

    if not _OPEN_STORES or not db_problems.from_database(exc):
        return None
    problem = db_problems.explain(exc, _OPEN_STORES[0].target.describe())
    return None if problem is None else problem.message


def close_store() -> None:
    while _OPEN_STORES:
        _OPEN_STORES.pop().close()


# What every save of a shared record rewrites: not "a change" worth naming.
BOOKKEEPING = ("version", "changed_by", "changed_at")


def add_if_version(parser: Parser, what: str) -> None:
    """``--if-version N``: save only if the record is still as it was read (its ``version``)."""
    parser.add_argument(
        "--if-version",
        type=positive_int,
        metavar="N",
        help=f"save only if the {what} is still at version N (the version its --json showed); "
        "refused, naming who changed it and when, if a colleague saved it since",
    )


def report_edit(
    args: argparse.Namespace,
    before: dict[str, Any],
    after: dict[str, Any],
    label: str,
    *,
    verb: str = "",
    ignore: tuple[str, ...] = (),
) -> int:
    """Print an edited record: as JSON, or one line naming the fields that changed."""
    ignore = (*ignore, *BOOKKEEPING)
    if args.json:
        print_json(after)
        return EXIT_OK
    changed = [k for k in after if k not in ignore and after[k] != before.get(k)]
    what = verb or (f"changed {', '.join(changed)}" if changed else "nothing changed")
    print(f"{label}: {what}")
    return EXIT_OK
