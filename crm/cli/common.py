"""What every subcommand shares: the parser class, argument types, JSON output, the store."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from typing import Any, NoReturn

EXIT_OK, EXIT_UNEXPECTED, EXIT_REFUSED = 0, 1, 2


class UsageError(Exception):
    """The command line itself was wrong (argparse's complaint, reworded)."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}")


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
