"""The import's lookup keys, kept in temporary tables so that memory stays flat in the file.

An import reads a file chunk by chunk (crm.interchange.importer). What a chunk
must see of the rest (the stored contacts' email addresses, folded names and
our own export's UIDs, and what earlier chunks of the same file added) lives in
two temporary tables of the import's own transaction, as 64-bit hashes:

- ``tmp_import_key (k, cid)``: an email key (``e`` + the address case-folded) or a
  UID (``u`` + the UID) to the contact that holds it first; a key goes in once
  (the first holder keeps it, as the matcher decides).
- ``tmp_import_name (k, cid)``: the folded name and organization of each stored
  contact (a name never matches a contact the same file made).

Phone numbers are looked up in ``phone_number`` itself (E.164 as stored), the
ids other programs gave in ``contact_uid``. :func:`repeated` finds, in one
pass before the import, the numbers and UIDs that several records of the file
give (they identify nobody), with a third temporary table doing the counting.
A hash shared by two different keys is harmless: an email hit is checked
against the contact's own addresses, a UID hit against its name, and a name
hit against all its values.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from crm.core.db import is_postgres
from crm.interchange.cleaning import folded

BATCH = 500  # keys per IN (...) query
TABLES = ("tmp_import_key", "tmp_import_name", "tmp_import_seen")


def email_hash(key: str) -> int:
    return hash("e" + key)


def uid_hash(text: str) -> int:
    return hash("u" + text)


def phone_hash(e164: str) -> int:
    return hash("p" + e164)


def name_hash(name_key: str, org_key: str) -> int:
    return hash((name_key, org_key))


def batches(items: Iterable[Any]) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def create(db: Any) -> None:
    """The temporary tables, empty (inside the import's transaction)."""
    big = "BIGINT" if is_postgres(db) else "INTEGER"
    drop(db)
    db.execute_sql(f"CREATE TEMP TABLE tmp_import_key (k {big} PRIMARY KEY, cid {big} NOT NULL)")
    db.execute_sql(f"CREATE TEMP TABLE tmp_import_name (k {big} NOT NULL, cid {big} NOT NULL)")
    db.execute_sql("CREATE INDEX tmp_import_name_k ON tmp_import_name (k)")
    db.execute_sql(f"CREATE TEMP TABLE tmp_import_seen (k {big} PRIMARY KEY, n INTEGER NOT NULL)")


def drop(db: Any) -> None:
    """Drop the temporary tables (a rollback drops them too)."""
    for table in TABLES:
        db.execute_sql(f"DROP TABLE IF EXISTS {table}")


def add(conn: Any, pairs: Iterable[tuple[int, int | None]]) -> None:
    """``(hash, contact id)`` pairs into ``tmp_import_key``; a key held stays its holder's."""
    for batch in batches(pairs):
        conn.executemany(
            "INSERT INTO tmp_import_key (k, cid) VALUES (?, ?) ON CONFLICT (k) DO NOTHING", batch
        )


def load_stored(db: Any, ours: bool) -> None:
    """The stored contacts' email keys and names (and, with ``ours``, our export's UIDs)."""
    from crm.interchange.vcard_out import uid

    conn = db.connection()
    # The oldest first: it is the one a shared key keeps.
    add(
        conn,
        (
            (email_hash(address.casefold()), cid)
            for address, cid in db.execute_sql(
                "SELECT address, contact_id FROM email_address ORDER BY contact_id"
            ).fetchall()
        ),
    )
    keys: dict[str, str] = {}  # names repeat: fold each once
    names: list[tuple[int, int]] = []
    ids: list[int] = []
    for cid, name, org_key in db.execute_sql(
        "SELECT c.id, c.given_name || ' ' || c.family_name, coalesce(o.name_folded, '') "
        "FROM contact c LEFT JOIN organization o ON o.id = c.organization_id "
        "WHERE c.erased_at IS NULL ORDER BY c.id"
    ).fetchall():
        key = keys.get(name)
        if key is None:
            key = keys[name] = folded(name.strip())
        names.append((name_hash(key, org_key), cid))
        if ours:
            ids.append(cid)
        if len(names) >= BATCH:
            conn.executemany("INSERT INTO tmp_import_name (k, cid) VALUES (?, ?)", names)
            names.clear()
            if len(keys) > 100_000:
                keys.clear()
    if names:
        conn.executemany("INSERT INTO tmp_import_name (k, cid) VALUES (?, ?)", names)
    if ours:
        add(conn, ((uid_hash(uid(cid)), cid) for cid in ids))


def count(conn: Any, hashes: list[int]) -> None:
    """Count ``hashes`` in ``tmp_import_seen`` (see :func:`repeated`)."""
    conn.executemany(
        "INSERT INTO tmp_import_seen (k, n) VALUES (?, 1) "
        "ON CONFLICT (k) DO UPDATE SET n = tmp_import_seen.n + 1",
        [(h,) for h in hashes],
    )


def repeated(db: Any) -> set[int]:
    """The hashes counted more than once; the counts are then dropped."""
    found = {k for (k,) in db.execute_sql("SELECT k FROM tmp_import_seen WHERE n > 1").fetchall()}
    db.execute_sql("DELETE FROM tmp_import_seen")
    return found


def lookup(db: Any, table: str, hashes: Iterable[int]) -> Iterator[tuple[int, int]]:
    """``(hash, contact id)`` rows of ``table`` for ``hashes``, oldest contact first."""
    for batch in batches(set(hashes)):
        marks = ",".join("?" * len(batch))
        yield from db.execute_sql(
            f"SELECT k, cid FROM {table} WHERE k IN ({marks}) ORDER BY cid", batch
        ).fetchall()
