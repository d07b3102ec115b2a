"""What every importer produces: one ``Incoming`` per contact found in a file.

The readers (vCard, CSV) only parse; they never touch the database. They turn
each card or row into an ``Incoming`` with the file's own line number, and
note what they could not read in ``problems``. crm.interchange.importer then
validates, matches against the database and writes, all in one transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(slots=True)
class Labelled:
    """An email address or phone number with the label its program gave it."""

    value: str
    label: str = ""  # "work", "home", "mobile", "iPhone", "Λοιπά"... as written


@dataclass(slots=True, frozen=True)
class FieldWarning:
    """One value of a record that did not validate: kept as typed, or left out, and reported."""

    line: int
    field: str  # "phone", "email", "birthday", a CSV column's name...
    value: str  # as the file has it
    reason: str

    def to_json(self) -> dict[str, object]:
        return {"line": self.line, "field": self.field, "value": self.value, "reason": self.reason}


@dataclass(slots=True)
class Incoming:
    """One contact as read from a file, before any validation.

    Strings are stripped; an empty string means "not given". ``line`` is the
    1-based line of the file where the card or row starts, for messages.
    """

    line: int
    given_name: str = ""
    family_name: str = ""
    # The whole name when the file has no separate parts (vCard FN alone,
    # a CSV "Name" column); the importer splits it with crm.core.text.
    full_name: str = ""
    organization: str = ""
    title: str = ""
    emails: list[Labelled] = field(default_factory=list)
    phones: list[Labelled] = field(default_factory=list)
    street: str = ""
    city: str = ""
    postcode: str = ""
    region: str = ""
    country: str = ""  # a name or a code as written; the importer maps it
    url: str = ""
    # ISO "YYYY-MM-DD" or "--MM-DD" (no year), already normalised by the reader.
    birthday: str = ""
    notes: str = ""
    tags: list[str] = field(default_factory=list)
    # Other people named by the card (vCard RELATED, X-ABRELATEDNAMES): kept
    # as a line in the notes, since they need not be contacts here.
    related: list[str] = field(default_factory=list)
    # When the user first connected (LinkedIn "Connected On").
    connected_on: dt.date | None = None
    # Only our own export carries these; None means "not in the file".
    language: str | None = None
    channel: str | None = None
    stage: str | None = None
    marketing_consent: bool | None = None
    consent_date: dt.date | None = None
    uid: str = ""  # vCard UID: our own export's matches its contact again
    # Reasons the reader could not read the record itself (a card not closed,
    # a row with too many cells). Any problem rejects the record with its line.
    problems: list[str] = field(default_factory=list)
    # Values the reader could not use (a consent that is not yes or no): the
    # record is imported without them and the report lists each one.
    warnings: list[FieldWarning] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        """True when there is nothing to identify a person by."""
        return not (
            self.given_name
            or self.family_name
            or self.full_name
            or self.organization
            or self.emails
            or self.phones
        )
