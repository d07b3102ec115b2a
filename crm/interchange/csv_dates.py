"""Dates as CSV files write them, and which order a file's numeric dates are in.

:func:`parse_date` reads ``2024-03-12``, ``12/03/2024``, ``12 Mar 2024``,
``20240312`` and what Excel adds after them (a midnight time, Bulgarian "г.");
:func:`parse_birthday` also takes ``--MM-DD`` (no year). ``01/02/1980`` reads in
the order given (``DMY`` or ``MDY``) unless only the other order makes a date;
:class:`DateVotes` finds a file's order from its dates, else from its origin.
The CSV reader (crm.interchange.csvfile, crm.interchange.csv_rows) uses them.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from crm.core import clock

_MONTHS = {
    name: n
    for n, names in enumerate(
        (
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}  # fmt: skip
_ISO_RE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_COMPACT_RE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_NO_YEAR_RE = re.compile(r"--(\d{2})-?(\d{2})")
_NUMERIC_RE = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})")
_DAY_MONTH_RE = re.compile(r"(\d{1,2})[ \-]([A-Za-z]{3,9})\.?,?[ \-](\d{4})")
_MONTH_DAY_RE = re.compile(r"([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})")
# What Excel adds after a date: a midnight time, Bulgarian "г." (year).
_TRAILER_RE = re.compile(r"\s*(г\.?)?(\s+\d{1,2}:\d{2}(:\d{2})?(\s*[AaPp][Mm])?)?\s*$")


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        # A two-digit year is the most recent one that is not in the future.
        now = clock.today().year
        year += 2000 if 2000 + year <= now else 1900
    return year


def _numeric(first: int, second: int, year: int, order: str) -> dt.date:
    """``first/second/year`` read in ``order``, or the only order that makes a date."""
    day, month = (first, second) if order == "DMY" else (second, first)
    try:
        return dt.date(year, month, day)
    except ValueError:
        return dt.date(year, day, month)  # the other order; ValueError if neither


def _parse(text: str, order: str) -> dt.date | None:
    """A date in one of the forms files hold; None for an empty one (0/0/00)."""
    text = _TRAILER_RE.sub("", text.strip())
    if text.strip("0/.- ") == "":
        return None
    if m := _ISO_RE.fullmatch(text):
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    if m := _COMPACT_RE.fullmatch(text):
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    if m := _NUMERIC_RE.fullmatch(text):
        return _numeric(int(m[1]), int(m[2]), _year(m[3]), order)
    if m := _DAY_MONTH_RE.fullmatch(text):
        return dt.date(int(m[3]), _MONTHS[m[2].lower()], int(m[1]))
    if m := _MONTH_DAY_RE.fullmatch(text):
        return dt.date(int(m[3]), _MONTHS[m[1].lower()], int(m[2]))
    raise ValueError(text)


def parse_date(text: str, order: str = "DMY") -> dt.date | None:
    """A date as CSV files write it (``2024-03-12``, ``12/03/2024``, ``12 Mar 2024``).

    ``order`` (``DMY`` or ``MDY``) reads numeric dates whose day and month could
    be swapped; a ``ValueError`` says the text is not a date; ``None``: no date.
    """
    try:
        return _parse(text, order)
    except (KeyError, ValueError):
        raise ValueError(f"'{text}' is not a date") from None


def parse_birthday(text: str, order: str = "DMY") -> str:
    """A birthday cell as ``YYYY-MM-DD``, ``--MM-DD`` (no year) or "" (none)."""
    if m := _NO_YEAR_RE.fullmatch(text.strip()):
        dt.date(2000, int(m[1]), int(m[2]))  # 2000 is a leap year: 29 February is a day
        return f"--{m[1]}-{m[2]}"
    day = parse_date(text, order)
    return day.isoformat() if day else ""


@lru_cache(maxsize=65536)
def cached_birthday(text: str, order: str) -> str:
    return parse_birthday(text, order)


@lru_cache(maxsize=65536)
def cached_date(text: str, order: str) -> dt.date | None:
    return parse_date(text, order)


class DateVotes:
    """DMY or MDY: what a file's numeric dates say (a part above 12 is the day).

    Without a telling date, the file's origin decides: the Windows code pages of
    DMY countries (Greek, Cyrillic, Arabic) and ``;`` (Excel in a decimal-comma
    locale) mean DMY; a cp1252 file with commas most likely comes from Outlook in
    the US (MDY); anything else reads DMY, the order of our users' countries.
    """

    def __init__(self, columns: list[int]) -> None:
        self.columns = columns
        self.dmy = self.mdy = 0

    def add(self, cells: list[str]) -> None:
        for i in self.columns:
            cell = cells[i].strip() if i < len(cells) else ""
            if cell and (m := _NUMERIC_RE.fullmatch(_TRAILER_RE.sub("", cell))):
                first, second = int(m[1]), int(m[2])
                self.dmy += first > 12 >= second
                self.mdy += second > 12 >= first

    def order(self, encoding: str, delimiter: str) -> str:
        if self.dmy != self.mdy:
            return "DMY" if self.dmy > self.mdy else "MDY"
        if encoding in ("cp1252", "mac-roman") and delimiter == ",":
            return "MDY"
        return "DMY"
