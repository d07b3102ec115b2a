"""Writing for the import engine: what the matcher decided, in bulk, inside one transaction.

:class:`Writer` creates the organizations and tags the file names, inserts the
new contacts with their emails, phones, tags and history lines, fills the empty
fields of matched ones, and keeps the search index in step, with
``executemany`` on the raw SQLite connection; the new contacts' search-index
rows are the core's (:func:`crm.core.search.index_new_contacts`).
"""

from __future__ import annotations

from typing import Any

from crm.core import postgres, search
from crm.core.rule_lines import Line, line, pair, term
from crm.interchange import keys
from crm.interchange.cleaning import FIELDS
from crm.interchange.matching import (
    CHUNK,
    KIND_CONNECTED,
    KIND_NEW,
    KIND_UPDATED,
    Matcher,
    Target,
)
from crm.interchange.vcard_out import uid

# The dated note a LinkedIn connection leaves; re-imports look for its English text
# (CONNECTED_SUMMARY).
_CONNECTED = pair("history.connected_linkedin")

_INSERT_CONTACT = (
    "INSERT INTO contact (id, created_at, updated_at, given_name, family_name, organization_id, "
    "title, email, phone, street, city, postcode, region, country, language, birthday, channel, "
    "stage, marketing_consent, consent_date, notes, archived, url) "
    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,FALSE,?)"
)
_INSERT_EMAIL = (
    "INSERT INTO email_address (created_at, updated_at, contact_id, address, label, position) "
    "VALUES (?,?,?,?,?,?)"
)
_INSERT_PHONE = (
    "INSERT INTO phone_number (created_at, updated_at, contact_id, number, original, label, "
    "position) VALUES (?,?,?,?,?,?,?)"
)


class Writer:
    """Writes what the matcher decided, in bulk, inside the caller's transaction."""

    def __init__(self, db: Any, matcher: Matcher, source: str, stamp: str) -> None:
        self.db = db
        self.conn = db.connection()
        self.matcher = matcher
        self.stamp = stamp  # the same for every chunk of one import
        said = pair("history.imported_from", source=source) if source else pair("history.imported")
        self.summary, self.message = said
        self.source = source
        self.emails: list[tuple[Any, ...]] = []
        self.phones: list[tuple[Any, ...]] = []
        self.links: list[tuple[int, int]] = []
        self.history: list[tuple[Any, ...]] = []
        self.uids: list[tuple[Any, ...]] = []

    def _added(self, fields: list[str]) -> Line:
        """The line on a stored contact the file filled: the fields it added."""
        names = [term("contact_field", name) for name in fields]
        if self.source:
            return line("history.imported_from_added", source=self.source, fields=names)
        return line("history.imported_added", fields=names)

    def _next_id(self, table: str) -> int:
        return int(self.conn.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()[0])

    def write(self) -> tuple[list[int], list[int]]:
        conn, matcher = self.conn, self.matcher
        changed = [t for t in matcher.stored.values() if t.changed]
        self._organizations_and_tags([*matcher.new, *changed])
        base = self._next_id("contact")
        new_ids = self._new_contacts(base)
        updated_ids = self._stored_contacts(changed)
        conn.executemany(_INSERT_EMAIL, self.emails)
        conn.executemany(_INSERT_PHONE, self.phones)
        conn.executemany(
            "INSERT INTO contact_uid (created_at, updated_at, contact_id, uid) VALUES (?,?,?,?)",
            self.uids,
        )
        conn.executemany(
            "INSERT INTO contact_tag (contact_id, tag_id) VALUES (?,?) ON CONFLICT DO NOTHING",
            self.links,
        )
        conn.executemany(
            "INSERT INTO interaction (contact_id, kind, happened_at, summary, message) "
            "VALUES (?,?,?,?,?)",
            self.history,
        )
        # Search rows of new contacts from the values at hand; stored ones recomputed.
        search.index_new_contacts(
            conn,
            base,
            (
                (
                    cid,
                    t.fields["given_name"],
                    t.fields["family_name"],
                    t.org,
                    [address for address, _label in t.new_emails],
                    [number for number, _original, _label in t.new_phones],
                    t.fields["city"],
                )
                for cid, t in zip(new_ids, matcher.new, strict=True)
            ),
        )
        changed_ids = [t.contact_id for t in changed if t.contact_id is not None]
        for start in range(0, len(changed_ids), CHUNK):
            search.index_contacts(self.db, changed_ids[start : start + CHUNK])
        # The ids above were given here: PostgreSQL's sequences must follow.
        postgres.move_sequences(self.db, ("contact", "organization", "tag"))
        return new_ids, updated_ids

    def _organizations_and_tags(self, targets: list[Target]) -> None:
        """Create the organizations and tags the file names that do not exist yet."""
        conn, stamp = self.conn, self.stamp
        orgs = {target.org_key for target in targets if target.org_key}
        tags = {key for target in targets for _name, key in target.new_tags}
        self.org_ids: dict[str, int] = {}
        self.tag_ids: dict[str, int] = {}
        for batch in keys.batches(orgs):
            # The oldest of a folded name, as crm.core.organizations.find_by_name picks.
            self.org_ids.update(
                self.db.execute_sql(
                    "SELECT name_folded, min(id) FROM organization "
                    f"WHERE name_folded IN ({','.join('?' * len(batch))}) GROUP BY name_folded",
                    batch,
                ).fetchall()
            )
        for batch in keys.batches(tags):
            self.tag_ids.update(
                self.db.execute_sql(
                    f"SELECT folded, id FROM tag WHERE folded IN ({','.join('?' * len(batch))})",
                    batch,
                ).fetchall()
            )
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

    def _children(self, cid: int, target: Target) -> None:
        """Email, phone, tag and history rows of what ``target`` gains."""
        stamp = self.stamp
        for pos, (address, label) in enumerate(target.new_emails, target.n_emails):
            self.emails.append((stamp, stamp, cid, address, label, pos))
        for pos, (e164, original, label) in enumerate(target.new_phones, target.n_phones):
            self.phones.append((stamp, stamp, cid, e164, original, label, pos))
        self.links += [(cid, self.tag_ids[key]) for _name, key in target.new_tags]
        # Our own export's UID of this contact needs no remembering: it is derived from its id.
        self.uids += [(stamp, stamp, cid, u) for u in target.new_uids if u != uid(cid)]
        for day in target.new_connected:
            self.history.append((cid, KIND_CONNECTED, f"{day} 00:00:00", *_CONNECTED))

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
            self.history.append((cid, KIND_NEW, stamp, self.summary, self.message))
            self._children(cid, target)
        self.conn.executemany(_INSERT_CONTACT, rows)
        return ids

    def _stored_contacts(self, targets: list[Target]) -> list[int]:
        """Fill the empty fields of matched contacts, grouped by the columns they set."""
        updates: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
        ids = []
        for target in targets:
            cid = target.contact_id
            assert cid is not None
            # A contact an earlier chunk made: its history says it was imported.
            here = self.matcher.made_here(cid)
            if not here:
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
            if what and not here:
                added = self._added(what)
                self.history.append(
                    (cid, KIND_UPDATED, self.stamp, added.english(), added.stored())
                )
        for names, rows in updates.items():
            sets = "".join(f"{name} = ?, " for name in names)
            self.conn.executemany(f"UPDATE contact SET {sets}updated_at = ? WHERE id = ?", rows)
        return ids
