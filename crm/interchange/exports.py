"""Exports: our contacts CSV and the referrals CSV (the iCalendar file: crm.interchange.ics).

Every export writes a temp file beside the target and renames it into place at
the end (``os.replace``): an error or a cancel leaves the target as it was.
Reads run in one transaction, so a file is a consistent snapshot. Contacts are
streamed (crm.interchange.export_rows: one ordered cursor per table merged in one
pass), so memory stays flat however many there are.

**Our contacts CSV** (:func:`export_csv`) is also an import shape:
crm.interchange.csvfile recognises it by its exact header (:data:`CSV_COLUMNS`)
and reads a row back with :func:`incoming_from_row` (or the helpers it uses).
The format, for anyone reading it back:

- UTF-8 with a BOM (so Excel shows Greek, Cyrillic, Arabic and accents), comma
  separated, CRLF line ends, a header row, one row per contact. Cells with a
  comma, quote or line break are quoted, quotes doubled (the csv module's
  "excel" dialect); notes keep their line breaks inside the quotes.
- ``emails`` and ``phones``: every address or number in order (the first is the
  contact's main one) joined with `` ::: `` as Google Contacts joins values.
  Each item is ``label: value`` when it has a label, else the bare value; the
  value is what follows the *last* ``": "`` (addresses and E.164 numbers never
  hold one, a label may). Phones are written E.164 (``+302101234567``).
- ``tags``: tag names joined with `` ::: ``.
- ``marketing_consent``: ``yes`` or ``no``. ``birthday``: ``1980-07-01``, or
  ``--07-01`` without the year. Other dates ISO: ``consent_date`` and
  ``last_asked_for_referral`` ``YYYY-MM-DD``; ``created_at`` ``YYYY-MM-DD HH:MM:SS``
  (a space, not a ``T``: Excel reads it as a date and time).
- Formula neutralisation (OWASP "CSV injection"): a cell starting with
  ``=`` ``+`` ``-`` ``@`` tab or CR gets one leading ``'`` so a spreadsheet shows it
  as text instead of running it; so does a cell that starts with ``'`` itself,
  which makes the rule reversible. Reading our file back, :func:`unneutralise`
  removes exactly one leading ``'`` from every cell that has one: ``'+302101234567``
  reads ``+302101234567``, ``'--07-01`` reads ``--07-01``, ``''quoted`` reads ``'quoted``.
- Not representable: a label or tag containing ``:::`` (it would split there).
- Reading it back is crm.interchange.csvfile's job (it knows the file by its
  exact header): ``language``, ``channel``, ``stage`` and consent come back with
  the contact; ``id``, the cadence and the other dates are for the user's
  spreadsheet and an import reads past them.

By default an export holds every contact neither archived nor erased, by name
(as crm.interchange.vcard.export chooses them); exports never write to the
database (they do not run the follow-up date rules either).

**The referrals CSV** (:func:`export_referrals_csv`, in crm.interchange.referrals_csv):
same encoding, quoting and neutralisation; the columns are :data:`REFERRAL_COLUMNS`,
people and events by name and id, values as plain decimals (``1500.00``), dates ISO.

Writing files and cells (:func:`atomic_output`, :func:`check_output`, :func:`neutralise`)
lives in crm.interchange.csv_output and serves crm.interchange.ics too.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from crm.core.db import read_snapshot
from crm.core.errors import NotFoundError
from crm.i18n import N_
from crm.interchange import export_rows
from crm.interchange.csv_output import Progress as Progress
from crm.interchange.csv_output import atomic_output as atomic_output
from crm.interchange.csv_output import check_output as check_output
from crm.interchange.csv_output import full_name as full_name
from crm.interchange.csv_output import neutralise as neutralise
from crm.interchange.csv_output import tick as _tick
from crm.interchange.csv_output import unneutralise as unneutralise
from crm.interchange.csv_output import write_row as _write_row
from crm.interchange.csv_output import writer as _writer
from crm.interchange.export_rows import Record
from crm.interchange.records import Labelled
from crm.interchange.referrals_csv import REFERRAL_COLUMNS as REFERRAL_COLUMNS
from crm.interchange.referrals_csv import export_referrals_csv as export_referrals_csv

# -- the format of our contacts CSV -------------------------------------------

CSV_COLUMNS: tuple[str, ...] = (
    "id",
    "given_name",
    "family_name",
    "organization",
    "title",
    "emails",
    "phones",
    "street",
    "city",
    "postcode",
    "region",
    "country",
    "language",
    "birthday",
    "channel",
    "stage",
    "marketing_consent",
    "consent_date",
    "tags",
    "url",
    "notes",
    "stay_in_touch_days",
    "last_asked_for_referral",
    "created_at",
)

SEPARATOR = " ::: "
LABEL_MARK = ": "
_CHUNK = 500
_PROGRESS_EVERY = 1000


def join_labelled(items: Iterable[Labelled]) -> str:
    """Emails or phones as one cell: ``work: a@x.gr ::: b@y.com``."""
    return SEPARATOR.join(
        f"{item.label}{LABEL_MARK}{item.value}" if item.label else item.value for item in items
    )


# -- contacts CSV -----------------------------------------------------------------


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def export_ids(ids: Sequence[int]) -> list[int]:
    """The chosen contacts an export writes, as crm.interchange.vcard.export chooses them.

    Those of ``ids`` in that order (archived ones too), unknown ids refused. An
    erased person has nothing left to export and is always left out. (Without
    ids an export streams every contact in use: crm.interchange.export_rows.)
    """
    from crm.core import models

    c = models.Contact
    wanted = list(dict.fromkeys(int(i) for i in ids))
    alive: dict[int, bool] = {}
    for chunk in _chunks(wanted):
        query = c.select(c.id, c.erased_at.is_null()).where(c.id.in_(list(chunk)))
        alive.update({cid: bool(ok) for cid, ok in models.rows(query)})
    missing = [i for i in wanted if i not in alive]
    if missing:
        shown = ", ".join(str(i) for i in missing[:10])
        more = f" and {len(missing) - 10} more" if len(missing) > 10 else ""
        raise NotFoundError(code="exports.contact_not_found", shown=shown, more=more)
    return [i for i in wanted if alive[i]]


def _csv_rows(records: Iterable[Record]) -> Iterator[list[Any]]:
    """Rows of :data:`CSV_COLUMNS` from the merged cursors (crm.interchange.export_rows)."""
    sep, mark = SEPARATOR, LABEL_MARK
    for row, emails, phones, tags, _uids in records:
        # row: id, names, organization, title (0-4), address to stage (5-13), consent,
        # consent date (14, 15), url, notes, cadence, last asked, created (16-20).
        yield [
            *row[:5],
            # join_labelled's items, built here as strings: one object less per value.
            sep.join([f"{label}{mark}{value}" if label else value for _c, value, label in emails]),
            sep.join([f"{label}{mark}{value}" if label else value for _c, value, label in phones]),
            *row[5:14],
            bool(row[14]),
            row[15],
            sep.join([name for _c, name in tags]),
            *row[16:20],
            _timestamp(row[20]),
        ]


def _timestamp(value: Any) -> Any:
    """A stored date and time to the second (SQLite gives text, PostgreSQL datetimes)."""
    if isinstance(value, str):
        return value[:19].replace("T", " ")
    return value


def export_csv(
    path: str | os.PathLike[str],
    ids: Sequence[int] | None = None,
    progress: Progress | None = None,
) -> int:
    """Write contacts to our CSV (see the module docstring); returns how many.

    ``ids``: these contacts in this order; by default every contact neither
    archived nor erased, by name (see :func:`export_ids`). ``progress(done,
    total)`` returning True cancels (CancelledError) and leaves ``path`` as it was.
    """
    check_output(path)
    written = 0
    with read_snapshot(), atomic_output(path, "utf-8-sig") as handle:
        if ids is None:
            total = export_rows.count_in_use()
            records = export_rows.every_contact(export_rows.TAGS_FOLDED)
        else:
            wanted = export_ids(ids)
            total = len(wanted)
            records = export_rows.chosen(wanted, export_rows.TAGS_FOLDED)
        writer = _writer(handle)
        writer.writerow(CSV_COLUMNS)
        _tick(progress, 0, total, N_("Export"))
        for row in _csv_rows(records):
            _write_row(writer, row)
            written += 1
            if written % _PROGRESS_EVERY == 0:
                _tick(progress, written, total, N_("Export"))
        _tick(progress, written, total, N_("Export"))
    return written
