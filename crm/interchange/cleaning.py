"""A file's record checked and normalised for the import engine (crm.interchange.importer).

:func:`clean` turns one :class:`~crm.interchange.records.Incoming` into a
:class:`Clean` (contact values as the app stores them, plus the keys the matcher
compares: emails case-folded, phones as E.164, the folded name and organization)
or the reason it is rejected. It reads nothing from the database: numbers
without a country code are read in the record's country, else in the country
of another number of the record, else in the region the :class:`Checker` was
made for. :func:`folded` is the quick, remembered fold that matching shares.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from typing import Any

from crm.core import contact_fields, contacts, models
from crm.core import text as usertext
from crm.core.errors import ValidationError
from crm.core.text import fold, split_name
from crm.i18n import N_, _
from crm.i18n_formats import Number
from crm.interchange.records import FieldWarning, Incoming
from crm.interchange.values import Checker, Countries, unwrap_email

# The contact fields an import sets; a match fills the name and the address as groups.
NAME_FIELDS = ("given_name", "family_name")
ADDRESS_FIELDS = ("street", "city", "postcode", "region", "country")
SINGLE_FIELDS = ("title", "url", "birthday", "notes")
FIELDS = (*NAME_FIELDS, *SINGLE_FIELDS, *ADDRESS_FIELDS)


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
    uid: str = ""  # the card's UID, which our own export writes
    # Values that did not validate: kept in the notes as typed, or left out.
    warnings: list[FieldWarning] = field(default_factory=list)

    @property
    def display(self) -> str:
        return f"{self.fields['given_name']} {self.fields['family_name']}".strip()


@functools.lru_cache(maxsize=1 << 16)
def folded(text: str) -> str:
    """:func:`crm.core.text.fold`, remembered (names repeat), and quick for ASCII."""
    # For ASCII text the core's case folding and accent stripping is lower().
    return text.lower() if text.isascii() else fold(text)


def _squash(text: str) -> str:
    # Control characters, bidi overrides and invisible format characters go here too.
    return usertext.clean_line(text) if text else ""


def _name(text: str) -> str:
    """A name part cleaned; one that draws nothing (zero-width spaces) is empty."""
    name = _squash(text)
    return name if usertext.is_visible(name) else ""


class _Found:
    """A record's warnings, and the lines its unverified values add to the notes."""

    __slots__ = ("line", "notes", "warnings")

    def __init__(self, rec: Incoming) -> None:
        self.line = rec.line
        self.warnings: list[FieldWarning] = list(rec.warnings)
        self.notes: list[str] = []

    def warn(self, field: str, value: str, reason: str, note: str = "") -> None:
        """Report ``value``; with ``note``, keep it as that line of the notes."""
        self.warnings.append(FieldWarning(self.line, field, value, reason))
        if note:
            self.notes.append(note)


def _fit(key: str, value: str, found: _Found) -> str:
    """``value`` when it fits its field; a longer one goes to the notes, with a warning."""
    label, limit = contact_fields.TEXT_LIMITS[key]
    if len(value) <= limit:
        return value
    found.warn(
        key,
        value,
        _("{label} is limited to {limit:,} characters: kept in the notes").format(
            label=_(label), limit=Number(limit)
        ),
        f"{label}: {value}",
    )
    return ""


_LINE_PREFIX = re.compile(r"^\s*line \d+\s*:\s*", re.IGNORECASE)
_EMPTY = N_("Nothing to import: no name, organization, email or phone")
ORGANIZATION_LIMIT = 200  # as models.Organization.name
_INVISIBLE = N_("The name is made only of invisible characters")
# Apple and CardBook write a birthday without a year as the year 1604.
_NO_YEAR = re.compile(r"1604-?(\d\d)-?(\d\d)")


def clean(rec: Incoming, checker: Checker, countries: Countries) -> Clean | str:
    """The record's values checked and normalised, or why it is rejected.

    Only a record that cannot be read, or that has nothing to identify a person
    or organization by, is rejected; a value that does not validate is kept in
    the notes as typed (or left out) and listed in ``Clean.warnings``.
    """
    if rec.problems:
        # Readers may name the line themselves; the report names it once.
        return "; ".join(_LINE_PREFIX.sub("", p) for p in rec.problems)
    if rec.is_empty:
        return _(_EMPTY)
    found = _Found(rec)
    region, country = _place(rec, countries)
    emails = _emails(rec, checker, found)
    numbers = _numbers(rec, country, checker, found)
    birthday = _birthday(rec.birthday, found)
    names = _names(rec, found)
    org = _organization(rec, found)
    if not any(names):
        if not (org or emails or numbers):
            if any(s.strip() for s in (rec.given_name, rec.family_name, rec.full_name)):
                return _(_INVISIBLE)
            return _(_EMPTY) + _because(found)
        shown = org or (emails[0][0] if emails else numbers[0][1])
        names = ("", shown[: contact_fields.NAME_LIMIT])
    given, family = names
    fields = {
        "given_name": given,
        "family_name": family,
        "birthday": birthday,
        "region": _fit("region", region, found),
        "country": country,
    }
    for key in ("title", "url", "street", "city", "postcode"):
        fields[key] = _fit(key, _squash(getattr(rec, key)), found)
    tags = _tags(rec, found)
    kept = _kept(rec, found)
    fields["notes"] = _notes(rec, found)  # last: it gathers the unverified values
    name_key = folded(f"{given} {family}".strip())
    return Clean(
        rec.line,
        fields,
        org,
        emails,
        numbers,
        tags,
        rec.connected_on,
        name_key,
        folded(org),
        kept,
        rec.uid.strip(),
        found.warnings,
    )


def match_keys(rec: Incoming, checker: Checker, countries: Countries) -> tuple[list[str], str]:
    """The E.164 numbers and the UID that :func:`clean` would give the record (none if rejected).

    What the import counts in a first pass over the file, without the rest of the work.
    """
    if rec.problems or rec.is_empty:
        return [], ""
    found = _Found(rec)
    numbers = _numbers(rec, _place(rec, countries)[1], checker, found)
    names = (rec.given_name, rec.family_name, rec.full_name)
    if not (numbers or rec.emails or rec.organization.strip() or any(map(_name, names))):
        return [], ""  # clean() rejects it for having no usable value: count nothing
    return [e164 for e164, _original, _label in numbers], rec.uid.strip()


def _because(found: _Found) -> str:
    """Why the values a record had were not enough to import it."""
    return f" ({'; '.join(w.reason for w in found.warnings)})" if found.warnings else ""


def _names(rec: Incoming, found: _Found) -> tuple[str, str]:
    """(given, family): the file's parts, else its whole name split."""
    given, family = _name(rec.given_name), _name(rec.family_name)
    if not given and not family and rec.full_name.strip():
        given, family = (_name(part) for part in split_name(_squash(rec.full_name)))
    return _fit("given_name", given, found), _fit("family_name", family, found)


def _organization(rec: Incoming, found: _Found) -> str:
    org = _squash(rec.organization)
    if len(org) <= ORGANIZATION_LIMIT:
        return org
    found.warn(
        "organization",
        org,
        _("An organization name is limited to {limit} characters: kept in the notes").format(
            limit=ORGANIZATION_LIMIT
        ),
        f"Organization: {org}",
    )
    return ""


def _birthday(text: str, found: _Found) -> str | None:
    """The birthday as stored; one that is not a date is kept in the notes as typed."""
    text = text.strip()
    if not text:
        return None
    no_year = _NO_YEAR.fullmatch(text)
    if no_year:
        text = f"--{no_year[1]}-{no_year[2]}"
    try:
        return contacts.parse_birthday(text)
    except ValidationError as exc:
        found.warn(
            "birthday",
            text,
            _("{problem}: kept in the notes").format(problem=exc.message),
            f"Birthday: {text}",
        )
        return None


def _place(rec: Incoming, countries: Countries) -> tuple[str, str]:
    """``(region, country code)``: a country we cannot name goes on the region's line."""
    region, country = _squash(rec.region), ""
    country_text = _squash(rec.country)
    if country_text:
        code = countries.code(country_text)
        if code is not None:
            country = code
        elif folded(country_text) not in folded(region):
            region = f"{region}, {country_text}" if region else country_text
    return region, country


def _emails(rec: Incoming, checker: Checker, found: _Found) -> list[tuple[str, str, str]]:
    """``(address, folded, label)`` of each distinct valid address; others go to the notes."""
    emails: list[tuple[str, str, str]] = []
    for item in rec.emails:
        typed = " ".join(item.value.split())
        if not typed:
            continue
        try:
            # '"Omega" <omega@example.com>' is the address in the brackets.
            address = checker.email(unwrap_email(typed))
        except ValidationError as exc:
            found.warn(
                "email",
                typed,
                _("{problem}: kept in the notes as typed").format(problem=exc.message),
                f"Unverified email: {typed}" + (f" ({item.label})" if item.label else ""),
            )
            continue
        if all(address.casefold() != key for _a, key, _l in emails):
            emails.append((address, address.casefold(), _squash(item.label)[:40]))
    return emails


def _numbers(
    rec: Incoming, country: str, checker: Checker, found: _Found
) -> list[tuple[str, str, str]]:
    """``(E.164, original, label)`` of each distinct valid number; others go to the notes.

    A value without a digit ("BusinessPhone", a template's placeholder) is left out.
    """
    # Our CSV export writes "'+30 …" so that spreadsheets do not compute it.
    raws = [(p.value.strip().removeprefix("'"), p.label) for p in rec.phones]
    local = _local_region(raws, country, checker)
    numbers: list[tuple[str, str, str]] = []
    for raw, label in raws:
        if not raw:
            continue
        try:
            e164, original = checker.phone(raw, local)
        except ValidationError as exc:
            typed = " ".join(raw.split())
            if any(c.isdigit() for c in typed):
                note = f"Unverified phone: {typed}" + (f" ({label})" if label else "")
                why = _("{problem}: kept in the notes as typed").format(problem=exc.message)
                found.warn("phone", typed, why, note)
            else:
                # exc.message would ask for a country code.
                why = _("Phone '{typed}' is not a phone number: left out").format(typed=typed)
                found.warn("phone", typed, why)
            continue
        if all(e164 != number for number, _o, _l in numbers):
            numbers.append((e164, original, _squash(label)[:40]))
    return numbers


def _tags(rec: Incoming, found: _Found) -> list[tuple[str, str]]:
    """``(name, folded)`` of each distinct tag; a longer one than a tag holds goes to the notes."""
    tags: list[tuple[str, str]] = []
    for raw_tag in rec.tags:
        tag = _squash(raw_tag)
        if len(tag) > 80:
            found.warn(
                "tag", tag, _("A tag is limited to 80 characters: kept in the notes"), f"Tag: {tag}"
            )
        elif tag and folded(tag) not in {key for _name, key in tags}:
            tags.append((tag, folded(tag)))
    return tags


def _notes(rec: Incoming, found: _Found) -> str:
    """The notes, then the related people (vCard RELATED), then the unverified values."""
    lines = [usertext.clean(rec.notes, multiline=True)]
    related = [_squash(r) for r in rec.related if r.strip()]
    if related:
        lines.append("Related: " + "; ".join(related))
    lines.extend(found.notes)
    notes = "\n".join(line for line in lines if line)
    limit = usertext.NOTES_LIMIT
    if len(notes) > limit:
        found.warn(
            "notes",
            notes[limit:],
            _("Notes are limited to {limit:,} characters: cut").format(limit=Number(limit)),
        )
        notes = notes[:limit]
    return notes


def _kept(rec: Incoming, found: _Found) -> dict[str, Any]:
    """Language, channel, stage and consent as the file gives them; an unknown one is left out."""
    kept: dict[str, Any] = {}
    for key, allowed in (
        ("language", models.LANGUAGES),
        ("channel", models.CHANNELS),
        ("stage", models.STAGES),
    ):
        value = getattr(rec, key)
        if value:
            if value in allowed:
                kept[key] = value
            else:
                found.warn(
                    key,
                    value,
                    _("Not one of {allowed}: left out").format(allowed=", ".join(allowed)),
                )
    if rec.marketing_consent is not None:
        kept["marketing_consent"] = rec.marketing_consent
        kept["consent_date"] = rec.consent_date if rec.marketing_consent else None
    return kept


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


def record_name(rec: Incoming) -> str:
    """A rejected record's name as the file has it, for the report."""
    name = f"{_squash(rec.given_name)} {_squash(rec.family_name)}".strip()
    name = name or _squash(rec.full_name) or _squash(rec.organization)
    if not name and rec.emails:
        name = rec.emails[0].value.strip()
    if not name and rec.phones:
        name = rec.phones[0].value.strip()
    return name
