"""The contact search index: FTS5 over folded names, organization, emails, phones, city.

SQLite's ``remove_diacritics`` does not fold Greek tonos or dialytika, so the
text is folded in Python (:func:`crm.core.text.fold`) before it is indexed,
and every query is folded the same way. The index is kept current by the
contact services (triggers could not call the Python folding function when the
file is opened by another program).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from crm.core.text import tokens

if TYPE_CHECKING:  # peewee is not loaded for the desktop app's first paint
    from peewee import Database, DatabaseProxy

    DatabaseLike = Database | DatabaseProxy

FTS_TABLE = "contact_fts"

# Only digits and the separators people put in phone numbers, with at least one digit.
_PHONE_QUERY_RE = re.compile(r"\+?[\d\s().\-/]*\d[\d\s().\-/]*")


def create_index(db: Database) -> None:
    db.execute_sql(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
        "body, tokenize = 'unicode61 remove_diacritics 0', prefix = '1 2 3')"
    )


def document(
    given: str,
    family: str,
    organization: str,
    emails: Iterable[str],
    phones: Iterable[str],
    city: str,
) -> str:
    """The folded text indexed for one contact."""
    parts: list[str] = [given, family, organization, city, *emails]
    for number in phones:
        digits = "".join(ch for ch in number if ch.isdigit())
        parts.append(digits)
        # Also without the country code, as people type local numbers.
        if number.startswith("+") and len(digits) > 8:
            for cc_len in (1, 2, 3):
                parts.append(digits[cc_len:])
    return " ".join(tokens(" ".join(p for p in parts if p)))


def match_expression(query: str) -> str:
    """Turn what the user typed into an FTS5 query: every word as a prefix, all required."""
    words = tokens(query)
    if _PHONE_QUERY_RE.fullmatch(query.strip()):
        # A phone number as people write it ("+30 210 324 1234", "(210) 324-1234")
        # is one number: the index holds its digits as one word.
        words = ["".join(words)]
    # Tokens hold only letters and digits, so quoting them is enough to keep
    # FTS5 syntax (AND, NEAR, *, ") out of the user's words.
    return " ".join(f'"{w}"*' for w in words)


def index_contacts(db: DatabaseLike, ids: Sequence[int]) -> None:
    """Recompute the index rows of the given contacts from the database."""
    if not ids:
        return
    placeholders = ",".join("?" for _ in ids)
    rows = db.execute_sql(
        f"""
        SELECT c.id, c.given_name, c.family_name, COALESCE(o.name, ''), c.city, c.archived,
               (SELECT group_concat(address, ' ') FROM email_address WHERE contact_id = c.id),
               (SELECT group_concat(number, ' ') FROM phone_number WHERE contact_id = c.id)
        FROM contact c LEFT JOIN organization o ON o.id = c.organization_id
        WHERE c.id IN ({placeholders})
        """,
        list(ids),
    ).fetchall()
    db.execute_sql(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({placeholders})", list(ids))
    cursor = db.cursor()
    cursor.executemany(
        f"INSERT INTO {FTS_TABLE}(rowid, body) VALUES (?, ?)",
        [
            (cid, document(g, f, org, (emails or "").split(), (phones or "").split(), city))
            for cid, g, f, org, city, _archived, emails, phones in rows
        ],
    )


def search_ids(
    db: DatabaseLike, query: str, limit: int = 50, include_archived: bool = False
) -> list[int]:
    """Ids of contacts matching ``query``, best first (FTS5 rank for longer queries).

    A one- or two-letter prefix matches a large part of a big database;
    ranking all of those would cost a full scan, so short queries return the
    first ``limit`` matches in the order they were added instead.
    """
    expr = match_expression(query)
    if not expr:
        return []
    archived = "" if include_archived else "AND c.archived = 0"
    order = "ORDER BY f.rank" if sum(len(w) for w in tokens(query)) >= 3 else ""
    rows = db.execute_sql(
        f"SELECT f.rowid FROM {FTS_TABLE} f JOIN contact c ON c.id = f.rowid "
        f"WHERE {FTS_TABLE} MATCH ? {archived} {order} LIMIT ?",
        (expr, limit),
    ).fetchall()
    return [r[0] for r in rows]
