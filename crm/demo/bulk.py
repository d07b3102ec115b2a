"""The bulk load around the demo generator: fast pragmas, dropped and rebuilt indexes.

Also the rows made outside the generator's steps: the demo's tags (reusing one
of the same name) and a plausible sender profile.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from random import Random
from typing import Any

from crm.core import clock, models
from crm.core.text import fold
from crm.demo.data import PROFILES, TAGS
from crm.demo.values import HISTORY_DAYS

# Tables the demo fills in bulk: their secondary indexes are dropped for the
# load and rebuilt once at the end.
BULK_TABLES = tuple(t for t in models.RECORD_TABLES if t != "tag")


def loading_pragmas(conn: Any) -> dict[str, Any]:
    """Settings for a fast bulk load into an empty database; returns what to restore.

    Foreign keys are not checked row by row (the generator only refers to rows
    it made; the tests run ``PRAGMA foreign_key_check``), and a WAL database
    uses a rollback journal for the load: new pages are then written once,
    instead of to the WAL and again at the checkpoint, and a rollback (cancel)
    only restores the few pages the empty database had. Without ``fsync``
    (``synchronous = OFF``) a power cut during the load can damage the file,
    which held no contacts; a crash of the app cannot.
    """
    saved = {
        name: conn.execute(f"PRAGMA {name}").fetchone()[0]
        for name in ("cache_size", "synchronous", "foreign_keys", "temp_store", "journal_mode")
    }
    conn.execute("PRAGMA cache_size = -131072")  # 128 MB while loading
    if conn.in_transaction:
        # Inside the caller's transaction the rest cannot change: load as things are.
        return {"cache_size": saved["cache_size"]}
    conn.execute("PRAGMA synchronous = OFF")
    # Index builds sort in temporary files rather than in memory, whatever the size.
    conn.execute("PRAGMA temp_store = FILE")
    conn.execute("PRAGMA foreign_keys = OFF")
    if str(saved["journal_mode"]).lower() == "wal":
        # Refused (left as WAL) when another connection has the file open.
        with contextlib.suppress(sqlite3.OperationalError):
            conn.execute("PRAGMA journal_mode = TRUNCATE").fetchone()
    return saved


def restore_pragmas(conn: Any, saved: dict[str, Any]) -> None:
    """Put back the settings :func:`loading_pragmas` changed."""
    if "journal_mode" in saved:
        current = str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower()
        if current != str(saved["journal_mode"]).lower():
            conn.execute(f"PRAGMA journal_mode = {saved['journal_mode']}").fetchone()
    for name, value in saved.items():
        if name != "journal_mode":
            conn.execute(f"PRAGMA {name} = {int(value)}")


def drop_indexes(conn: Any) -> list[str]:
    """Drop the bulk tables' secondary indexes; return the SQL that recreates them."""
    placeholders = ",".join("?" for _ in BULK_TABLES)
    rows = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({placeholders}) ORDER BY tbl_name, name",
        BULK_TABLES,
    ).fetchall()
    for name, _sql in rows:
        conn.execute(f'DROP INDEX "{name}"')
    return [sql for _name, sql in rows]


def tags(conn: Any) -> dict[str, int]:
    """The demo's tags by name, reusing a tag of the same (folded) name."""
    by_folded = "folded" in {r[1] for r in conn.execute("PRAGMA table_info(tag)")}
    stamp = dt.datetime.combine(
        clock.today() - dt.timedelta(days=HISTORY_DAYS), dt.time(9)
    ).isoformat(sep=" ")
    ids: dict[str, int] = {}
    for name, _lang, _w in TAGS:
        key = fold(name)
        if by_folded:
            found = conn.execute("SELECT id FROM tag WHERE folded = ?", (key,)).fetchone()
        else:
            found = conn.execute("SELECT id FROM tag WHERE name = ?", (name,)).fetchone()
        if found is not None:
            ids[name] = found[0]
        elif by_folded:
            ids[name] = conn.execute(
                "INSERT INTO tag (created_at, updated_at, name, folded) VALUES (?,?,?,?)",
                (stamp, stamp, name, key),
            ).lastrowid
        else:
            ids[name] = conn.execute(
                "INSERT INTO tag (created_at, updated_at, name) VALUES (?,?,?)",
                (stamp, stamp, name),
            ).lastrowid
    return ids


def profile(conn: Any, rng: Random) -> None:
    """Make the sender a plausible consultant, unless the profile is already filled in."""
    sender = rng.choice(PROFILES)
    columns = [r[1] for r in conn.execute("PRAGMA table_info(profile)")]
    row = conn.execute("SELECT * FROM profile WHERE id = 1").fetchone()
    if row is None:
        stamp = models.now().isoformat(sep=" ")
        conn.execute(
            "INSERT INTO profile (id, created_at, updated_at) VALUES (1, ?, ?)", (stamp, stamp)
        )
        row = conn.execute("SELECT * FROM profile WHERE id = 1").fetchone()
    current = dict(zip(columns, row, strict=True))
    if current.get("name"):
        return  # the user's own sender: leave it alone
    changes = {**sender, "currency": "EUR"}
    assignments = ", ".join(f"{k} = ?" for k in changes)
    conn.execute(f"UPDATE profile SET {assignments} WHERE id = 1", list(changes.values()))
