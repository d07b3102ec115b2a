"""A database's backups as the app lists them: when, why, how big, which schema.

Backups are made by :func:`crm.core.db.automatic_backup`, which names each one
``<database>-<YYYYmmdd-HHMMSS-ffffff>-<reason>.sqlite3``; this module reads
those names back, and says when the daily backup is due.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from crm.core import clock, db

DAY = dt.timedelta(hours=24)
# What automatic_backup puts after the database's name: a timestamp and a reason.
_STAMPED = re.compile(r"^(\d{8}-\d{6})(?:-(\d{6}))?-([A-Za-z0-9_-]+)$")


@dataclass(frozen=True)
class BackupInfo:
    """One backup file of this database, as the Backups page lists it."""

    path: Path
    taken_at: dt.datetime
    # The reason code in the name: "daily", "close", "manual", "before-restore",
    # "before-upgrade-v1", "auto"…; "" for a file named some other way.
    reason: str
    size: int
    # None when the file cannot be read as a Passaparola database.
    schema_version: int | None


def parse_name(stem: str, name: str) -> tuple[dt.datetime | None, str]:
    """The time and reason encoded in a backup's file name (None, "" when it has none)."""
    prefix, suffix = f"{stem}-", ".sqlite3"
    if not (name.startswith(prefix) and name.endswith(suffix)):
        return None, ""
    match = _STAMPED.match(name[len(prefix) : -len(suffix)])
    if match is None:
        return None, ""
    stamp, micro, reason = match.groups()
    try:
        when = dt.datetime.strptime(stamp, "%Y%m%d-%H%M%S")
    except ValueError:
        return None, ""
    return when.replace(microsecond=int(micro or 0)), reason


def schema_version_of(path: Path) -> int | None:
    """The schema version a backup records, read cheaply (no integrity check)."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = conn.execute(
                f"SELECT value FROM {db.META_TABLE} WHERE key = 'schema_version'"
            ).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    try:
        return int(row[0]) if row else None
    except (TypeError, ValueError):
        return None


def describe_backups(store: db.Store) -> list[BackupInfo]:
    """This database's backups in its backup folder, newest first."""
    if not store.is_sqlite or store.path is None:
        return []
    found: list[BackupInfo] = []
    for path in db.list_backups(store):
        try:
            stat = path.stat()
        except OSError:
            continue  # rotated away meanwhile
        when, reason = parse_name(store.path.stem, path.name)
        if when is None:
            when = dt.datetime.fromtimestamp(stat.st_mtime)
        found.append(BackupInfo(path, when, reason, stat.st_size, schema_version_of(path)))
    found.sort(key=lambda b: (b.taken_at, b.path.name), reverse=True)
    return found


def newest_backup_time(store: db.Store) -> dt.datetime | None:
    """When the newest backup file of this database was written (its mtime)."""
    newest = None
    for path in db.list_backups(store):
        try:
            mtime = path.stat().st_mtime
        except OSError:
            continue
        newest = mtime if newest is None else max(newest, mtime)
    return dt.datetime.fromtimestamp(newest) if newest is not None else None


def daily_backup_due(store: db.Store, now: dt.datetime | None = None) -> bool:
    """True when the database has contacts and its newest backup is over a day old."""
    # Imported here: the window builds this schedule before its first paint.
    from crm.core import contacts

    if not store.is_sqlite or store.path is None or not contacts.has_contacts():
        return False
    newest = newest_backup_time(store)
    return newest is None or (now or clock.now()) - newest >= DAY
