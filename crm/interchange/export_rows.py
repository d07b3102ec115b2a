"""The rows of a contacts export, streamed: ordered cursors merged in one pass.

An export of every contact reads one query per table (contacts; their emails,
phones and tags; the UIDs other programs gave them), each ordered the same way
(by name, then id; the children then by their own order), and merges them as
it goes, as a merge-join would: nothing is held but the current contact's
rows, so memory stays flat whatever the size of the database. The rows are
plain tuples from the cursors, never model objects.

Each query is read as it goes (crm.core.streams: on PostgreSQL a server-side
cursor read a batch at a time). Callers run inside
:func:`crm.core.db.read_snapshot`, so every cursor sees the same snapshot.

A chosen list of ids is read a chunk at a time, in the order given.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from crm.core.streams import rows as stream

# Columns of a contact row (CONTACT_SQL), by position.
ID, GIVEN, FAMILY, ORG, TITLE, STREET, CITY, POSTCODE, REGION, COUNTRY = range(10)
LANGUAGE, BIRTHDAY, CHANNEL, STAGE, CONSENT, CONSENT_DATE, URL, NOTES = range(10, 18)
CADENCE, LAST_ASKED, CREATED = range(18, 21)

CONTACT_SQL = (
    "SELECT c.id, c.given_name, c.family_name, o.name, c.title, c.street, c.city, c.postcode, "
    "c.region, c.country, c.language, c.birthday, c.channel, c.stage, c.marketing_consent, "
    "c.consent_date, c.url, c.notes, c.stay_in_touch_days, c.last_asked_for_referral, "
    "c.created_at FROM contact c LEFT JOIN organization o ON o.id = c.organization_id "
    "WHERE {where} ORDER BY {order}"
)
# Each child row starts with its contact's id; ``{order}`` is the contacts' order.
EMAIL_SQL = (
    "SELECT c.id, e.address, e.label FROM contact c JOIN email_address e ON e.contact_id = c.id "
    "WHERE {where} ORDER BY {order}, e.position, e.id"
)
PHONE_SQL = (
    "SELECT c.id, p.number, p.label FROM contact c JOIN phone_number p ON p.contact_id = c.id "
    "WHERE {where} ORDER BY {order}, p.position, p.id"
)
# Our CSV lists tags as the tag list sorts them (folded); the vCard by name.
TAG_SQL = (
    "SELECT c.id, t.name FROM contact c JOIN contact_tag ct ON ct.contact_id = c.id "
    "JOIN tag t ON t.id = ct.tag_id WHERE {where} ORDER BY {order}, {tag_order}"
)
TAGS_FOLDED = "t.folded, t.name"
TAGS_BY_NAME = "t.name"
UID_SQL = (
    "SELECT c.id, u.uid FROM contact c JOIN contact_uid u ON u.contact_id = c.id "
    "WHERE {where} ORDER BY {order}, u.id"
)

# Contacts an export writes by default: in use, and not erased, by name.
IN_USE = "c.archived = ? AND c.erased_at IS NULL"
IN_USE_PARAMS: tuple[Any, ...] = (False,)
BY_NAME = "c.family_name, c.given_name, c.id"
CHUNK = 500

# A contact's emails, phones, tags, UIDs: its child rows, (contact id, value[, label]).
Record = tuple[tuple[Any, ...], list[Any], list[Any], list[Any], list[Any]]


class _Children:
    """One child cursor of the merge: the rows of each contact, in the contacts' order."""

    __slots__ = ("head", "rows")

    def __init__(self, rows: Iterable[tuple[Any, ...]]) -> None:
        self.rows = iter(rows)
        self.head = next(self.rows, None)

    def of(self, contact_id: int) -> list[Any]:
        head = self.head
        if head is None or head[0] != contact_id:
            return []
        out = []
        rows = self.rows
        while head is not None and head[0] == contact_id:
            out.append(head)
            head = next(rows, None)
        self.head = head
        return out


def merged(
    where: str, params: Sequence[Any], order: str, tag_order: str, uids: bool
) -> Iterator[Record]:
    """Each contact ``where`` selects in ``order``, with its emails, phones, tags (and UIDs)."""
    fill = {"where": where, "order": order, "tag_order": tag_order}
    emails = _Children(stream(EMAIL_SQL.format(**fill), params))
    phones = _Children(stream(PHONE_SQL.format(**fill), params))
    tags = _Children(stream(TAG_SQL.format(**fill), params))
    others = _Children(stream(UID_SQL.format(**fill), params) if uids else ())
    for row in stream(CONTACT_SQL.format(**fill), params):
        cid = row[0]
        yield row, emails.of(cid), phones.of(cid), tags.of(cid), others.of(cid)
    if any(c.head is not None for c in (emails, phones, tags, others)):
        # The cursors disagreed on the order (a bug): never write a file missing rows.
        raise RuntimeError("export cursors came in different orders")


def every_contact(tag_order: str, uids: bool = False) -> Iterator[Record]:
    """Every contact in use (neither archived nor erased), by name."""
    return merged(IN_USE, IN_USE_PARAMS, BY_NAME, tag_order, uids)


def count_in_use() -> int:
    from crm.core import models

    sql = models.placeholders(f"SELECT count(*) FROM contact c WHERE {IN_USE}")
    (total,) = models.database_proxy.execute_sql(sql, list(IN_USE_PARAMS)).fetchone()
    return int(total)


def chosen(ids: Sequence[int], tag_order: str, uids: bool = False) -> Iterator[Record]:
    """The contacts of ``ids`` (checked by the caller) in that order, a chunk at a time."""
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        marks = ",".join("?" * len(chunk))
        found = {r[0][0]: r for r in merged(f"c.id IN ({marks})", chunk, "c.id", tag_order, uids)}
        yield from (found[i] for i in chunk if i in found)
