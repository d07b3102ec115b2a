"""Exports: our contacts CSV and the referrals CSV (the iCalendar file: crm.interchange.ics).

Every export writes a temp file beside the target and renames it into place at
the end (``os.replace``): an error or a cancel leaves the target as it was.
Reads run in one transaction, so a file is a consistent snapshot.

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
from crm.interchange.csv_output import Progress as Progress
from crm.interchange.csv_output import atomic_output as atomic_output
from crm.interchange.csv_output import check_output as check_output
from crm.interchange.csv_output import full_name as full_name
from crm.interchange.csv_output import neutralise as neutralise
from crm.interchange.csv_output import tick as _tick
from crm.interchange.csv_output import unneutralise as unneutralise
from crm.interchange.csv_output import write_row as _write_row
from crm.interchange.csv_output import writer as _writer
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


def export_ids(ids: Sequence[int] | None) -> list[int]:
    """The contacts an export writes, as crm.interchange.vcard.export chooses them.

    By default every contact neither archived nor erased, by name; with ``ids``,
    those in that order (archived ones too), unknown ids refused. An erased
    person has nothing left to export and is always left out.
    """
    from crm.core import models

    c = models.Contact
    if ids is None:
        query = c.select(c.id).where((c.archived == False) & c.erased_at.is_null())  # noqa: E712
        return [r[0] for r in models.rows(query.order_by(c.family_name, c.given_name, c.id))]
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


_CONTACT_SQL = (
    "SELECT c.id, c.given_name, c.family_name, o.name, c.title, c.street, c.city, c.postcode, "
    "c.region, c.country, c.language, c.birthday, c.channel, c.stage, c.marketing_consent, "
    "c.consent_date, c.url, c.notes, c.stay_in_touch_days, c.last_asked_for_referral, "
    "c.created_at FROM contact c LEFT JOIN organization o ON o.id = c.organization_id "
)
_EMAIL_SQL = (
    "SELECT e.contact_id, e.address, e.label FROM email_address e "
    "JOIN contact c ON c.id = e.contact_id WHERE {where} ORDER BY e.contact_id, e.position, e.id"
)
_PHONE_SQL = (
    "SELECT p.contact_id, p.number, p.label FROM phone_number p "
    "JOIN contact c ON c.id = p.contact_id WHERE {where} ORDER BY p.contact_id, p.position, p.id"
)
_TAG_SQL = (
    "SELECT ct.contact_id, t.name FROM contact_tag ct JOIN tag t ON t.id = ct.tag_id "
    "JOIN contact c ON c.id = ct.contact_id WHERE {where} ORDER BY t.folded, t.name"
)


def _contact_rows(where: str, params: list[Any], order: str = "") -> Iterator[list[Any]]:
    """Rows of :data:`CSV_COLUMNS` for the contacts ``where`` selects (``c`` is contact).

    Plain SQL, four queries whatever the count: at 100,000 contacts building
    peewee queries and converting every value cost three times the work itself.
    """
    from crm.core import models

    db = models.database_proxy
    where = where.replace("?", db.param)
    labelled: list[dict[int, list[str]]] = []
    for sql in (_EMAIL_SQL, _PHONE_SQL):
        found: dict[int, list[str]] = {}
        for cid, value, label in db.execute_sql(sql.format(where=where), params):
            # join_labelled's items, built here as strings: one object less per value.
            item = f"{label}{LABEL_MARK}{value}" if label else value
            found.setdefault(cid, []).append(item)
        labelled.append(found)
    emails, phones = labelled
    tags: dict[int, list[str]] = {}
    for cid, name in db.execute_sql(_TAG_SQL.format(where=where), params):
        tags.setdefault(cid, []).append(name)
    none: list[Any] = []
    cursor = db.execute_sql(f"{_CONTACT_SQL} WHERE {where} {order}", params)
    for row in cursor:
        # row: id, names, organization, title (0-4), address to stage (5-13), consent,
        # consent date (14, 15), url, notes, cadence, last asked, created (16-20).
        cid = row[0]
        yield [
            *row[:5],
            SEPARATOR.join(emails.get(cid, none)),
            SEPARATOR.join(phones.get(cid, none)),
            *row[5:14],
            bool(row[14]),
            row[15],
            SEPARATOR.join(tags.get(cid, none)),
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
    from crm.core import models

    check_output(path)
    written = 0
    with read_snapshot(), atomic_output(path, "utf-8-sig") as handle:
        if ids is None:
            (total,) = models.database_proxy.execute_sql(
                "SELECT count(*) FROM contact c WHERE "
                + _IN_USE.replace("?", models.database_proxy.param),
                [False],
            ).fetchone()
            batches: Iterable[Iterable[list[Any]]] = [
                _contact_rows(_IN_USE, [False], "ORDER BY c.family_name, c.given_name, c.id")
            ]
        else:
            wanted = export_ids(ids)
            total = len(wanted)
            batches = (_in_order(chunk) for chunk in _chunks(wanted))
        writer = _writer(handle)
        writer.writerow(CSV_COLUMNS)
        _tick(progress, 0, total, N_("Export"))
        for batch in batches:
            for row in batch:
                _write_row(writer, row)
                written += 1
                if written % _PROGRESS_EVERY == 0:
                    _tick(progress, written, total, N_("Export"))
        _tick(progress, written, total, N_("Export"))
    return written


# Contacts an export writes by default: in use, and not erased.
_IN_USE = "c.archived = ? AND c.erased_at IS NULL"


def _in_order(chunk: Sequence[int]) -> list[list[Any]]:
    marks = ",".join("?" * len(chunk))
    by_id = {row[0]: row for row in _contact_rows(f"c.id IN ({marks})", list(chunk))}
    return [by_id[i] for i in chunk if i in by_id]
