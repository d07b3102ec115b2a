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
progress callback or any error rolls everything back. A plan (and a dry run)
is the import rolled back.

**Memory stays flat in the size of the file** (issue 16): a CSV file is read
as a stream (crm.interchange.csvfile.read_file), vCards are parsed once into a
temporary file (crm.interchange.spool). The records are read twice: a first
pass counts the numbers and UIDs several records give (they identify nobody);
the second checks, matches and writes :data:`CHUNK_ROWS` records at a time
inside the one transaction. What a chunk must know of the stored contacts and
of earlier chunks is in temporary tables (crm.interchange.keys), so contacts
made by an earlier chunk are matched as stored ones, and the report keeps
counts and a bounded list of outcomes (crm.interchange.reports). The region
for local numbers, when the profile has none, is judged on the first
:data:`REGION_SAMPLE` records.

**Speed**: common-shaped emails and ``+``-prefixed phones take a fast path
that gives exactly what email-validator and phonenumbers give (tests compare
them); rows go in with ``executemany`` on the raw SQLite connection,
search-index rows included.
"""

from __future__ import annotations

import codecs
import contextlib
import functools
import gc
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crm.core import models, postgres
from crm.core.db import is_postgres
from crm.core.errors import CancelledError, ValidationError
from crm.interchange import keys
from crm.interchange.cleaning import Clean, clean, match_keys, record_name
from crm.interchange.matching import Matcher, RowOutcome
from crm.interchange.records import Incoming
from crm.interchange.reports import ImportPlan, ImportReport, Tally
from crm.interchange.spool import Counted, Records, Spool
from crm.interchange.values import Checker, Countries, file_region
from crm.interchange.writing import Writer

if TYPE_CHECKING:
    from crm.interchange.csvfile import CsvLayout

Progress = Callable[[int, int], bool | None] | None

_TICK = 1000  # records between progress calls
CHUNK_ROWS = 2000  # records matched and written together
REGION_SAMPLE = 10_000  # records that say where a file's local numbers are from


@dataclass(slots=True)
class Source:
    """A file read by :func:`load`: its records, and how it was read."""

    path: Path
    format: str  # "vcard" or "csv"
    encoding: str
    layout: CsvLayout | None
    records: Counted  # never all in memory (crm.interchange.spool)


# -- reading a file -----------------------------------------------------------------

_HEAD = 64 * 1024  # bytes looked at to tell a file's kind


def load(
    path: str | Path,
    format: str = "auto",
    encoding: str | None = None,
    layout: CsvLayout | None = None,
    progress: Progress = None,
) -> Source:
    """Open a vCard or CSV file for importing; a ValidationError says why it cannot be read.

    ``format`` "auto" looks at the content (a vCard starts with ``BEGIN:VCARD``);
    ``encoding`` overrides detection; ``layout`` (the CSV column mapping that
    :func:`crm.interchange.csvfile.inspect` detects and the user may edit) is
    used instead of detecting one. A CSV file is looked through (encoding,
    layout, rows) and its records are read when they are used, never all held;
    a vCard file's are read here. ``progress(done, total)`` hears about every
    few hundred vCards (reading them is the slow part: ~0.5 ms each); when it
    returns True the read stops with CancelledError.
    """
    from crm.interchange import csvfile, vcard

    where = Path(path)
    if format not in ("auto", "vcard", "csv"):
        raise ValidationError(code="importer.format_auto_vcard_csv", field="format", format=format)
    try:
        with where.open("rb") as f:
            head = f.read(_HEAD)
            if not head.strip():
                while block := f.read(_HEAD):
                    if block.strip():
                        head = block
                        break
    except FileNotFoundError:
        raise ValidationError(code="importer.cannot_read_there_such", where=where) from None
    except IsADirectoryError:
        raise ValidationError(code="importer.cannot_read_folder", where=where) from None
    except OSError as exc:
        raise ValidationError(
            code="importer.cannot_read", where=where, value=exc.strerror or exc
        ) from None
    if not head.strip():
        raise ValidationError(code="importer.empty_there_contacts", where_name=where.name)
    if format == "auto":
        format = "vcard" if vcard.looks_like_vcard(head) else "csv"
    if format == "vcard":
        data = where.read_bytes()
        with _bulk():
            cards = Spool(_read_cards(vcard.read(data, encoding), data, progress))
        return Source(where, "vcard", encoding or _unicode_name(data), None, cards)
    if layout is None:
        layout = csvfile.inspect_file(where, encoding)
        count = layout.rows
    else:
        count = csvfile.count_file(where, layout)  # the header checked, the rows counted
    read = functools.partial(csvfile.read_file, where, layout)
    return Source(where, "csv", str(getattr(layout, "encoding", "")), layout, Records(read, count))


def _read_cards(cards: Iterator[Incoming], data: bytes, progress: Progress) -> Iterator[Incoming]:
    if progress is None:
        yield from cards
        return
    # How many cards to expect, counted cheaply (UTF-16 files spell it with NULs).
    total = max(1, data.upper().count(b"BEGIN:VCARD") or data.upper().count(b"B\0E\0G\0I\0N\0"))
    for done, card in enumerate(cards, 1):
        yield card
        if done % 200 == 0 and progress(min(done, total), total):
            raise CancelledError(code="importer.import_cancelled")
    progress(total, total)


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
    """No cyclic garbage collection while a file's records pile up (a vCard file's list).

    Each collection walks every live container, so with 100,000 records in
    memory they cost more than reading itself; nothing made here forms
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
    """Calls ``progress(done, total)``; a True answer cancels the import.

    ``total`` is the number of records (twice that for an import: checking and
    writing); the first pass over the file is the first third of it.
    """

    def __init__(self, progress: Progress, total: int, records: int) -> None:
        self.progress = progress
        self.total = max(total, 1)
        self.passes = 3 * max(records, 1)  # the first pass counts once, the second twice

    def __call__(self, done: int) -> None:
        """``done`` in thirds of a record: the first pass's records, then twice the second's."""
        at = self.total * min(done, self.passes) // self.passes
        if self.progress is not None and self.progress(at, self.total):
            raise CancelledError(code="importer.import_cancelled")


class _Undo(Exception):
    """Rolls a plan (or a refused strict import) back, with what it found."""

    def __init__(self, tally: Tally) -> None:
        super().__init__("undo")
        self.tally = tally


def _database() -> Any:
    return models.database_proxy


def plan(
    records: Counted,
    progress: Progress = None,
    region: str = "",
    *,
    chunk: int = CHUNK_ROWS,
) -> ImportPlan:
    """What importing ``records`` would do, record by record; leaves the database as it was.

    The import is done and rolled back: a file too large to hold in memory is
    planned as it is imported, chunk by chunk. ``region`` (an ISO code) reads
    local numbers instead of the profile's region. ``progress(done, total)`` is
    called now and then; when it returns True, :class:`CancelledError` is raised.
    """
    tally = _transaction(records, progress, region=region, chunk=chunk, undo=True)
    return tally.plan()


def run(
    records: Counted,
    dry_run: bool = False,
    progress: Progress = None,
    *,
    source: str = "",
    strict: bool = False,
    region: str = "",
    chunk: int = CHUNK_ROWS,
) -> ImportReport:
    """Import ``records`` in one transaction, ``chunk`` records at a time; ``dry_run`` only plans.

    With ``strict``, a record with a warning refuses the whole import: the
    report says ``refused`` and nothing is written. ``region`` reads local
    numbers instead of the profile's region (``crm import --region``).

    ``source``, the file's name, goes into the history line of each contact
    ("Imported from google.csv"). ``progress(done, total)`` is called now and
    then; when it returns True, :class:`CancelledError` is raised and nothing
    is written. ``records`` is read twice (see the module's docstring).
    """
    tally = _transaction(
        records, progress, source=source, region=region, chunk=chunk, undo=dry_run, strict=strict
    )
    refused = strict and tally.warning_count > 0
    return tally.report(dry_run=dry_run or refused, refused=refused)


def _transaction(
    records: Counted,
    progress: Progress,
    *,
    source: str = "",
    region: str = "",
    chunk: int = CHUNK_ROWS,
    undo: bool = False,
    strict: bool = False,
) -> Tally:
    """The import in its transaction; rolled back with ``undo`` or a strict import's warning."""
    db = _database()
    n = len(records)
    # One pass finds the numbers and UIDs several records share, the second does the rest.
    tick = _Ticker(progress, n if undo else 2 * n, n)
    tick(0)
    # IMMEDIATE: the write lock from the start, so that what was matched is what
    # is written, and no other writer makes the commit fail halfway.
    postgres = is_postgres(db)
    top = db.transaction_depth() == 0 and not postgres
    txn = db.atomic("IMMEDIATE") if top else db.atomic()
    # What exists before the import is never garbage: collections skip it.
    gc.freeze()
    try:
        with txn:
            if postgres:
                # The writer numbers new rows itself: no one else adds any meanwhile.
                db.execute_sql(
                    "LOCK TABLE contact, organization, tag, contact_tag IN SHARE ROW EXCLUSIVE MODE"
                )
            tally = _Stream(db, records, tick, source, undo).run(region, chunk)
            tick(3 * n)  # the last chance to cancel, before the commit
            if undo or (strict and tally.warning_count):
                raise _Undo(tally)
    except _Undo as done:
        return done.tally
    finally:
        gc.unfreeze()
    return tally


class _Stream:
    """One import's passes over the records, inside the caller's transaction."""

    def __init__(self, db: Any, records: Counted, tick: _Ticker, source: str, plan: bool):
        self.db, self.records, self.tick, self.source, self.plan = db, records, tick, source, plan
        self.stamp = str(models.now())
        self.tally = Tally()
        self.countries = Countries()

    def run(self, region: str, chunk: int) -> Tally:
        db = self.db
        # The profile is read, never created.
        profile = db.execute_sql(
            "SELECT default_region, language FROM profile WHERE id = 1"
        ).fetchone()
        stored, language = (profile[0] or "", profile[1] or "en") if profile else ("", "en")
        region = region or stored
        if not region:
            sample = itertools.islice(self.records, REGION_SAMPLE)
            region = file_region(sample, self.countries)
        checker = Checker(region)
        keys.create(db)
        repeated, ours = self._repeats(checker)
        keys.load_stored(db, ours)
        matcher = Matcher(db, language, repeated)
        n = len(self.records)
        batch: list[Clean | RowOutcome] = []
        for done, rec in enumerate(self.records, 1):
            row = clean(rec, checker, self.countries)
            if isinstance(row, str):
                batch.append(RowOutcome(rec.line, "reject", record_name(rec), row))
            else:
                batch.append(row)
            if len(batch) >= chunk:
                self._chunk(matcher, batch)
                batch = []
                self.tick(n + 2 * done)
            elif done % _TICK == 0:
                self.tick(n + 2 * done)
        self._chunk(matcher, batch)
        keys.drop(db)
        # The ids above were given here: PostgreSQL's sequences must follow.
        postgres.move_sequences(db, ("contact", "organization", "tag"))
        return self.tally

    def _repeats(self, checker: Checker) -> tuple[set[int], bool]:
        """The numbers and UIDs several records give; whether any UID is our export's."""
        conn, ours = self.db.connection(), False
        hashes: list[int] = []
        for done, rec in enumerate(self.records, 1):
            numbers, uid = match_keys(rec, checker, self.countries)
            hashes += [keys.phone_hash(e164) for e164 in set(numbers)]
            if uid:
                hashes.append(keys.uid_hash(uid))
                ours = ours or uid.startswith("urn:uuid:")
            if len(hashes) >= keys.BATCH:
                keys.count(conn, hashes)
                hashes.clear()
            if done % _TICK == 0:
                self.tick(done)
        keys.count(conn, hashes)
        return keys.repeated(self.db), ours

    def _chunk(self, matcher: Matcher, batch: list[Clean | RowOutcome]) -> None:
        """Match a chunk of records, write it, and count what happened."""
        tally = self.tally
        matcher.begin([row for row in batch if isinstance(row, Clean)])
        for row in batch:
            if isinstance(row, RowOutcome):
                tally.add(row, None, [])
            else:
                outcome, target = matcher.outcome(row)
                tally.add(outcome, target, row.warnings)
        new_ids, updated_ids = Writer(self.db, matcher, self.source, self.stamp).write()
        if new_ids and not matcher.first_new:
            matcher.first_new = new_ids[0]
        matcher.finish()
        tally.written(new_ids, updated_ids, matcher.made_here, self.plan)


__all__ = [
    "Counted",
    "ImportPlan",
    "ImportReport",
    "Records",
    "RowOutcome",
    "Source",
    "load",
    "plan",
    "run",
]
