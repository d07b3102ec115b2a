"""Writing an export: a CSV cell a spreadsheet will not run, a file renamed into place."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import os
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from crm.core.errors import CancelledError
from crm.core.files import output_file, write_private
from crm.i18n import Term

Progress = Callable[[int, int], "bool | None"]

# Cells a spreadsheet would take for a formula (OWASP), plus the quote we add.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")


def neutralise(text: str) -> str:
    """``text`` as a CSV cell a spreadsheet will not run as a formula."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def unneutralise(text: str) -> str:
    """The cell's text as it was before :func:`neutralise` (one leading ``'`` less)."""
    return text[1:] if text.startswith("'") else text


def check_output(path: str | os.PathLike[str]) -> Path:
    """The target file, refused before anything is read when it cannot be written."""
    return output_file(path)


def atomic_output(
    path: str | os.PathLike[str], encoding: str | None = "utf-8"
) -> contextlib.AbstractContextManager[IO[Any]]:
    """A private file written beside ``path`` and renamed onto it when the block succeeds.

    Text with ``newline=""`` (line ends are the writer's: the csv module writes
    CRLF), or binary when ``encoding`` is None. On any error, a cancel included,
    the temp file is removed and ``path`` is left as it was.
    """
    check_output(path)
    return write_private(path, encoding)


def tick(progress: Progress | None, done: int, total: int, what: str) -> None:
    if progress is not None and progress(done, total):
        raise CancelledError(code="csv_output.cancelled", what=Term(what))


def cell_text(value: Any) -> str:
    """A value as a cell: ISO dates, plain decimals, '' for none."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0).isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


def writer(handle: IO[str]) -> Any:
    return csv.writer(handle, dialect="excel", lineterminator="\r\n")


_FORMULA_CHARS = frozenset(_FORMULA_START)


def write_row(writer: Any, values: Iterable[Any]) -> None:
    cells = []
    for value in values:
        # neutralise() inlined: this runs for every cell of 100,000 rows.
        text = value if type(value) is str else cell_text(value)
        cells.append("'" + text if text[:1] in _FORMULA_CHARS else text)
    writer.writerow(cells)


def full_name(given: str | None, family: str | None) -> str:
    """A person's name as the exports write it: given and family name, either may be empty."""
    return " ".join(p for p in (given, family) if p)
