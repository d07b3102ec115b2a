"""The import engine: check what the readers found, match it, and write it in one go.

:func:`load` reads a file with the vCard or CSV reader; :func:`plan` says what
would happen to every record and writes nothing; :func:`run` does it in one
transaction (with ``dry_run``, it only plans). The steps have modules of their
own: crm.interchange.cleaning checks each record, crm.interchange.matching
decides where it goes, crm.interchange.writing writes it all; this module reads
the file, runs them, reports progress and returns what happened.

**Matching** (crm.interchange.matching), in this order:

1. a UID (or CSV id) another program gave, which an earlier import remembered
   for the contact (table ``contact_uid``); the UID our own export derives from
   the id, with the same folded name;
2. an email address, compared case-folded;
3. a phone number, compared as E.164, only when it identifies one person: not a
   fax, not held by several stored contacts or given by several records of the
   file, and never between a company card and a person;
4. a name, only against a stored contact the record agrees with and adds
   nothing to (so importing a file twice adds nobody). A name alone never joins
   two records of one file: namesakes stay two contacts, and the duplicates
   review can still pair them.

When two stored contacts share a key, the older one is matched. Erased
contacts are never matched.

**A match never overwrites.** It adds the emails, phones and tags the contact
lacks (after the ones it has; ``Contact.email``/``phone`` stay the first) and
fills empty fields; notes it has keep their text and gain, after it, the lines
of the record's notes they lack (its unverified values too). The name and the
postal address are filled as groups: an empty part is filled only when the
parts the contact has agree with the file (folded), so an address is never half
one place and half another. An email or
phone that belongs to another contact is not moved over. A record with nothing
to add is a skipped duplicate: importing a file twice adds nobody.

**A record is never rejected for one bad field.** A value that does not
validate is kept in the contact's notes as typed ("Unverified phone: 555-1234
(work)", "Birthday: 23 février 1951") or, when it holds nothing (a phone with
no digit, an unknown stage), left out; each is a warning with its line. An
email wrapped in a display name or brackets is unwrapped; Apple's year-less
birthday ``1604-MM-DD`` is a birthday without a year. A record is rejected,
with its line, only when its reader could not read it, or when it has no
name, organization, valid email or valid phone. With ``strict``, any warning
refuses the whole import and nothing is written. A number written without its
country code is read in the record's country, else in the country of another
number of the record that has its code, else in the profile's region. A record
with no name is kept under its organization, else its email address or phone
number, as Google and Apple show such cards.

**New contacts** get the channel "other" ("social" for LinkedIn connections),
the stage "prospect", no marketing consent, and a letter language from the
name's script (Greek, Cyrillic, Arabic), else the country, else the profile's
language; our own export's language, channel, stage and consent are kept
instead. A country name or code in en/el/bg/it/ar becomes its ISO code; an
unknown one is kept at the end of the region, where an address line prints it.
The history gets "Imported from FILE" (kind ``created``; ``updated`` with what
was added for a matched contact) and, for a LinkedIn ``Connected On``, a note
"Connected on LinkedIn" dated that day.

**All or nothing**: one transaction, begun IMMEDIATE; a cancel from the
progress callback or any error rolls everything back.

**Speed**: each lookup table is read once into dictionaries; common-shaped
emails and ``+``-prefixed phones take a fast path that gives exactly what
email-validator and phonenumbers give (tests compare them); rows go in with
``executemany`` on the raw SQLite connection, search-index rows included; the
cyclic garbage collector pauses while the records are in memory.
"""

from __future__ import annotations

import codecs
import contextlib
import gc
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crm.core import models
from crm.core.db import is_postgres
from crm.core.errors import CancelledError, ValidationError
from crm.interchange.cleaning import Clean, clean, record_name
from crm.interchange.matching import Matcher, RowOutcome, Target
from crm.interchange.records import FieldWarning, Incoming
from crm.interchange.values import Checker, Countries, file_region
from crm.interchange.writing import Writer

if TYPE_CHECKING:
    from crm.interchange.csvfile import CsvLayout

Progress = Callable[[int, int], bool | None] | None

_TICK = 1000  # records between progress calls


# -- what the engine returns ----------------------------------------------------------


@dataclass(slots=True)
class ImportPlan:
    """Every record's outcome, in file order."""

    rows: list[RowOutcome]
    warnings: list[FieldWarning] = field(default_factory=list)  # of the records kept

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def rejected(self) -> list[tuple[int, str]]:
        return [(r.line, r.reason) for r in self.rows if r.action == "reject"]


@dataclass(slots=True)
class ImportReport:
    """What an import did: counts of records, each rejected one, and each warning.

    ``imported`` records made new contacts; ``updated`` ones added something to a
    contact (a stored one, or one made from an earlier record of the same file);
    ``skipped`` ones had nothing to add. ``refused``: a strict import found
    warnings and wrote nothing.
    """

    imported: int
    updated: int
    skipped: int
    rejected: list[tuple[int, str]]
    dry_run: bool = False
    rows: list[RowOutcome] = field(default_factory=list)
    new_ids: list[int] = field(default_factory=list)  # contacts created
    updated_ids: list[int] = field(default_factory=list)  # stored contacts changed
    warnings: list[FieldWarning] = field(default_factory=list)
    refused: bool = False

    @property
    def contacts(self) -> int:
        """How many records of the file found a contact (new, matched or duplicate)."""
        return self.imported + self.updated + self.skipped

    def to_json(self) -> dict[str, Any]:
        return {
            "imported": self.imported,
            "updated": self.updated,
            "skipped": self.skipped,
            "rejected": [{"line": line, "reason": reason} for line, reason in self.rejected],
            "warnings": [w.to_json() for w in self.warnings],
            "dry_run": self.dry_run,
            "refused": self.refused,
        }


@dataclass(slots=True)
class Source:
    """A file read by :func:`load`: its records, and how it was read."""

    path: Path
    format: str  # "vcard" or "csv"
    encoding: str
    layout: CsvLayout | None
    records: list[Incoming]


# -- reading a file -----------------------------------------------------------------


def load(
    path: str | Path,
    format: str = "auto",
    encoding: str | None = None,
    layout: CsvLayout | None = None,
    progress: Progress = None,
) -> Source:
    """Read a vCard or CSV file into records; a ValidationError says why it cannot.

    ``format`` "auto" looks at the content (a vCard starts with ``BEGIN:VCARD``);
    ``encoding`` overrides detection; ``layout`` (the CSV column mapping that
    :func:`crm.interchange.csvfile.inspect` detects and the user may edit) is
    used instead of detecting one. ``progress(done, total)`` hears about every
    few hundred vCards (reading them is the slow part: ~0.5 ms each); when it
    returns True the read stops with CancelledError.
    """
    from crm.interchange import csvfile, vcard

    where = Path(path)
    if format not in ("auto", "vcard", "csv"):
        raise ValidationError(code="importer.format_auto_vcard_csv", field="format", format=format)
    try:
        data = where.read_bytes()
    except FileNotFoundError:
        raise ValidationError(code="importer.cannot_read_there_such", where=where) from None
    except IsADirectoryError:
        raise ValidationError(code="importer.cannot_read_folder", where=where) from None
    except OSError as exc:
        raise ValidationError(
            code="importer.cannot_read", where=where, value=exc.strerror or exc
        ) from None
    if not data.strip():
        raise ValidationError(code="importer.empty_there_contacts", where_name=where.name)
    if format == "auto":
        format = "vcard" if vcard.looks_like_vcard(data) else "csv"
    if format == "vcard":
        with _bulk():
            records = _read_cards(vcard.read(data, encoding), data, progress)
        return Source(where, "vcard", encoding or _unicode_name(data), None, records)
    if layout is None:
        layout = csvfile.inspect(data, encoding)
    with _bulk():
        records = list(csvfile.read(data, layout))
    return Source(where, "csv", str(getattr(layout, "encoding", "")), layout, records)


def _read_cards(cards: Iterator[Incoming], data: bytes, progress: Progress) -> list[Incoming]:
    if progress is None:
        return list(cards)
    # How many cards to expect, counted cheaply (UTF-16 files spell it with NULs).
    total = max(1, data.upper().count(b"BEGIN:VCARD") or data.upper().count(b"B\0E\0G\0I\0N\0"))
    records: list[Incoming] = []
    for done, card in enumerate(cards, 1):
        records.append(card)
        if done % 200 == 0 and progress(min(done, total), total):
            raise CancelledError(code="importer.import_cancelled")
    progress(total, total)
    return records


def _unicode_name(data: bytes) -> str:
    """The Unicode encoding of a file, or "" (a vCard 2.1 declares a CHARSET per line)."""
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return name
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return ""
    return "utf-8"


# -- plan and run ---------------------------------------------------------------------


@contextlib.contextmanager
def _bulk() -> Iterator[None]:
    """No cyclic garbage collection while records and rows pile up by the hundred thousand.

    Each collection walks every live container, so with 100,000 records in
    memory they cost more than the import itself; nothing made here forms
    cycles, and collection resumes afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _Ticker:
    """Calls ``progress(done, total)``; a True answer cancels the import."""

    def __init__(self, progress: Progress, total: int) -> None:
        self.progress = progress
        self.total = max(total, 1)

    def __call__(self, done: int) -> None:
        if self.progress is not None and self.progress(min(done, self.total), self.total):
            raise CancelledError(code="importer.import_cancelled")


def _database() -> Any:
    return models.database_proxy


def _plan(
    db: Any, records: Sequence[Incoming], tick: _Ticker, region: str = ""
) -> tuple[ImportPlan, Matcher, list[Target | None]]:
    # The profile is read, never created: a plan writes nothing.
    profile = db.execute_sql("SELECT default_region, language FROM profile WHERE id = 1").fetchone()
    stored, language = (profile[0] or "", profile[1] or "en") if profile else ("", "en")
    region = region or stored
    countries = Countries()
    checker = Checker(region or file_region(records, countries))
    matcher = Matcher(db, language)
    n = len(records)
    cleaned: list[Clean | str] = []
    for done, rec in enumerate(records):
        if done % _TICK == 0:
            tick(done // 2)
        cleaned.append(clean(rec, checker, countries))
    matcher.prefetch(row for row in cleaned if isinstance(row, Clean))
    rows: list[RowOutcome] = []
    warnings: list[FieldWarning] = []
    targets: list[Target | None] = []  # each row's contact
    for done, (rec, row) in enumerate(zip(records, cleaned, strict=True)):
        if done % _TICK == 0:
            tick((n + done) // 2)
        if isinstance(row, str):
            rows.append(RowOutcome(rec.line, "reject", record_name(rec), row))
            targets.append(None)
        else:
            outcome, target = matcher.outcome(row)
            rows.append(outcome)
            targets.append(target)
            warnings.extend(row.warnings)
    return ImportPlan(rows, warnings), matcher, targets


def plan(records: Sequence[Incoming], progress: Progress = None, region: str = "") -> ImportPlan:
    """What importing ``records`` would do, record by record; writes nothing.

    ``region`` (an ISO code) reads local numbers instead of the profile's region.

    ``progress(done, total)`` is called now and then; when it returns True,
    :class:`CancelledError` is raised.
    """
    tick = _Ticker(progress, len(records))
    with _bulk():
        result, _matcher, _targets = _plan(_database(), records, tick, region)
    tick(len(records))
    return result


def run(
    records: Sequence[Incoming],
    dry_run: bool = False,
    progress: Progress = None,
    *,
    source: str = "",
    strict: bool = False,
    region: str = "",
) -> ImportReport:
    """Import ``records`` in one transaction; with ``dry_run``, only plan.

    With ``strict``, a record with a warning refuses the whole import: the
    report says ``refused`` and nothing is written. ``region`` reads local
    numbers instead of the profile's region (``crm import --region``).

    ``source``, the file's name, goes into the history line of each contact
    ("Imported from google.csv"). ``progress(done, total)`` is called now and
    then; when it returns True, :class:`CancelledError` is raised and nothing
    is written.
    """
    if dry_run:
        result = plan(records, progress, region)
        return _report(result, dry_run=True, refused=strict and bool(result.warnings))
    db = _database()
    # Checking and matching is the first half of the work, writing the second.
    tick = _Ticker(progress, 2 * len(records))
    # IMMEDIATE: the write lock from the start, so that what was matched is what
    # is written, and no other writer makes the commit fail halfway.
    postgres = is_postgres(db)
    top = db.transaction_depth() == 0 and not postgres
    txn = db.atomic("IMMEDIATE") if top else db.atomic()
    with _bulk(), txn:
        if postgres:
            # The writer numbers new rows itself: no one else adds any meanwhile.
            db.execute_sql(
                "LOCK TABLE contact, organization, tag, contact_tag IN SHARE ROW EXCLUSIVE MODE"
            )
        result, matcher, targets = _plan(db, records, tick, region)
        if strict and result.warnings:
            return _report(result, dry_run=True, refused=True)
        new_ids, updated_ids = Writer(db, matcher, source, tick, len(records)).write()
        tick(2 * len(records))  # the last chance to cancel, before the commit
    for outcome, target in zip(result.rows, targets, strict=True):
        if target is not None:
            outcome.contact_id = target.contact_id
    return _report(result, new_ids=new_ids, updated_ids=updated_ids)


def _report(
    result: ImportPlan, dry_run: bool = False, refused: bool = False, **ids: list[int]
) -> ImportReport:
    return ImportReport(
        result.count("new"),
        result.count("update"),
        result.count("skip"),
        result.rejected,
        dry_run=dry_run,
        rows=result.rows,
        warnings=result.warnings,
        refused=refused,
        **ids,
    )
