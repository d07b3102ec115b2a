"""Erasing a person under the GDPR; their consent and a copy of their data: crm.core.privacy.

:func:`erase` removes the person's identity from every table in one
transaction while keeping what statistics count:

- the contact row stays (archived, ``erased_at`` set) with every identifying
  field blank and the name "Erased person"; its channel and stage stay, as
  the dashboard counts referrals by the referred person's channel;
- emails, phones, tag links and the person's follow-ups are deleted; the
  person's history lines keep their kind, date and links (the counts) but
  lose their text;
- referrals (ids, status, value, dates), rewards, vouchers and attendance
  stay; the notes of referrals the person received are blanked;
- everything else we wrote that names them is scrubbed to ``[erased]``: other
  people's history lines ("Referred Maria Papadopoulou"), follow-up titles and
  notes, referral notes and self-referral flags (which quote an email or
  phone), reward notes, other contacts' notes, events, organization notes,
  and the snapshots of earlier merges. Rows linked to the person by id (a
  referral they gave or received, a voucher they held or redeemed) lose each
  of their name words; other rows lose their full name, emails and phones
  (case, accents and Greek tonos ignored), so a different person who shares a
  first name keeps it;
- merges of the person can no longer be undone (their records held the
  person's data) and are deleted; an organization only they belonged to that
  is named after them is deleted, and so is an unused tag that names them;
- the search index forgets them, and on SQLite the freed pages are
  overwritten (``secure_delete``) and the write-ahead log is truncated, so
  the old text is not left in the file. Backups made before the erasure still
  hold the person until they rotate out: the result says so.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from crm.core import interactions, models, rule_lines, search
from crm.core.contacts import get_contact
from crm.core.errors import ValidationError
from crm.core.rule_lines import line
from crm.core.text import fold

db = models.database_proxy

ERASED_NAME = "Erased person"
REDACTED = "[erased]"
# Words of a name too short or too common to scrub on their own.
_PARTICLES = frozenset(
    "al abu bin ibn da das de dei degli del della dello der di dos du el la le van von".split()  # noqa: SIM905
)


# -- finding the person in text --------------------------------------------------------


@functools.cache
def _fold_table() -> dict[int, str]:
    """One character for one: every Latin, Greek and Cyrillic letter to its folded form.

    Folding text with ``str.translate`` keeps its length, so a match found in the
    folded text is at the same place in the original.
    """
    table: dict[int, str] = {}
    for start, end in ((0x41, 0x250), (0x370, 0x530), (0x1E00, 0x2000)):
        for code in range(start, end):
            ch = chr(code)
            folded = fold(ch)
            if ch.isalpha() and len(folded) == 1 and folded != ch:
                table[code] = folded
    return table


def _folded(text: str) -> str:
    """``text`` folded letter for letter (same length: matches map back to the original)."""
    if text.isascii():
        return text.lower()  # the same as the table does, much faster
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text.translate(_fold_table())


_MARKS = re.compile("[\u0300-\u036f\u0483-\u0489]")


def _quick(text: str) -> str:
    """``text`` folded as crm.core.text.fold does, in C calls only (to search, not to edit)."""
    if text.isascii():
        return text.lower()
    return _MARKS.sub("", unicodedata.normalize("NFKD", text.casefold()))


def _words_pattern(text: str, folding: Callable[[str], str]) -> str:
    words = [re.escape(folding(w)) for w in text.replace(",", " ").split()]
    return r"(?<!\w)" + r"[\s,]+".join(words) + r"(?!\w)"


def loose_pattern(text: str) -> str:
    """A regex, over folded text, for ``text`` as whole words (case and accents ignored)."""
    return _words_pattern(text, _folded)


class Scrubber:
    """Replaces a person's emails, phones and names in text with ``[erased]``.

    Text is matched folded (case, accents and Greek tonos ignored). Searching
    folds with C calls only and first looks for any word of the person's at
    all, fast enough for every history line of a large database; replacing
    folds letter for letter, so what matched is cut from the text as written.
    """

    def __init__(
        self, literals: Iterable[str], phrases: Iterable[str], words: Iterable[str] = ()
    ) -> None:
        literals = sorted({x for x in literals if x}, key=len, reverse=True)
        names = [
            x
            for group in (phrases, words)
            for x in sorted({x for x in group if x.strip()}, key=len, reverse=True)
        ]
        self.pattern: re.Pattern[str] | None = None
        self.search: re.Pattern[str] | None = None
        self.anchors: re.Pattern[str] | None = None
        if not literals and not names:
            return

        def build(folding: Callable[[str], str]) -> re.Pattern[str]:
            # Longest first: an email goes whole before the name inside it.
            alternatives = [re.escape(folding(x)) for x in literals]
            alternatives += [_words_pattern(x, folding) for x in names]
            return re.compile("|".join(alternatives))

        self.pattern = build(_folded)
        self.search = build(_quick)
        # Every match holds one of these; most text is passed over on them alone.
        anchors = {_quick(x) for x in literals}
        anchors |= {_quick(w) for x in names for w in x.replace(",", " ").split()}
        self.anchors = re.compile("|".join(re.escape(a) for a in sorted(anchors)))

    def found(self, text: str | None) -> bool:
        if not text or self.search is None or self.anchors is None:
            return False
        quick = _quick(text)
        return bool(self.anchors.search(quick) and self.search.search(quick))

    def scrub(self, text: str) -> str:
        if not text or self.pattern is None:
            return text
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
        out, last = [], 0
        for match in self.pattern.finditer(_folded(text)):
            out += [text[last : match.start()], REDACTED]
            last = match.end()
        return "".join(out) + text[last:] if out else text


def _identity(contact: models.Contact) -> tuple[list[str], list[str], list[str]]:
    """(emails and phones, full-name phrases, name words) of a contact."""
    literals: list[str] = [contact.email, contact.phone]
    e, p = models.ContactEmail, models.ContactPhone
    literals += [a for (a,) in models.rows(e.select(e.address).where(e.contact == contact.id))]
    for number, original in models.rows(
        p.select(p.number, p.original).where(p.contact == contact.id)
    ):
        literals += [number, original, number.lstrip("+")]
    given, family = contact.given_name.strip(), contact.family_name.strip()
    phrases = [" ".join(p for p in (given, family) if p)]
    if given and family:
        phrases += [f"{family} {given}", f"{family}, {given}"]
    words = [
        w
        for w in re.split(r"[\s\-]+", f"{given} {family}")
        if len(w) >= 3 and w.casefold() not in _PARTICLES
    ]
    return [x for x in literals if x and len(x) >= 5], phrases, words


# Free-text columns outside the person's own rows, by table: (table, columns, link).
# ``link`` says how a row is tied to a person by id: via a referral or a voucher.
_TEXT_COLUMNS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("interaction", ("summary", "message"), "referral_voucher"),
    ("follow_up", ("title", "notes", "message"), "referral"),
    ("referral", ("notes", "suspicion"), "self"),
    ("reward", ("notes",), "reward"),
    ("contact", ("notes",), ""),
    ("event", ("title", "organizer", "notes"), ""),
    ("organization", ("notes",), ""),
)


def _ids(sql: str, params: Sequence[Any]) -> set[int]:
    return {int(r[0]) for r in db.execute_sql(models.placeholders(sql), list(params)).fetchall()}


def _scrub_table(
    table: str,
    columns: tuple[str, ...],
    link: str,
    person: int,
    refs: set[int],
    vouchers: set[int],
    linked: Scrubber,
    general: Scrubber,
) -> int:
    """Scrub one table's text columns; returns the number of rows changed."""
    extra = {
        "referral_voucher": ", referral_id, voucher_id, contact_id",
        "referral": ", referral_id, NULL, contact_id",
        "self": ", id, NULL, NULL",
        "reward": ", referral_id, NULL, contact_id",
        "": ", NULL, NULL, NULL",
    }[link]
    filled = " OR ".join(f"{c} != ''" for c in columns)
    sql = f"SELECT id, {', '.join(columns)}{extra} FROM {table} WHERE ({filled})"
    params: list[Any] = []
    if table == "contact":
        sql += " AND id != ?"
        params.append(person)
    changes: list[list[Any]] = []
    for row in db.execute_sql(models.placeholders(sql), params).fetchall():
        rid, texts, (ref, voucher, owner) = (
            row[0],
            row[1 : 1 + len(columns)],
            row[1 + len(columns) :],
        )
        tied = (
            (ref is not None and ref in refs)
            or (voucher is not None and voucher in vouchers)
            or (link == "reward" and owner == person)
        )
        scrubber = linked if tied else general
        if not any(scrubber.found(t) for t in texts):
            continue
        changes.append(
            [*(_scrub(scrubber, c, t) for c, t in zip(columns, texts, strict=True)), rid]
        )
    if changes:
        sets = ", ".join(f"{c} = ?" for c in columns)
        cursor = db.cursor()
        cursor.executemany(models.placeholders(f"UPDATE {table} SET {sets} WHERE id = ?"), changes)
    return len(changes)


def _scrub(scrubber: Scrubber, column: str, text: str | None) -> str | None:
    """A text column scrubbed; a rule's line (``message``) keeps its shape, its params scrubbed."""
    if column != "message":
        return scrubber.scrub(text or "")
    if text is None:
        return None
    message = rule_lines.parse(text)
    if message is None:
        return scrubber.scrub(text)

    def clean(value: Any) -> Any:
        if isinstance(value, str):
            return scrubber.scrub(value)
        if isinstance(value, list):
            return [clean(v) for v in value]
        if isinstance(value, dict):
            return {k: (v if k == "code" else clean(v)) for k, v in value.items()}
        return value

    return json.dumps(clean(message), ensure_ascii=False, separators=(",", ":"))


def _is_sqlite() -> bool:
    from peewee import SqliteDatabase

    return isinstance(db.obj, SqliteDatabase)


def erase(contact_id: int) -> dict[str, Any]:
    """Erase a person's identity from every table, keeping anonymous statistics.

    See the module docstring for what goes and what stays. Returns counts of
    what was ``erased`` and ``kept``, and a ``note`` about older backups.
    """
    sqlite = _is_sqlite()
    if sqlite:
        previous = db.execute_sql("PRAGMA secure_delete").fetchone()[0]
        db.execute_sql("PRAGMA secure_delete = ON")
    try:
        result = _erase(contact_id)
    finally:
        if sqlite:
            db.execute_sql(f"PRAGMA secure_delete = {int(previous)}")
    if sqlite and db.transaction_depth() == 0:
        # Old pages in the write-ahead log would still hold the text.
        db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return result


def _erase(contact_id: int) -> dict[str, Any]:
    with db.atomic():
        contact = get_contact(contact_id)
        if contact.erased_at is not None:
            raise ValidationError(
                code="erasure.contact_already_erased",
                contact_id=contact_id,
                as_date=models.as_date(contact.erased_at),
            )
        literals, phrases, words = _identity(contact)
        general = Scrubber(literals, phrases)
        linked = Scrubber(literals, phrases, words)
        person = [contact_id]
        refs = _ids(
            "SELECT id FROM referral WHERE giver_id = ? OR referred_id = ? OR receiver_id = ?",
            [contact_id] * 3,
        )
        vouchers = _ids(
            "SELECT id FROM voucher WHERE holder_id = ? OR redeemed_by_id = ?", [contact_id] * 2
        )
        erased: dict[str, Any] = {}

        def run(key: str, sql: str, params: Sequence[Any]) -> None:
            erased[key] = int(db.execute_sql(models.placeholders(sql), list(params)).rowcount or 0)

        run("emails", "DELETE FROM email_address WHERE contact_id = ?", person)
        run("phones", "DELETE FROM phone_number WHERE contact_id = ?", person)
        run("uids", "DELETE FROM contact_uid WHERE contact_id = ?", person)
        tag_ids = _ids("SELECT tag_id FROM contact_tag WHERE contact_id = ?", person)
        run("tags", "DELETE FROM contact_tag WHERE contact_id = ?", person)
        run("followups", "DELETE FROM follow_up WHERE contact_id = ?", person)
        run(
            "history_texts",
            "UPDATE interaction SET summary = '', message = NULL "
            "WHERE contact_id = ? AND (summary != '' OR message IS NOT NULL)",
            person,
        )
        run(
            "referral_notes",
            "UPDATE referral SET notes = '' WHERE referred_id = ? AND notes != ''",
            person,
        )
        run(
            "merge_records",
            "DELETE FROM merge_record WHERE kept_id = ? OR removed_id = ?",
            [contact_id] * 2,
        )
        scrubbed = 0
        for table, columns, link in _TEXT_COLUMNS:
            scrubbed += _scrub_table(
                table, columns, link, contact_id, refs, vouchers, linked, general
            )
        scrubbed += _scrub_snapshots(general)
        erased["mentions_scrubbed"] = scrubbed
        erased["unused_tags"] = _drop_tags(tag_ids, linked)
        org_id = contact.organization_id
        erased_at = _blank(contact)
        erased["organization"] = _drop_organization(org_id, linked)
        search.index_contacts(db, person)
        if _is_sqlite():
            # Merge the index's segments so the old words are gone from them, not just hidden.
            db.execute_sql(f"INSERT INTO {search.FTS_TABLE}({search.FTS_TABLE}) VALUES('optimize')")
        interactions.log(contact_id, "updated", line("history.erased"))
        kept = {
            "referrals": len(refs),
            "vouchers": len(vouchers),
            "rewards": _count("reward", "contact_id", contact_id),
            "attendance": _count("attendance", "contact_id", contact_id),
            "history_lines": _count("interaction", "contact_id", contact_id),
        }
        return {
            "contact_id": contact_id,
            "erased_at": erased_at.isoformat(sep=" "),
            "erased": erased,
            "kept": kept,
            "note": "Backups made before the erasure still hold this person's data until "
            "they rotate out.",
        }


def _count(table: str, column: str, contact_id: int) -> int:
    sql = models.placeholders(f"SELECT count(*) FROM {table} WHERE {column} = ?")
    return int(db.execute_sql(sql, [contact_id]).fetchone()[0])


def _blank(contact: models.Contact) -> dt.datetime:
    contact.given_name = ERASED_NAME
    contact.family_name = ""
    contact.organization = None
    for name in ("title", "email", "phone", "street", "city", "postcode", "region", "country"):
        setattr(contact, name, "")
    contact.notes = ""
    contact.url = ""
    contact.birthday = None
    contact.marketing_consent = False
    contact.consent_date = None
    contact.last_asked_for_referral = None
    contact.stay_in_touch_days = None
    contact.archived = True
    contact.erased_at = stamp = models.now()
    contact.save()
    return stamp


def _scrub_snapshots(general: Scrubber) -> int:
    changes = []
    for mid, snapshot in db.execute_sql("SELECT id, snapshot FROM merge_record").fetchall():
        if general.found(snapshot):
            changes.append([general.scrub(snapshot), mid])
    if changes:
        db.cursor().executemany(
            models.placeholders("UPDATE merge_record SET snapshot = ? WHERE id = ?"), changes
        )
    return len(changes)


def _drop_tags(tag_ids: set[int], linked: Scrubber) -> int:
    dropped = 0
    for tag_id in sorted(tag_ids):
        row = models.Tag.get_or_none(models.Tag.id == tag_id)
        used = models.ContactTag.select().where(models.ContactTag.tag == tag_id).exists()
        if row is not None and not used and linked.found(row.name):
            row.delete_instance()
            dropped += 1
    return dropped


def _drop_organization(org_id: int | None, linked: Scrubber) -> bool:
    """Delete the person's organization when nobody else is in it and it is named after them."""
    if org_id is None:
        return False
    org = models.Organization.get_or_none(models.Organization.id == org_id)
    if org is None:
        return False
    if models.Contact.select().where(models.Contact.organization == org_id).exists():
        return False
    if not (linked.found(org.name) or linked.found(org.notes)):
        return False
    org.delete_instance()
    return True
