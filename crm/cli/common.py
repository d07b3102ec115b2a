"""What every subcommand shares: the parser class, argument types, JSON output, the store."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections.abc import Callable
from typing import Any, NoReturn, TypeAlias

EXIT_OK, EXIT_UNEXPECTED, EXIT_REFUSED = 0, 1, 2


class UsageError(Exception):
    """The command line itself was wrong (argparse's complaint, reworded)."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}")


# What a subcommand runs, and the ``add_subparsers`` object each module registers into.
Handler: TypeAlias = Callable[[argparse.Namespace], int]
Subparsers: TypeAlias = "argparse._SubParsersAction[Parser]"


def add_command(
    subparsers: Subparsers, name: str, handler: Handler, help: str, *, json_flag: bool = True
) -> Parser:
    """A subcommand (or action) that runs ``handler``, with ``--json`` unless told otherwise."""
    parser = subparsers.add_parser(name, help=help, description=help)
    parser.set_defaults(handler=handler)
    if json_flag:
        parser.add_argument("--json", action="store_true", help="print one JSON document")
    return parser


def add_group(subparsers: Subparsers, name: str, help: str, dest: str) -> Subparsers:
    """A subcommand made of actions, such as ``crm contacts add``; its actions' subparsers."""
    group = subparsers.add_parser(name, help=help)
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
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD)") from None


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} must be 1 or more")
    return value


def print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


_OPEN_STORES: list[Any] = []


def open_store(args: argparse.Namespace) -> Any:
    """Open the database named by ``--db`` once per command."""
    if not _OPEN_STORES:
        from crm.core import db

        _OPEN_STORES.append(db.open_database(args.db))
    return _OPEN_STORES[0]


def close_store() -> None:
    while _OPEN_STORES:
        _OPEN_STORES.pop().close()
