"""Demo data: a realistic, multilingual referral network to try the app on.

:func:`generate` fills an empty database with contacts in English, Greek,
Bulgarian, Italian and Arabic (native-script names, gendered family names,
local addresses, valid E.164 phone numbers), organizations, networking events
with attendance, a primary-referrer forest (a few big trees, chains up to 20
deep) with extra non-primary referrals, the status pipeline, follow-ups,
rewards, vouchers, history lines and the search index.

The content is deterministic for a seed on a given day: dates are relative to
``clock.today()`` so that follow-ups are current. It is fast (rows go in
with ``executemany`` in one transaction, secondary indexes are rebuilt once
at the end) and memory-conscious (contacts are made in chunks; what later
steps need about each contact is kept in compact arrays).

This module holds the entry point and the bulk-load settings around it (pragmas,
dropped and rebuilt indexes, the demo's tags and sender profile). The rows are
made by :class:`crm.core.demo_generator.Generator`, built on
:mod:`crm.core.demo_referrals` and :mod:`crm.core.demo_values`; the vocabulary
is in :mod:`crm.core.demo_data`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
import time
from collections.abc import Callable
from random import Random
from typing import TYPE_CHECKING, Any

from crm.core import clock, models, search
from crm.core.demo_data import PROFILES, TAGS
from crm.core.demo_generator import Generator
from crm.core.demo_values import HISTORY_DAYS
from crm.core.errors import CancelledError, ValidationError
from crm.core.text import fold

if TYPE_CHECKING:
    from crm.core.db import Store

MAX_CONTACTS = 1_000_000

# Tables the demo fills in bulk: their secondary indexes are dropped for the
# load and rebuilt once at the end.
_BULK_TABLES = (
    "organization",
    "contact",
    "email_address",
    "phone_number",
    "contact_tag",
    "event",
    "attendance",
    "referral",
    "referral_status_change",
    "follow_up",
    "reward",
    "voucher",
    "interaction",
)


def _check_count(contacts: object) -> int:
    if isinstance(contacts, bool) or not isinstance(contacts, int):
        raise ValidationError(
            f"The number of demo contacts must be a whole number, not {contacts!r}", "contacts"
        )
    if not 1 <= contacts <= MAX_CONTACTS:
        raise ValidationError(
            f"The number of demo contacts must be between 1 and {MAX_CONTACTS:,}, not {contacts:,}",
            "contacts",
        )
    return contacts


def generate(
    store: Store,
    contacts: int = 2000,
    seed: int = 1,
    progress: Callable[[int, int], bool | None] | None = None,
) -> dict[str, Any]:
    """Fill an empty SQLite database with a demo referral network of ``contacts`` people.

    Deterministic for a ``seed`` on a given day. ``progress(done, total)`` is
    called now and then; when it returns True the generation stops, the
    database is left exactly as it was and :class:`CancelledError` is raised.
    A database that holds contacts, or a count outside 1 to 1,000,000, is
    refused with a :class:`ValidationError`. Returns the counts of what was
    made and facts about the forest: its largest tree and its depth.
    """
    started = time.perf_counter()
    count = _check_count(contacts)
    if not getattr(store, "is_sqlite", False):
        raise ValidationError("Demo data can be generated into a SQLite database only")
    db = store.db
    existing = db.execute_sql("SELECT count(*) FROM contact").fetchone()[0]
    if existing:
        raise ValidationError(
            f"The database already holds {existing} contacts; demo data goes into an empty database"
        )
    conn = db.connection()
    total = count + max(count // 4, 1)

    def report(done: int) -> None:
        if progress is not None and progress(min(done, total), total):
            raise CancelledError("Demo data generation was cancelled; the database was not changed")

    today = clock.today()
    rng = Random(seed)
    gen = Generator(conn, rng, count, today)
    saved = _loading_pragmas(conn)
    try:
        with db.atomic():
            report(0)
            indexes = _drop_indexes(conn)
            base = {
                table: conn.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()[0]
                for table in ("contact", "organization", "event", "referral", "voucher")
            }
            # Index rows left by contacts long gone would clash with the new ids.
            conn.execute(f"DELETE FROM {search.FTS_TABLE}")
            tag_ids = _tags(conn)
            gen.organizations(max(5, count // 8), base["organization"])
            gen.events(max(3, count // 50), base["event"])
            gen.contacts(base, tag_ids, report)
            step = max(1, (total - count) // (len(indexes) + 2))
            gen.attendances()
            gen.promote_ambassadors()
            _profile(conn, rng)
            done = count + step
            report(done)
            for statement in indexes:
                conn.execute(statement)
                done += step
                report(done)
            # One merged search index answers short prefixes ("m") several times faster.
            conn.execute(f"INSERT INTO {search.FTS_TABLE}({search.FTS_TABLE}) VALUES ('optimize')")
            report(total)
    finally:
        _restore_pragmas(conn, saved)
    root, root_size, deepest = gen.forest_summary()
    summary: dict[str, Any] = {
        "contacts": gen.counts["contacts"],
        "organizations": gen.counts["organizations"],
        "events": gen.counts["events"],
        "attendances": gen.counts["attendances"],
        "referrals": gen.counts["referrals"],
        "followups": gen.counts["followups"],
        "rewards": gen.counts["rewards"],
        "vouchers": gen.counts["vouchers"],
        "largest_root_id": root,
        "largest_root_descendants": root_size,
        "deepest_depth": deepest,
        "seconds": round(time.perf_counter() - started, 2),
    }
    return summary


def _loading_pragmas(conn: Any) -> dict[str, Any]:
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


def _restore_pragmas(conn: Any, saved: dict[str, Any]) -> None:
    if "journal_mode" in saved:
        current = str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower()
        if current != str(saved["journal_mode"]).lower():
            conn.execute(f"PRAGMA journal_mode = {saved['journal_mode']}").fetchone()
    for name, value in saved.items():
        if name != "journal_mode":
            conn.execute(f"PRAGMA {name} = {int(value)}")


def _drop_indexes(conn: Any) -> list[str]:
    """Drop the bulk tables' secondary indexes; return the SQL that recreates them."""
    placeholders = ",".join("?" for _ in _BULK_TABLES)
    rows = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({placeholders}) ORDER BY tbl_name, name",
        _BULK_TABLES,
    ).fetchall()
    for name, _sql in rows:
        conn.execute(f'DROP INDEX "{name}"')
    return [sql for _name, sql in rows]


def _tags(conn: Any) -> dict[str, int]:
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


def _profile(conn: Any, rng: Random) -> None:
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
