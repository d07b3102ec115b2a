"""The import engine: check what the readers found, match it, and write it in one go.

:func:`load` reads a file with the vCard or CSV reader; :func:`plan` says what
would happen to every record and writes nothing; :func:`run` does it in one
transaction (with ``dry_run``, it only plans).

**Matching**, against the database and against earlier records of the same
file, in this order:

1. an email address, compared case-folded;
2. a phone number, compared as E.164;
3. the folded full name together with the folded organization: both have the
   same organization, or neither has one (a "Maria Rossi" at one company is not
   taken for a "Maria Rossi" at another, nor for one with no company: the
   duplicates review can still bring those together).

When two stored contacts share a key, the older one is matched. Erased
contacts are never matched.

**A match never overwrites.** It adds the emails, phones and tags the contact
lacks (after the ones it has; ``Contact.email``/``phone`` stay the first) and
fills empty fields. The name and the postal address are filled as groups: an
empty part is filled only when the parts the contact has agree with the file
(folded), so an address is never half one place and half another. An email or
phone that belongs to another contact is not moved over. A record with nothing
to add is a skipped duplicate: importing a file twice adds nobody.

**A record is rejected**, with its line, when it is empty, when its reader
noted a problem, or when an email, a phone, the birthday, a name or a tag is
not valid (the core's checks and messages). A number written without its
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
import datetime as dt
import functools
import gc
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crm.core import contacts, models, search
from crm.core.errors import CancelledError, ValidationError
from crm.core.text import fold, split_name
from crm.interchange.records import Incoming
from crm.interchange.values import (
    Checker,
    Countries,
    file_region,
    guess_language,
)

if TYPE_CHECKING:
    from crm.interchange.csvfile import CsvLayout

Progress = Callable[[int, int], bool | None] | None

# History lines an import leaves (existing kinds, which the app words).
KIND_NEW = "created"
KIND_UPDATED = "updated"
KIND_CONNECTED = "note"
CONNECTED_SUMMARY = "Connected on LinkedIn"
CHANNEL = "other"
CHANNEL_CONNECTED = "social"

_NAME_FIELDS = ("given_name", "family_name")
_ADDRESS_FIELDS = ("street", "city", "postcode", "region", "country")
_SINGLE_FIELDS = ("title", "url", "birthday", "notes")
FIELDS = (*_NAME_FIELDS, *_SINGLE_FIELDS, *_ADDRESS_FIELDS)

_TICK = 1000  # records between progress calls
_CHUNK = 500  # ids per IN (...) query and per search-index batch


# -- what the engine returns ----------------------------------------------------------


@dataclass(slots=True)
class RowOutcome:
    """What happens (or would happen) to one record of the file."""

    line: int
    action: str  # "new", "update", "skip" or "reject"
    name: str
    reason: str = ""  # why it was rejected, or which contact it matched and how
    contact_id: int | None = None  # None in a plan for a contact not created yet
    changes: list[str] = field(default_factory=list)  # what a match adds


@dataclass(slots=True)
class ImportPlan:
    """Every record's outcome, in file order."""

    rows: list[RowOutcome]

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def rejected(self) -> list[tuple[int, str]]:
        return [(r.line, r.reason) for r in self.rows if r.action == "reject"]


@dataclass(slots=True)
class ImportReport:
    """What an import did: counts of records, and each rejected one with its line and reason.

    ``imported`` records made new contacts; ``updated`` ones added something to a
    contact (a stored one, or one made from an earlier record of the same file);
    ``skipped`` ones had nothing to add.
    """

    imported: int
    updated: int
    skipped: int
    rejected: list[tuple[int, str]]
    dry_run: bool = False
    rows: list[RowOutcome] = field(default_factory=list)
    new_ids: list[int] = field(default_factory=list)  # contacts created
    updated_ids: list[int] = field(default_factory=list)  # stored contacts changed

    def to_json(self) -> dict[str, Any]:
        return {
            "imported": self.imported,
            "updated": self.updated,
            "skipped": self.skipped,
            "rejected": [{"line": line, "reason": reason} for line, reason in self.rejected],
            "dry_run": self.dry_run,
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
        raise ValidationError(f"Format must be auto, vcard or csv, not '{format}'", "format")
    try:
        data = where.read_bytes()
    except FileNotFoundError:
        raise ValidationError(f"Cannot read '{where}': there is no such file") from None
    except IsADirectoryError:
        raise ValidationError(f"Cannot read '{where}': it is a folder") from None
    except OSError as exc:
        raise ValidationError(f"Cannot read '{where}': {exc.strerror or exc}") from None
    if not data.strip():
        raise ValidationError(f"'{where.name}' is empty: there are no contacts in it")
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
            raise CancelledError("Import cancelled")
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


@dataclass(slots=True)
class Clean:
    """A record that passed the checks: contact values and matching keys."""

    line: int
    fields: dict[str, Any]  # FIELDS: text ("" for none), birthday None for none
    org: str
    emails: list[tuple[str, str, str]]  # (address, case-folded key, label)
    phones: list[tuple[str, str, str]]  # (E.164, original, label)
    tags: list[tuple[str, str]]  # (name, folded)
    connected_on: dt.date | None
    name_key: str = ""  # the folded full name
    org_key: str = ""  # the folded organization
    # From our own export only: language, channel, stage, marketing_consent,
    # consent_date, for a new contact (a matched one keeps its own).
    kept: dict[str, Any] = field(default_factory=dict)

    @property
    def display(self) -> str:
        return f"{self.fields['given_name']} {self.fields['family_name']}".strip()


@functools.lru_cache(maxsize=1 << 16)
def folded(text: str) -> str:
    """:func:`crm.core.text.fold`, remembered (names repeat), and quick for ASCII."""
    # For ASCII text the core's case folding and accent stripping is lower().
    return text.lower() if text.isascii() else fold(text)


def _agree(mine: str | None, theirs: str | None) -> bool:
    return not mine or not theirs or mine == theirs or folded(mine) == folded(theirs)


_WORDS = re.compile(r"[^\W_]+")  # as crm.core.text.tokens splits


@functools.lru_cache(maxsize=1 << 16)
def _words(text: str) -> str:
    return " ".join(_WORDS.findall(folded(text)))


def document(
    given: str, family: str, org: str, emails: Sequence[str], numbers: Sequence[str], city: str
) -> str:
    """What :func:`crm.core.search.document` makes of a contact, folding each part once."""
    parts = [_words(text) for text in (given, family, org, city) if text]
    for address in emails:  # unique: not worth remembering
        parts.append(
            " ".join(_WORDS.findall(address.lower() if address.isascii() else fold(address)))
        )
    for number in numbers:  # E.164: "+" and digits
        digits = number[1:]
        parts.append(digits)
        if len(digits) > 8:
            parts += (digits[1:], digits[2:], digits[3:])
    return " ".join(p for p in parts if p)


def _squash(text: str) -> str:
    return " ".join(text.split()) if text else ""


_LINE_PREFIX = re.compile(r"^\s*line \d+\s*:\s*", re.IGNORECASE)
_EMPTY = "Nothing to import: no name, organization, email or phone"


def clean(rec: Incoming, checker: Checker, countries: Countries) -> Clean | str:
    """The record's values checked and normalised, or why it is rejected."""
    if rec.problems:
        # Readers may name the line themselves; the report names it once.
        return "; ".join(_LINE_PREFIX.sub("", p) for p in rec.problems)
    if rec.is_empty:
        return _EMPTY
    region, country = _squash(rec.region), ""
    country_text = _squash(rec.country)
    if country_text:
        code = countries.code(country_text)
        if code is not None:
            country = code
        elif folded(country_text) not in folded(region):
            region = f"{region}, {country_text}" if region else country_text
    emails: list[tuple[str, str, str]] = []
    numbers: list[tuple[str, str, str]] = []
    try:
        for item in rec.emails:
            if item.value.strip():
                address = checker.email(item.value)
                if all(address.casefold() != key for _a, key, _l in emails):
                    emails.append((address, address.casefold(), _squash(item.label)[:40]))
        # Our CSV export writes "'+30 …" so that spreadsheets do not compute it.
        raws = [(p.value.strip().removeprefix("'"), p.label) for p in rec.phones]
        local = _local_region(raws, country, checker)
        for raw, label in raws:
            if raw:
                e164, original = checker.phone(raw, local)
                if all(e164 != number for number, _o, _l in numbers):
                    numbers.append((e164, original, _squash(label)[:40]))
        birthday = contacts.parse_birthday(rec.birthday.strip() or None)
    except ValidationError as exc:
        return exc.message
    given, family = _squash(rec.given_name), _squash(rec.family_name)
    if not given and not family and rec.full_name.strip():
        given, family = split_name(rec.full_name)
    org = _squash(rec.organization)
    if not given and not family:
        if not (org or emails or numbers):  # only blank emails or phones
            return _EMPTY
        family = org or (emails[0][0] if emails else numbers[0][1])
    if len(given) > 120 or len(family) > 120:
        return "A name is limited to 120 characters"
    tags: list[tuple[str, str]] = []
    for raw_tag in rec.tags:
        tag = _squash(raw_tag)
        if len(tag) > 80:
            return f"Tag '{tag[:20]}…' is longer than 80 characters"
        if tag and folded(tag) not in {key for _name, key in tags}:
            tags.append((tag, folded(tag)))
    notes = rec.notes.strip()
    related = [_squash(r) for r in rec.related if r.strip()]
    if related:
        line = "Related: " + "; ".join(related)
        notes = f"{notes}\n{line}" if notes else line
    fields = {
        "given_name": given,
        "family_name": family,
        "title": _squash(rec.title),
        "url": rec.url.strip(),
        "birthday": birthday,
        "notes": notes,
        "street": _squash(rec.street),
        "city": _squash(rec.city),
        "postcode": _squash(rec.postcode),
        "region": region,
        "country": country,
    }
    name_key = folded(f"{given} {family}".strip())
    kept: dict[str, Any] = {}
    for key, allowed in (
        ("language", models.LANGUAGES),
        ("channel", models.CHANNELS),
        ("stage", models.STAGES),
    ):
        value = getattr(rec, key)
        if value:
            if value not in allowed:
                return f"{key.capitalize()} '{value}' is not one of {', '.join(allowed)}"
            kept[key] = value
    if rec.marketing_consent is not None:
        kept["marketing_consent"] = rec.marketing_consent
        kept["consent_date"] = rec.consent_date if rec.marketing_consent else None
    return Clean(
        rec.line, fields, org, emails, numbers, tags, rec.connected_on, name_key, folded(org), kept
    )


def _local_region(raws: list[tuple[str, str]], country: str, checker: Checker) -> str | None:
    """Where the record's numbers without a country code are read; None: the profile's region.

    The record's own country says it best, else the country of another number
    of the same record written with its code (an Italian mobile beside a local
    "333 765 4321"), else the profile's region.
    """
    if all(raw.startswith("+") or not raw for raw, _label in raws):
        return None  # nothing local to read
    if country:
        return country
    for raw, _label in raws:
        if raw.startswith("+"):
            try:
                region = checker.region_of(checker.phone(raw)[0])
            except ValidationError:
                continue
            if region:
                return region
    return None


def _record_name(rec: Incoming) -> str:
    """A rejected record's name as the file has it, for the report."""
    name = f"{_squash(rec.given_name)} {_squash(rec.family_name)}".strip()
    name = name or _squash(rec.full_name) or _squash(rec.organization)
    if not name and rec.emails:
        name = rec.emails[0].value.strip()
    if not name and rec.phones:
        name = rec.phones[0].value.strip()
    return name


# -- matching -------------------------------------------------------------------------


class _Target:
    """A contact the import writes to: a stored one, or a new one from this file."""

    __slots__ = (
        "channel",
        "connected",
        "consent",
        "contact_id",
        "email_keys",
        "fields",
        "filled",
        "language",
        "line",
        "n_emails",
        "n_phones",
        "new_connected",
        "new_emails",
        "new_phones",
        "new_tags",
        "org",
        "org_key",
        "phone_keys",
        "stage",
        "tag_keys",
    )

    def __init__(self, contact_id: int | None, line: int, fields: dict[str, Any]) -> None:
        self.contact_id = contact_id
        self.line = line  # the record that made a new one
        self.fields = fields
        self.org = self.org_key = ""
        self.email_keys: set[str] = set()
        self.phone_keys: set[str] = set()
        self.tag_keys: set[str] = set()
        self.connected: set[dt.date] = set()
        self.n_emails = self.n_phones = 0  # the next position of a stored contact's rows
        self.new_emails: list[tuple[str, str]] = []
        self.new_phones: list[tuple[str, str, str]] = []
        self.new_tags: list[tuple[str, str]] = []
        self.new_connected: list[dt.date] = []
        self.filled: list[str] = []  # fields of a stored contact the file fills
        self.language = ""
        self.channel = CHANNEL
        self.stage = "prospect"
        self.consent: tuple[bool, dt.date | None] = (False, None)

    @property
    def changed(self) -> bool:
        return bool(
            self.filled or self.new_emails or self.new_phones or self.new_tags or self.new_connected
        )


class _Matcher:
    """The lookup tables, read once, and every contact the file matched or makes."""

    def __init__(self, db: Any, language: str) -> None:
        self.db = db
        self.language = language
        self.by_email: dict[str, int | _Target] = {}
        self.by_phone: dict[str, int | _Target] = {}
        self.by_name: dict[tuple[str, str], int | _Target] = {}
        self.stored: dict[int, _Target] = {}
        self.new: list[_Target] = []
        # Oldest last, so that it is the one a shared key keeps.
        for address, cid in db.execute_sql(
            "SELECT address, contact_id FROM email_address ORDER BY contact_id DESC"
        ):
            self.by_email[address.casefold()] = cid
        for number, cid in db.execute_sql(
            "SELECT number, contact_id FROM phone_number ORDER BY contact_id DESC"
        ):
            self.by_phone[number] = cid
        keys: dict[str, str] = {}  # names repeat: fold each once
        for cid, name, org_key in db.execute_sql(
            "SELECT c.id, c.given_name || ' ' || c.family_name, coalesce(o.name_folded, '') "
            "FROM contact c LEFT JOIN organization o ON o.id = c.organization_id "
            "WHERE c.erased_at IS NULL ORDER BY c.id DESC"
        ):
            key = keys.get(name)
            if key is None:
                key = keys[name] = folded(name.strip())
            self.by_name[(key, org_key)] = cid

    def prefetch(self, rows: Iterable[Clean]) -> None:
        """Load every stored contact the records may match, a chunk of ids per query."""
        ids: set[int] = set()
        for row in rows:
            hits = [self.by_email.get(key) for _a, key, _l in row.emails]
            hits += [self.by_phone.get(e164) for e164, _o, _l in row.phones]
            hits.append(self.by_name.get((row.name_key, row.org_key)))
            ids.update(h for h in hits if isinstance(h, int))
        wanted = sorted(ids)
        execute = self.db.execute_sql
        columns = ", ".join(f"c.{name}" for name in FIELDS)
        n = len(FIELDS)
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            for row in execute(
                f"SELECT c.id, {columns}, coalesce(o.name, ''), coalesce(o.name_folded, ''), "
                "coalesce((SELECT max(position) + 1 FROM email_address e "
                "WHERE e.contact_id = c.id), 0), "
                "coalesce((SELECT max(position) + 1 FROM phone_number p "
                "WHERE p.contact_id = c.id), 0) "
                "FROM contact c LEFT JOIN organization o ON o.id = c.organization_id "
                f"WHERE c.id IN ({marks})",
                chunk,
            ):
                values = {
                    name: "" if value is None and name != "birthday" else value
                    for name, value in zip(FIELDS, row[1 : n + 1], strict=True)
                }
                target = self.stored[row[0]] = _Target(row[0], 0, values)
                target.org, target.org_key, target.n_emails, target.n_phones = row[n + 1 :]
            stored = self.stored
            for cid, address in execute(
                f"SELECT contact_id, address FROM email_address WHERE contact_id IN ({marks})",
                chunk,
            ):
                stored[cid].email_keys.add(address.casefold())
            for cid, number in execute(
                f"SELECT contact_id, number FROM phone_number WHERE contact_id IN ({marks})", chunk
            ):
                stored[cid].phone_keys.add(number)
            for cid, key in execute(
                "SELECT ct.contact_id, t.folded FROM contact_tag ct JOIN tag t ON t.id = ct.tag_id "
                f"WHERE ct.contact_id IN ({marks})",
                chunk,
            ):
                stored[cid].tag_keys.add(key)
            for cid, happened in execute(
                f"SELECT contact_id, happened_at FROM interaction WHERE contact_id IN ({marks}) "
                "AND kind = ? AND summary = ?",
                [*chunk, KIND_CONNECTED, CONNECTED_SUMMARY],
            ):
                day = models.as_date(happened)
                if day is not None:
                    stored[cid].connected.add(day)

    def outcome(self, row: Clean) -> tuple[RowOutcome, _Target]:
        """Match one record and apply it to its contact (in memory)."""
        target, why = self._match(row)
        if target is None:
            target = _Target(None, row.line, dict(row.fields))
            target.org, target.org_key = row.org, row.org_key
            kept = row.kept
            target.language = kept.get("language") or guess_language(
                row.display, row.fields["country"], self.language
            )
            if row.connected_on is not None:
                target.channel = CHANNEL_CONNECTED
            target.channel = kept.get("channel", target.channel)
            target.stage = kept.get("stage", target.stage)
            if "marketing_consent" in kept:
                target.consent = (kept["marketing_consent"], kept["consent_date"])
            self.new.append(target)
            self.by_name.setdefault((row.name_key, row.org_key), target)
            self._add_lists(target, row)
            return RowOutcome(row.line, "new", row.display), target
        if target.contact_id is None:
            why += f" as line {target.line}"
        else:
            why += f" as #{target.contact_id}"
        changes = self._add(target, row)
        action = "update" if changes else "skip"
        return RowOutcome(row.line, action, row.display, why, target.contact_id, changes), target

    def _match(self, row: Clean) -> tuple[_Target | None, str]:
        for address, key, _label in row.emails:
            hit = self.by_email.get(key)
            if hit is not None:
                return self._target(hit), f"same email {address}"
        for e164, _original, _label in row.phones:
            hit = self.by_phone.get(e164)
            if hit is not None:
                return self._target(hit), f"same phone {e164}"
        hit = self.by_name.get((row.name_key, row.org_key))
        if hit is not None:
            why = "same name and organization" if row.org_key else "same name, no organization"
            return self._target(hit), why
        return None, ""

    def _target(self, hit: int | _Target) -> _Target:
        return hit if isinstance(hit, _Target) else self.stored[hit]

    def _add(self, target: _Target, row: Clean) -> list[str]:
        """Give ``target`` what ``row`` has and it lacks; returns what was added."""
        fields, values = target.fields, row.fields
        filled: list[str] = []
        for group in (_NAME_FIELDS, _ADDRESS_FIELDS):
            if all(_agree(fields[name], values[name]) for name in group):
                filled += [name for name in group if values[name] and not fields[name]]
        filled += [name for name in _SINGLE_FIELDS if values[name] and not fields[name]]
        for name in filled:
            fields[name] = values[name]
        if row.org and not target.org:
            target.org, target.org_key = row.org, row.org_key
            filled.append("organization")
        added = list(filled)
        if target.contact_id is not None:
            target.filled += filled
        if {"given_name", "family_name", "organization"}.intersection(filled):
            name = folded(f"{fields['given_name']} {fields['family_name']}".strip())
            self.by_name.setdefault((name, target.org_key), target)
        return added + self._add_lists(target, row)

    def _add_lists(self, target: _Target, row: Clean) -> list[str]:
        """Give ``target`` the emails, phones, tags and connection day ``row`` adds."""
        added: list[str] = []
        for address, email_key, label in row.emails:
            owner = self.by_email.get(email_key)
            if email_key in target.email_keys or owner not in (None, target, target.contact_id):
                continue  # already there, or another contact's address
            target.email_keys.add(email_key)
            target.new_emails.append((address, label))
            self.by_email[email_key] = target
            added.append(f"email {address}")
        for e164, original, label in row.phones:
            owner = self.by_phone.get(e164)
            if e164 in target.phone_keys or owner not in (None, target, target.contact_id):
                continue
            target.phone_keys.add(e164)
            target.new_phones.append((e164, original, label))
            self.by_phone[e164] = target
            added.append(f"phone {e164}")
        for name, tag_key in row.tags:
            if tag_key not in target.tag_keys:
                target.tag_keys.add(tag_key)
                target.new_tags.append((name, tag_key))
                added.append(f"tag {name}")
        day = row.connected_on
        if day is not None and day not in target.connected:
            target.connected.add(day)
            target.new_connected.append(day)
            added.append(f"connected on {day.isoformat()}")
        return added


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
            raise CancelledError("Import cancelled")


def _database() -> Any:
    from peewee import SqliteDatabase

    db = models.database_proxy
    if not isinstance(db.obj, SqliteDatabase):
        raise ValidationError("Importing needs a SQLite database")
    return db


def _plan(
    db: Any, records: Sequence[Incoming], tick: _Ticker
) -> tuple[ImportPlan, _Matcher, list[_Target | None]]:
    # The profile is read, never created: a plan writes nothing.
    profile = db.execute_sql("SELECT default_region, language FROM profile WHERE id = 1").fetchone()
    region, language = (profile[0] or "", profile[1] or "en") if profile else ("", "en")
    countries = Countries()
    checker = Checker(region or file_region(records, countries))
    matcher = _Matcher(db, language)
    n = len(records)
    cleaned: list[Clean | str] = []
    for done, rec in enumerate(records):
        if done % _TICK == 0:
            tick(done // 2)
        cleaned.append(clean(rec, checker, countries))
    matcher.prefetch(row for row in cleaned if isinstance(row, Clean))
    rows: list[RowOutcome] = []
    targets: list[_Target | None] = []  # each row's contact
    for done, (rec, row) in enumerate(zip(records, cleaned, strict=True)):
        if done % _TICK == 0:
            tick((n + done) // 2)
        if isinstance(row, str):
            rows.append(RowOutcome(rec.line, "reject", _record_name(rec), row))
            targets.append(None)
        else:
            outcome, target = matcher.outcome(row)
            rows.append(outcome)
            targets.append(target)
    return ImportPlan(rows), matcher, targets


def plan(records: Sequence[Incoming], progress: Progress = None) -> ImportPlan:
    """What importing ``records`` would do, record by record; writes nothing.

    ``progress(done, total)`` is called now and then; when it returns True,
    :class:`CancelledError` is raised.
    """
    tick = _Ticker(progress, len(records))
    with _bulk():
        result, _matcher, _targets = _plan(_database(), records, tick)
    tick(len(records))
    return result


def run(
    records: Sequence[Incoming],
    dry_run: bool = False,
    progress: Progress = None,
    *,
    source: str = "",
) -> ImportReport:
    """Import ``records`` in one transaction; with ``dry_run``, only plan.

    ``source``, the file's name, goes into the history line of each contact
    ("Imported from google.csv"). ``progress(done, total)`` is called now and
    then; when it returns True, :class:`CancelledError` is raised and nothing
    is written.
    """
    if dry_run:
        return _report(plan(records, progress), dry_run=True)
    db = _database()
    # Checking and matching is the first half of the work, writing the second.
    tick = _Ticker(progress, 2 * len(records))
    # IMMEDIATE: the write lock from the start, so that what was matched is what
    # is written, and no other writer makes the commit fail halfway.
    txn = db.atomic("IMMEDIATE") if db.transaction_depth() == 0 else db.atomic()
    with _bulk(), txn:
        result, matcher, targets = _plan(db, records, tick)
        new_ids, updated_ids = _Writer(db, matcher, source, tick, len(records)).write()
        tick(2 * len(records))  # the last chance to cancel, before the commit
    for outcome, target in zip(result.rows, targets, strict=True):
        if target is not None:
            outcome.contact_id = target.contact_id
    return _report(result, new_ids=new_ids, updated_ids=updated_ids)


def _report(result: ImportPlan, dry_run: bool = False, **ids: list[int]) -> ImportReport:
    return ImportReport(
        result.count("new"),
        result.count("update"),
        result.count("skip"),
        result.rejected,
        dry_run=dry_run,
        rows=result.rows,
        **ids,
    )


# -- writing --------------------------------------------------------------------------

_INSERT_CONTACT = (
    "INSERT INTO contact (id, created_at, updated_at, given_name, family_name, organization_id, "
    "title, email, phone, street, city, postcode, region, country, language, birthday, channel, "
    "stage, marketing_consent, consent_date, notes, archived, url) "
    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,0,?)"
)
_INSERT_EMAIL = (
    "INSERT INTO email_address (created_at, updated_at, contact_id, address, label, position) "
    "VALUES (?,?,?,?,?,?)"
)
_INSERT_PHONE = (
    "INSERT INTO phone_number (created_at, updated_at, contact_id, number, original, label, "
    "position) VALUES (?,?,?,?,?,?,?)"
)


class _Writer:
    """Writes what the matcher decided, in bulk, inside the caller's transaction."""

    def __init__(self, db: Any, matcher: _Matcher, source: str, tick: _Ticker, start: int):
        self.db = db
        self.conn = db.connection()
        self.matcher = matcher
        self.tick = tick
        self.start = start  # progress so far (the plan's half)
        self.stamp = str(models.now())
        self.summary = f"Imported from {source}" if source else "Imported"
        self.emails: list[tuple[Any, ...]] = []
        self.phones: list[tuple[Any, ...]] = []
        self.links: list[tuple[int, int]] = []
        self.history: list[tuple[Any, ...]] = []

    def _next_id(self, table: str) -> int:
        return int(self.conn.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()[0])

    def write(self) -> tuple[list[int], list[int]]:
        conn, matcher = self.conn, self.matcher
        changed = [t for t in matcher.stored.values() if t.changed]
        self._organizations_and_tags([*matcher.new, *changed])
        base = self._next_id("contact")
        new_ids = self._new_contacts(base)
        self.tick(self.start + len(matcher.new) // 2)
        updated_ids = self._stored_contacts(changed)
        conn.executemany(_INSERT_EMAIL, self.emails)
        conn.executemany(_INSERT_PHONE, self.phones)
        conn.executemany(
            "INSERT OR IGNORE INTO contact_tag (contact_id, tag_id) VALUES (?,?)", self.links
        )
        conn.executemany(
            "INSERT INTO interaction (contact_id, kind, happened_at, summary) VALUES (?,?,?,?)",
            self.history,
        )
        # Search rows of new contacts from the values at hand (a row left at one
        # of these ids by a contact long gone would clash); stored ones recomputed.
        conn.execute(f"DELETE FROM {search.FTS_TABLE} WHERE rowid >= ?", (base,))
        conn.executemany(
            f"INSERT INTO {search.FTS_TABLE}(rowid, body) VALUES (?, ?)",
            [
                (
                    t.contact_id,
                    document(
                        t.fields["given_name"],
                        t.fields["family_name"],
                        t.org,
                        [address for address, _label in t.new_emails],
                        [number for number, _original, _label in t.new_phones],
                        t.fields["city"],
                    ),
                )
                for t in matcher.new
            ],
        )
        for start in range(0, len(updated_ids), _CHUNK):
            search.index_contacts(self.db, updated_ids[start : start + _CHUNK])
        return new_ids, updated_ids

    def _organizations_and_tags(self, targets: list[_Target]) -> None:
        """Create the organizations and tags the file names that do not exist yet."""
        conn, stamp = self.conn, self.stamp
        # The oldest of a folded name, as crm.core.organizations.find_by_name picks.
        self.org_ids: dict[str, int] = dict(
            conn.execute("SELECT name_folded, min(id) FROM organization GROUP BY name_folded")
        )
        self.tag_ids: dict[str, int] = dict(conn.execute("SELECT folded, id FROM tag"))
        org_rows, tag_rows = [], []
        next_org, next_tag = self._next_id("organization"), self._next_id("tag")
        for target in targets:
            if target.org_key and target.org_key not in self.org_ids:
                self.org_ids[target.org_key] = next_org
                org_rows.append((next_org, stamp, stamp, target.org, target.org_key))
                next_org += 1
            for name, key in target.new_tags:
                if key not in self.tag_ids:
                    self.tag_ids[key] = next_tag
                    tag_rows.append((next_tag, stamp, stamp, name, key))
                    next_tag += 1
        conn.executemany(
            "INSERT INTO organization (id, created_at, updated_at, name, name_folded, kind, "
            "website, city, notes) VALUES (?,?,?,?,?,'company','','','')",
            org_rows,
        )
        conn.executemany(
            "INSERT INTO tag (id, created_at, updated_at, name, folded) VALUES (?,?,?,?,?)",
            tag_rows,
        )

    def _children(self, cid: int, target: _Target) -> None:
        """Email, phone, tag and history rows of what ``target`` gains."""
        stamp = self.stamp
        for pos, (address, label) in enumerate(target.new_emails, target.n_emails):
            self.emails.append((stamp, stamp, cid, address, label, pos))
        for pos, (e164, original, label) in enumerate(target.new_phones, target.n_phones):
            self.phones.append((stamp, stamp, cid, e164, original, label, pos))
        self.links += [(cid, self.tag_ids[key]) for _name, key in target.new_tags]
        for day in target.new_connected:
            self.history.append((cid, KIND_CONNECTED, f"{day} 00:00:00", CONNECTED_SUMMARY))

    def _new_contacts(self, base: int) -> list[int]:
        """Insert the new contacts with ids from the next free one, as SQLite gives them."""
        stamp, rows, ids = self.stamp, [], []
        for cid, target in enumerate(self.matcher.new, base):
            target.contact_id = cid
            ids.append(cid)
            f = target.fields
            rows.append(
                (
                    cid,
                    stamp,
                    stamp,
                    f["given_name"],
                    f["family_name"],
                    self.org_ids[target.org_key] if target.org_key else None,
                    f["title"],
                    target.new_emails[0][0] if target.new_emails else "",
                    target.new_phones[0][0] if target.new_phones else "",
                    f["street"],
                    f["city"],
                    f["postcode"],
                    f["region"],
                    f["country"],
                    target.language,
                    f["birthday"],
                    target.channel,
                    target.stage,
                    target.consent[0],
                    target.consent[1].isoformat() if target.consent[1] else None,
                    f["notes"],
                    f["url"],
                )
            )
            self.history.append((cid, KIND_NEW, stamp, self.summary))
            self._children(cid, target)
        self.conn.executemany(_INSERT_CONTACT, rows)
        return ids

    def _stored_contacts(self, targets: list[_Target]) -> list[int]:
        """Fill the empty fields of matched contacts, grouped by the columns they set."""
        updates: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
        ids = []
        for target in targets:
            cid = target.contact_id
            assert cid is not None
            ids.append(cid)
            columns = [name for name in FIELDS if name in target.filled]
            values: list[Any] = [target.fields[name] for name in columns]
            if "organization" in target.filled:
                columns.append("organization_id")
                values.append(self.org_ids[target.org_key])
            if target.new_emails and not target.n_emails:
                columns.append("email")
                values.append(target.new_emails[0][0])
            if target.new_phones and not target.n_phones:
                columns.append("phone")
                values.append(target.new_phones[0][0])
            updates.setdefault(tuple(columns), []).append((*values, self.stamp, cid))
            self._children(cid, target)
            what = [*target.filled]
            what += [
                name for name in ("emails", "phones", "tags") if getattr(target, f"new_{name}")
            ]
            if what:
                self.history.append(
                    (cid, KIND_UPDATED, self.stamp, f"{self.summary}: added {', '.join(what)}")
                )
        for names, rows in updates.items():
            sets = "".join(f"{name} = ?, " for name in names)
            self.conn.executemany(f"UPDATE contact SET {sets}updated_at = ? WHERE id = ?", rows)
        return ids
