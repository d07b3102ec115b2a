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
from crm.interchange.records import Incoming
from crm.interchange.values import Checker, Countries

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


def _too_long(fields: dict[str, Any]) -> str | None:
    """Why a field is refused for its length (naming the field and the limit), if one is."""
    for key, value in fields.items():
        if key in contact_fields.TEXT_LIMITS and isinstance(value, str):
            try:
                contact_fields.check_limit(key, value)
            except ValidationError as exc:
                return exc.message
    return None


_LINE_PREFIX = re.compile(r"^\s*line \d+\s*:\s*", re.IGNORECASE)
_EMPTY = "Nothing to import: no name, organization, email or phone"
ORGANIZATION_LIMIT = 200  # as models.Organization.name
_INVISIBLE = "The name is made only of invisible characters"


def clean(rec: Incoming, checker: Checker, countries: Countries) -> Clean | str:
    """The record's values checked and normalised, or why it is rejected."""
    if rec.problems:
        # Readers may name the line themselves; the report names it once.
        return "; ".join(_LINE_PREFIX.sub("", p) for p in rec.problems)
    if rec.is_empty:
        return _EMPTY
    region, country = _place(rec, countries)
    try:
        emails = _emails(rec, checker)
        numbers = _numbers(rec, country, checker)
        birthday = contacts.parse_birthday(rec.birthday.strip() or None)
    except ValidationError as exc:
        return exc.message
    given, family = _name(rec.given_name), _name(rec.family_name)
    if not given and not family and rec.full_name.strip():
        given, family = (_name(part) for part in split_name(_squash(rec.full_name)))
    org = _squash(rec.organization)
    if not given and not family:
        if any(s.strip() for s in (rec.given_name, rec.family_name, rec.full_name)):
            return _INVISIBLE
        if not (org or emails or numbers):  # only blank emails or phones
            return _EMPTY
        family = org or (emails[0][0] if emails else numbers[0][1])
    tags = _tags(rec)
    if isinstance(tags, str):
        return tags
    kept = _kept(rec)
    if isinstance(kept, str):
        return kept
    fields = {
        "given_name": given,
        "family_name": family,
        "title": _squash(rec.title),
        "url": _squash(rec.url),
        "birthday": birthday,
        "notes": _notes(rec),
        "street": _squash(rec.street),
        "city": _squash(rec.city),
        "postcode": _squash(rec.postcode),
        "region": region,
        "country": country,
    }
    too_long = _too_long(fields)
    if too_long is not None:
        return too_long
    if len(org) > ORGANIZATION_LIMIT:
        return f"An organization name is limited to {ORGANIZATION_LIMIT} characters"
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
    )


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


def _emails(rec: Incoming, checker: Checker) -> list[tuple[str, str, str]]:
    """``(address, folded, label)`` of each distinct valid address."""
    emails: list[tuple[str, str, str]] = []
    for item in rec.emails:
        if item.value.strip():
            address = checker.email(item.value)
            if all(address.casefold() != key for _a, key, _l in emails):
                emails.append((address, address.casefold(), _squash(item.label)[:40]))
    return emails


def _numbers(rec: Incoming, country: str, checker: Checker) -> list[tuple[str, str, str]]:
    """``(E.164, original, label)`` of each distinct valid phone number."""
    # Our CSV export writes "'+30 …" so that spreadsheets do not compute it.
    raws = [(p.value.strip().removeprefix("'"), p.label) for p in rec.phones]
    local = _local_region(raws, country, checker)
    numbers: list[tuple[str, str, str]] = []
    for raw, label in raws:
        if raw:
            e164, original = checker.phone(raw, local)
            if all(e164 != number for number, _o, _l in numbers):
                numbers.append((e164, original, _squash(label)[:40]))
    return numbers


def _tags(rec: Incoming) -> list[tuple[str, str]] | str:
    """``(name, folded)`` of each distinct tag, or why one is refused."""
    tags: list[tuple[str, str]] = []
    for raw_tag in rec.tags:
        tag = _squash(raw_tag)
        if len(tag) > 80:
            return f"Tag '{tag[:20]}…' is longer than 80 characters"
        if tag and folded(tag) not in {key for _name, key in tags}:
            tags.append((tag, folded(tag)))
    return tags


def _notes(rec: Incoming) -> str:
    """The notes, with a line naming the related people (vCard RELATED) if any."""
    notes = usertext.clean(rec.notes, multiline=True)
    related = [_squash(r) for r in rec.related if r.strip()]
    if related:
        line = "Related: " + "; ".join(related)
        notes = f"{notes}\n{line}" if notes else line
    return notes


def _kept(rec: Incoming) -> dict[str, Any] | str:
    """Language, channel, stage and consent as the file gives them, or why one is refused."""
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
