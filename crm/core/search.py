"""The contact search index: FTS5 over folded names, organization, emails, phones, city.

SQLite's ``remove_diacritics`` does not fold Greek tonos or dialytika, so the
text is folded in Python (:func:`crm.core.text.fold`) before it is indexed,
and every query is folded the same way. The index is kept current by the
contact services (triggers could not call the Python folding function when the
file is opened by another program).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from crm.core.db import is_postgres
from crm.core.text import tokens

if TYPE_CHECKING:  # peewee is not loaded for the desktop app's first paint
    from peewee import Database, DatabaseProxy

    DatabaseLike = Database | DatabaseProxy

FTS_TABLE = "contact_fts"

# Only digits and the separators people put in phone numbers, with at least one digit.
_PHONE_QUERY_RE = re.compile(r"\+?[\d\s().\-/]*\d[\d\s().\-/]*")


def create_index(db: Database) -> None:
    """The index table: FTS5 on SQLite; on PostgreSQL a table of folded words.

    On PostgreSQL each contact's folded words become a ``tsvector`` as they
    are (``array_to_tsvector``: no text-search parser or dictionary touches
    them, so the words are exactly SQLite's), with a GIN index that answers
    prefix queries (``'word':*``). Measured against a ``pg_trgm`` GIN index on
    the same text (``LIKE '% word%'``) at 100,000 contacts: as fast or faster
    for one to five letters, a third of the index size, ranked, and no
    extension to install.
    """
    if is_postgres(db):
        db.execute_sql(
            f"CREATE TABLE IF NOT EXISTS {FTS_TABLE} ("
            "rowid INTEGER PRIMARY KEY, body TEXT NOT NULL, "
            "words tsvector GENERATED ALWAYS AS "
            "(array_to_tsvector(array_remove(string_to_array(body, ' '), ''))) STORED)"
        )
        db.execute_sql(
            f"CREATE INDEX IF NOT EXISTS {FTS_TABLE}_words ON {FTS_TABLE} USING gin (words)"
        )
        return
    db.execute_sql(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
        "body, tokenize = 'unicode61 remove_diacritics 0', prefix = '1 2 3')"
    )


# Words as crm.core.text.tokens splits them; for ASCII, folding is lower().
_ASCII_WORD_RE = re.compile(r"[a-z0-9]+")


def _folded_words(text: str) -> str:
    if text.isascii():
        return " ".join(_ASCII_WORD_RE.findall(text.lower()))
    return " ".join(tokens(text))


# Names, organizations and cities repeat: their words are remembered.
_words = functools.lru_cache(maxsize=1 << 16)(_folded_words)


def document(
    given: str,
    family: str,
    organization: str,
    emails: Iterable[str],
    phones: Iterable[str],
    city: str,
) -> str:
    """The folded text indexed for one contact.

    Its words, then each phone number's digits (also without the country code,
    as people type local numbers). Folding each part apart gives the words
    folding the whole would; names repeat, so theirs are remembered, which
    keeps bulk writers (the import, the demo) fast on this one rule.
    """
    parts = [_words(text) for text in (given, family, organization, city) if text]
    parts += [_folded_words(address) for address in emails]
    for number in phones:
        digits = number[1:]
        if number[:1] == "+" and digits.isascii() and digits.isdigit():
            # E.164, as numbers are stored: the digits are already words.
            parts.append(digits)
            if len(digits) > 8:
                parts += (digits[1:], digits[2:], digits[3:])
            continue
        digits = "".join(ch for ch in number if ch.isdigit())
        parts.append(" ".join(tokens(digits)))
        if number.startswith("+") and len(digits) > 8:
            parts += (" ".join(tokens(digits[cc_len:])) for cc_len in (1, 2, 3))
    return " ".join(p for p in parts if p)


def query_words(query: str) -> list[str]:
    """The folded words of what the user typed, each to be matched as a prefix."""
    words = tokens(query)
    if words and _PHONE_QUERY_RE.fullmatch(query.strip()):
        # A phone number as people write it ("+30 210 324 1234", "(210) 324-1234")
        # is one number: the index holds its digits as one word.
        words = ["".join(words)]
    return words


def match_expression(query: str, postgres: bool = False) -> str:
    """Turn what the user typed into an FTS5 query: every word as a prefix, all required.

    With ``postgres`` the same as a ``tsquery`` (``'word':* & ...``).
    """
    return _expression(query_words(query), postgres)


def _expression(words: list[str], postgres: bool) -> str:
    # Tokens hold only letters and digits, so quoting them is enough to keep
    # FTS5 syntax (AND, NEAR, *, ") and tsquery syntax out of the user's words.
    if postgres:
        return " & ".join(f"'{w}':*" for w in words)
    return " ".join(f'"{w}"*' for w in words)


def matching_ids_sql(postgres: bool) -> str:
    """``SELECT rowid FROM`` the index ``WHERE`` it matches the one parameter (an expression)."""
    if postgres:
        return f"SELECT rowid FROM {FTS_TABLE} WHERE words @@ CAST(? AS tsquery)"
    return f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?"


def index_contacts(db: DatabaseLike, ids: Sequence[int]) -> None:
    """Recompute the index rows of the given contacts from the database."""
    if not ids:
        return
    placeholders = ",".join("?" for _ in ids)
    rows = db.execute_sql(
        f"""
        SELECT c.id, c.given_name, c.family_name, COALESCE(o.name, ''), c.city, c.archived,
               (SELECT group_concat(address, ' ') FROM (
                    SELECT address FROM email_address WHERE contact_id = c.id
                    ORDER BY position, id) e),
               (SELECT group_concat(number, ' ') FROM (
                    SELECT number FROM phone_number WHERE contact_id = c.id
                    ORDER BY position, id) p)
        FROM contact c LEFT JOIN organization o ON o.id = c.organization_id
        WHERE c.id IN ({placeholders})
        """,
        list(ids),
    ).fetchall()
    db.execute_sql(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({placeholders})", list(ids))
    db.connection().executemany(
        f"INSERT INTO {FTS_TABLE}(rowid, body) VALUES (?, ?)",
        [
            (cid, document(g, f, org, (emails or "").split(), (phones or "").split(), city))
            for cid, g, f, org, city, _archived, emails, phones in rows
        ],
    )


def index_new_contacts(
    conn: Any,
    first_id: int,
    contacts: Iterable[tuple[int, str, str, str, Sequence[str], Sequence[str], str]],
) -> None:
    """Index contacts just inserted with ids from ``first_id`` on, from the values at hand.

    ``conn`` is the raw SQLite connection of a bulk writer; each contact is
    (id, given, family, organization, emails, phones, city). Index rows left at
    those ids by contacts long gone would clash, so they go first.
    """
    conn.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid >= ?", (first_id,))
    conn.executemany(
        f"INSERT INTO {FTS_TABLE}(rowid, body) VALUES (?, ?)",
        (
            (cid, document(given, family, org, emails, phones, city))
            for cid, given, family, org, emails, phones, city in contacts
        ),
    )


def search_ids(
    db: DatabaseLike, query: str, limit: int = 50, include_archived: bool = False
) -> list[int]:
    """Ids of contacts matching ``query``, best first (FTS5 rank for longer queries).

    From three letters on, FTS5's bm25 rank (more of the words matching, in a
    shorter entry, first), ties in the order the contacts were added. A one-
    or two-letter prefix matches a large part of a big database; ranking all
    of those would cost a full scan, so short queries return the first
    ``limit`` matches in the order they were added (by id) instead.
    """
    return [r[0] for r in search_rows(db, query, "f.rowid", "", limit, include_archived)]


def search_rows(
    db: DatabaseLike,
    query: str,
    columns: str,
    joins: str,
    limit: int,
    include_archived: bool = False,
) -> list[Any]:
    """The rows of :func:`search_ids`' contacts, in its order, in one query.

    ``columns`` is the select list over ``f`` (the index), ``c`` (``contact``)
    and what ``joins`` adds (e.g. ``LEFT JOIN organization o ON ...``): a page
    of the contacts table costs one statement, not ids and then their rows.

    On SQLite the index drives the query (``CROSS JOIN`` fixes the loop order)
    and short queries say ``ORDER BY f.rowid``, which FTS5 answers in its own
    order with no sort. Left to itself the planner may instead walk
    ``contact`` by its (archived, family, given) index and probe the index
    for each contact until ``limit`` match: with the query written
    ``c.archived = 0`` that took a second at 100,000 contacts for two Cyrillic
    letters (those names sort last) against a tenth of a millisecond.

    Ranked queries say ``ORDER BY f.rank``, which FTS5 answers itself: it
    ranks every match (that is the cost: about 300 ms for "mar" at 1,000,000
    contacts, 88,000 matches, the same as the bare FTS5 query) and hands them
    over best first, ties by rowid, so the contacts are read only until the
    page is full. ``ORDER BY bm25(...), f.rowid`` gives the same order but
    reads every match's contact and organization to sort them after.
    """
    postgres = is_postgres(db)
    words = query_words(query)
    if not words:
        return []
    expr = _expression(words, postgres)
    archived = "" if include_archived else "AND NOT c.archived"
    # Three letters or more (a phone number's digits count as typed).
    ranked = sum(len(w) for w in words) >= 3
    if postgres:
        # Ranked by how often the words occur (ts_rank), as FTS5's bm25 roughly does.
        order = "ORDER BY ts_rank(f.words, q) DESC, f.rowid" if ranked else "ORDER BY f.rowid"
        sql = (
            f"SELECT {columns} FROM {FTS_TABLE} f JOIN contact c ON c.id = f.rowid {joins}, "
            f"CAST(? AS tsquery) q WHERE f.words @@ q {archived} {order} LIMIT ?"
        )
    else:
        order = "ORDER BY f.rank" if ranked else "ORDER BY f.rowid"
        sql = (
            f"SELECT {columns} FROM {FTS_TABLE} f CROSS JOIN contact c ON c.id = f.rowid "
            f"{joins} WHERE {FTS_TABLE} MATCH ? {archived} {order} LIMIT ?"
        )
        # A read on the connection itself: peewee's layer (logging, hooks that
        # watch for writes) cost a tenth of a short query's first page.
        return db.connection().execute(sql, (expr, limit)).fetchall()
    return list(db.execute_sql(sql, (expr, limit)).fetchall())
