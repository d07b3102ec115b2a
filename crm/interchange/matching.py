"""Matching for the import engine: which contact each checked record goes to, and what it adds.

:class:`Matcher` works a chunk of records at a time: it looks up the keys the
chunk gives (emails, phones, folded name with organization, UIDs; kept in
crm.interchange.keys), loads the contacts they name, and decides in memory,
record by record, in file order: a new contact, or a stored one (or one made
from an earlier record) that gains what it lacks. Each
contact written to is a :class:`Target`; :class:`RowOutcome` says what happens
to one record. The rules are in crm.interchange.importer's docstring; nothing
here writes (crm.interchange.writing does).
"""

from __future__ import annotations

import datetime as dt
from array import array
from dataclasses import dataclass, field
from typing import Any

from crm.core import models
from crm.core import text as usertext
from crm.interchange import keys
from crm.interchange.cleaning import (
    ADDRESS_FIELDS,
    FIELDS,
    NAME_FIELDS,
    SINGLE_FIELDS,
    Clean,
    folded,
)
from crm.interchange.values import guess_language
from crm.interchange.vcard_out import uid

# History lines an import leaves (existing kinds, which the app words).
KIND_NEW = "created"
KIND_UPDATED = "updated"
KIND_CONNECTED = "note"
CONNECTED_SUMMARY = "Connected on LinkedIn"
CHANNEL = "other"
CHANNEL_CONNECTED = "social"

CHUNK = 500  # ids per IN (...) query and per search-index batch
_NAME_ONLY = "same name, nothing new"


@dataclass(slots=True)
class RowOutcome:
    """What happens (or would happen) to one record of the file."""

    line: int
    action: str  # "new", "update", "skip" or "reject"
    name: str
    reason: str = ""  # why it was rejected, or which contact it matched and how
    contact_id: int | None = None  # None in a plan for a contact not created yet
    changes: list[str] = field(default_factory=list)  # what a match adds


def _marks(items: list[Any]) -> str:
    return ",".join("?" * len(items))


def _agree(mine: str | None, theirs: str | None) -> bool:
    return not mine or not theirs or mine == theirs or folded(mine) == folded(theirs)


def note_lines(theirs: str, mine: str) -> list[str]:
    """The lines of ``mine`` (a record's notes) that the notes ``theirs`` lack, in order."""
    held = {folded(" ".join(line.split())) for line in theirs.splitlines()}
    lines: list[str] = []
    for line in mine.splitlines():
        key = folded(" ".join(line.split()))
        if key and key not in held:
            held.add(key)
            lines.append(line)
    return lines


def is_fax(label: str) -> bool:
    """Whether a phone's label says it is a fax (which many people of one office share)."""
    return "fax" in label.casefold()


def _is_company(fields: dict[str, Any], org: str) -> bool:
    """A contact that is an organization's card: no given name, the organization as family name."""
    return bool(org) and not fields["given_name"] and fields["family_name"] == org


class Target:
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
        "new_uids",
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
        self.new_uids: list[str] = []  # ids other programs gave it, to remember
        self.filled: list[str] = []  # fields of a stored contact the file fills
        self.language = ""
        self.channel = CHANNEL
        self.stage = "prospect"
        self.consent: tuple[bool, dt.date | None] = (False, None)

    @property
    def changed(self) -> bool:
        return bool(
            self.filled
            or self.new_emails
            or self.new_phones
            or self.new_tags
            or self.new_connected
            or self.new_uids
        )


class Matcher:
    """Matches a file chunk by chunk: what each chunk may match is looked up before it.

    The keys of the stored contacts and of what earlier chunks wrote are in
    temporary tables (crm.interchange.keys); :meth:`begin` reads those of one
    chunk's records into dictionaries and loads the contacts they name, the
    records are matched in memory (:meth:`outcome`), the writer writes the
    chunk, and :meth:`finish` adds what it wrote to the tables.
    """

    def __init__(self, db: Any, language: str, repeated: set[int]) -> None:
        self.db = db
        self.language = language
        # Hashes of the numbers and UIDs several records of the file give.
        self.repeated = repeated
        self.first_new = 0  # the id of the first contact the import made (0: none yet)
        self.new_lines = array("q")  # the line of the record that made each new contact
        self.begin([])

    def begin(self, rows: list[Clean]) -> None:
        """Look up what ``rows`` may match, and load those contacts; forget the last chunk."""
        self.by_email: dict[str, int | Target] = {}
        # None: a number that identifies nobody (several contacts hold it, or a fax).
        self.by_phone: dict[str, int | Target | None] = {}
        self.by_name: dict[tuple[str, str], list[int]] = {}
        self.by_uid: dict[str, int | Target] = {}
        # The ids other programs gave stored contacts (contact_uid); None: held by several.
        self.by_foreign: dict[str, int | None] = {}
        self.companies: set[int] = set()  # loaded contacts that are an organization's card
        self.stored: dict[int, Target] = {}
        self.new: list[Target] = []
        if rows:
            self._lookup(rows)

    def _lookup(self, rows: list[Clean]) -> None:
        db, execute = self.db, self.db.execute_sql
        hashed: dict[int, Any] = {keys.email_hash(k): k for row in rows for _a, k, _l in row.emails}
        for h, cid in keys.lookup(db, "tmp_import_key", hashed):
            self.by_email[hashed[h]] = cid
        uids = {row.uid for row in rows if row.uid}
        hashed = {keys.uid_hash(text): text for text in uids}
        for h, cid in keys.lookup(db, "tmp_import_key", hashed):
            self.by_uid[hashed[h]] = cid
        for batch in keys.batches(uids):
            for text, cid in execute(
                "SELECT u.uid, u.contact_id FROM contact_uid u JOIN contact c "
                f"ON c.id = u.contact_id WHERE c.erased_at IS NULL AND u.uid IN ({_marks(batch)})",
                batch,
            ).fetchall():
                self.by_foreign[text] = cid if self.by_foreign.get(text, cid) == cid else None
        numbers = {e164 for row in rows for e164, _o, _l in row.phones}
        for batch in keys.batches(numbers):
            for number, cid, label in execute(
                "SELECT number, contact_id, label FROM phone_number "
                f"WHERE number IN ({_marks(batch)}) ORDER BY contact_id DESC",
                batch,
            ).fetchall():
                held = self.by_phone.get(number, cid)
                self.by_phone[number] = None if held != cid or is_fax(label) else cid
        hashed = {
            keys.name_hash(row.name_key, row.org_key): (row.name_key, row.org_key) for row in rows
        }
        for h, cid in keys.lookup(db, "tmp_import_name", hashed):
            self.by_name.setdefault(hashed[h], []).append(cid)
        ids = {cid for ids in self.by_name.values() for cid in ids}
        for hits in (self.by_email, self.by_uid, self.by_foreign, self.by_phone):
            ids.update(hit for hit in hits.values() if isinstance(hit, int))
        self._load(sorted(ids))
        for key, hit in list(self.by_email.items()):
            if isinstance(hit, int) and key not in self.stored[hit].email_keys:
                del self.by_email[key]  # another key of the same hash

    def finish(self) -> None:
        """The chunk is written: its new keys go where the next chunks look them up."""
        for target in self.new:
            self.new_lines.append(target.line)
        pairs = [
            (keys.email_hash(key), hit.contact_id)
            for key, hit in self.by_email.items()
            if isinstance(hit, Target)
        ]
        pairs += [
            (keys.uid_hash(text), hit.contact_id)
            for text, hit in self.by_uid.items()
            if isinstance(hit, Target) and keys.uid_hash(text) in self.repeated
        ]
        keys.add(self.db.connection(), pairs)

    def _shared(self, e164: str) -> bool:
        """Whether several records of the file give the number."""
        return keys.phone_hash(e164) in self.repeated

    def _repeated_uid(self, text: str) -> bool:
        return keys.uid_hash(text) in self.repeated

    def _load(self, wanted: list[int]) -> None:
        """Load the stored contacts ``wanted``, a chunk of ids per query."""
        execute = self.db.execute_sql
        columns = ", ".join(f"c.{name}" for name in FIELDS)
        n = len(FIELDS)
        stored = self.stored
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            marks = _marks(chunk)
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
                target = stored[row[0]] = Target(row[0], 0, values)
                target.org, target.org_key, target.n_emails, target.n_phones = row[n + 1 :]
                if _is_company(values, target.org):
                    self.companies.add(row[0])
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

    def made_here(self, cid: int | None) -> bool:
        """Whether contact ``cid`` is one this import made (in an earlier chunk)."""
        return cid is not None and 0 < self.first_new <= cid

    def outcome(self, row: Clean) -> tuple[RowOutcome, Target]:
        """Match one record and apply it to its contact (in memory)."""
        target, why = self._match(row)
        if target is None:
            target = Target(None, row.line, dict(row.fields))
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
            if row.uid:
                self.by_uid.setdefault(row.uid, target)
            self._add_lists(target, row)
            self._remember_uid(target, row)
            return RowOutcome(row.line, "new", row.display), target
        if target.contact_id is None:
            why += f" as line {target.line}"
        elif self.made_here(target.contact_id):
            why += f" as line {self.new_lines[target.contact_id - self.first_new]}"
        else:
            why += f" as #{target.contact_id}"
        changes = self._add(target, row)
        if not why.startswith(_NAME_ONLY):  # a namesake's UID never becomes this contact's
            changes += self._remember_uid(target, row)
        action = "update" if changes else "skip"
        return RowOutcome(row.line, action, row.display, why, target.contact_id, changes), target

    def _match(self, row: Clean) -> tuple[Target | None, str]:
        """The contact ``row`` is, by UID, email or identifying phone; else None.

        A name alone never merges two records: a stored contact of the same
        name (and organization) is matched only when the record neither
        contradicts it nor adds anything to it (importing a file again).
        """
        hit: int | Target | None
        company = _is_company(row.fields, row.org)
        foreign = self.by_foreign.get(row.uid)
        if foreign is not None and not self._repeated_uid(row.uid):
            # An id another program gave, which an earlier import remembered for this contact
            # (one that several records or contacts share identifies nobody).
            return self._target(foreign), "same UID"
        if row.uid:
            hit = self.by_uid.get(row.uid)
            # Another database's export may give the same UID to someone else.
            if hit is not None and self._same_name(self._target(hit), row):
                return self._target(hit), "same UID"
        for address, key, _label in row.emails:
            hit = self.by_email.get(key)
            if hit is not None and self._company(hit) == company:
                return self._target(hit), f"same email {address}"
        for e164, _original, label in row.phones:
            hit = self.by_phone.get(e164)
            if hit is None or is_fax(label) or self._shared(e164):
                continue  # a fax, a switchboard, or a number several records share
            if self._company(hit) == company:
                return self._target(hit), f"same phone {e164}"
        for cid in self.by_name.get((row.name_key, row.org_key), ()):
            target = self.stored[cid]
            if not self._adds(target, row):
                return target, _NAME_ONLY
        return None, ""

    def _company(self, hit: int | Target) -> bool:
        if isinstance(hit, Target):
            return _is_company(hit.fields, hit.org)
        return hit in self.companies

    def _same_name(self, target: Target, row: Clean) -> bool:
        name = folded(f"{target.fields['given_name']} {target.fields['family_name']}".strip())
        return name == row.name_key

    def _adds(self, target: Target, row: Clean) -> bool:
        """Whether ``row`` contradicts ``target`` or gives it anything it lacks."""
        fields, values = target.fields, row.fields
        names = [name for name in FIELDS if name != "notes"]
        if any(values[name] and not _agree(fields[name], values[name]) for name in names):
            return True
        if any(values[name] and not fields[name] for name in names):
            return True
        if note_lines(fields["notes"], values["notes"]):
            return True
        return bool(
            any(key not in target.email_keys for _a, key, _l in row.emails)
            or any(e164 not in target.phone_keys for e164, _o, _l in row.phones)
            or any(key not in target.tag_keys for _n, key in row.tags)
            or (row.connected_on is not None and row.connected_on not in target.connected)
        )

    def _target(self, hit: int | Target) -> Target:
        return hit if isinstance(hit, Target) else self.stored[hit]

    def _add(self, target: Target, row: Clean) -> list[str]:
        """Give ``target`` what ``row`` has and it lacks; returns what was added."""
        fields, values = target.fields, row.fields
        filled: list[str] = []
        for group in (NAME_FIELDS, ADDRESS_FIELDS):
            if all(_agree(fields[name], values[name]) for name in group):
                filled += [name for name in group if values[name] and not fields[name]]
        filled += [name for name in SINGLE_FIELDS if values[name] and not fields[name]]
        for name in filled:
            fields[name] = values[name]
        if "notes" not in filled:
            # Notes it has already: the record's lines it lacks (unverified values too) follow.
            more = note_lines(fields["notes"], values["notes"])
            if more:
                notes = "\n".join([fields["notes"], *more])
                fields["notes"] = notes[: usertext.NOTES_LIMIT]
                filled.append("notes")
        if row.org and not target.org:
            target.org, target.org_key = row.org, row.org_key
            filled.append("organization")
        added = list(filled)
        if target.contact_id is not None:
            target.filled += filled
        if row.uid:
            self.by_uid.setdefault(row.uid, target)
        return added + self._add_lists(target, row)

    def _remember_uid(self, target: Target, row: Clean) -> list[str]:
        """Remember the record's UID (another program's) for its contact, once."""
        if not row.uid or row.uid in self.by_foreign or row.uid in target.new_uids:
            return []
        if self._repeated_uid(row.uid):
            return []  # several records give it: it tells no one apart
        if target.contact_id is not None and row.uid == uid(target.contact_id):
            return []  # our own export's UID of this very contact
        target.new_uids.append(row.uid)
        return [f"UID {row.uid}"]

    def _add_lists(self, target: Target, row: Clean) -> list[str]:
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
            if e164 in target.phone_keys:
                continue
            # A number that identifies one person stays that person's; a shared one is everyone's.
            shared = is_fax(label) or self._shared(e164)
            owner = self.by_phone.get(e164, target)
            if not shared and owner not in (None, target, target.contact_id):
                continue
            target.phone_keys.add(e164)
            target.new_phones.append((e164, original, label))
            known = e164 in self.by_phone
            self.by_phone[e164] = None if shared or (known and owner is None) else target
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
