"""Watching the database for what others changed: a ``crm`` command, a colleague.

``watcher_for(store)`` gives one object with ``pending()`` (cheap enough to
call every second from the desktop app's event loop) and ``poll() -> set of
kinds`` (the words of :mod:`crm.core.changes`: "contacts", "followups", ...,
"all"; empty when nothing changed); ``slow`` says whether poll() belongs on a
worker thread.

- SQLite: ``PRAGMA data_version`` on a connection of the watcher's own changes
  whenever any other connection commits (~7 µs to read). Only then does it
  compare a small fingerprint of each table (rows, largest id, latest
  ``updated_at``; ~0.3 s at 100,000 contacts) to tell which kinds changed,
  leaving out those this process committed itself; a commit it cannot place
  (an UPDATE that set no ``updated_at``) is ``all``.
- PostgreSQL: a connection of its own that ``LISTEN``\\s on ``crm_changes``
  and reads what arrived without waiting; what this process sent is skipped.
  If the server goes away it reconnects (at most every few seconds) and then
  reports ``all``: what happened meanwhile is unknown.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any, Protocol

from crm.core import changes
from crm.core.db import Store, busy_timeout_ms
from crm.core.errors import DatabaseError

RECONNECT_SECONDS = 5.0


class Watcher(Protocol):
    # poll() may read enough to belong on a worker thread.
    slow: bool

    def pending(self) -> bool:
        """Cheap: whether poll() may find something."""
        ...

    def poll(self) -> set[str]: ...

    def close(self) -> None: ...


def _own_since(before: dict[str, int], now: dict[str, int]) -> set[str]:
    return {kind for kind, count in now.items() if count != before.get(kind, 0)}


class SqliteWatcher:
    """Tells what other connections committed to a SQLite file.

    Making it, and a poll after a commit, read a few aggregates per table
    (~0.3 s at 100,000 contacts): both belong on a worker thread; ``pending``
    (microseconds) tells when a poll is worth it. One thread at a time.
    """

    slow = True

    def __init__(self, path: Path) -> None:
        self._conn = sqlite3.connect(
            str(path),
            timeout=busy_timeout_ms() / 1000,
            isolation_level=None,
            check_same_thread=False,
        )
        self._sql, self._kinds = self._fingerprint_query()
        self._key = changes.database_key(str(path))
        self._own = changes.own_counts(self._key)
        self._version = self._data_version()
        self._prints = self._fingerprints()

    def _data_version(self) -> int:
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def _fingerprint_query(self) -> tuple[str, list[str]]:
        """One SELECT of a few aggregates per table, and the kind of each column."""
        tables = [
            row[0]
            for row in self._conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite%' AND name NOT LIKE 'contact_fts%' ORDER BY name"
            )
        ]
        parts: list[str] = []
        kinds: list[str] = []
        for table in tables:
            columns = {row[1] for row in self._conn.execute(f'PRAGMA table_info("{table}")')}
            quoted = '"' + table.replace('"', '""') + '"'
            aggregates = ["count(*)"]
            if "updated_at" in columns:
                aggregates.append("max(updated_at)")
            if table in ("setting", "crm_meta"):
                # Small tables of values changed in place.
                aggregates.append("group_concat(key || '=' || value, char(10))")
            else:
                aggregates.append("max(rowid)")
            for aggregate in aggregates:
                parts.append(f"(SELECT {aggregate} FROM {quoted})")
                kinds.append(changes.kind_of_table(table))
        return "SELECT " + ", ".join(parts or ["0"]), kinds

    def _fingerprints(self) -> tuple[Any, ...]:
        return tuple(self._conn.execute(self._sql).fetchone())

    def pending(self) -> bool:
        return self._data_version() != self._version

    def poll(self) -> set[str]:
        """The kinds others changed since the last poll (empty: nothing)."""
        version = self._data_version()
        if version == self._version:
            return set()
        own_now = changes.own_counts(self._key)
        own = _own_since(self._own, own_now)
        self._own, self._version = own_now, version
        prints = self._fingerprints()
        changed = {
            kind
            for kind, old, new in zip(self._kinds, self._prints, prints, strict=True)
            if old != new
        }
        self._prints = prints
        if not changed:
            # Committed but no count or date moved (an UPDATE that sets no
            # updated_at): ours if we wrote, else somebody's, somewhere.
            return set() if own else {changes.ALL}
        return changed - own

    def close(self) -> None:
        self._conn.close()


class PgListener:
    """Hears the ``crm_changes`` notifications of the other connections to a server."""

    slow = False

    def __init__(self, url: str) -> None:
        self.url = url
        self._conn: Any = None
        self._retry_at = 0.0
        self._connect()

    def _connect(self) -> None:
        try:
            import psycopg
        except ImportError as exc:
            raise DatabaseError(code="change_watch.needs_psycopg") from exc
        conn = psycopg.connect(self.url, autocommit=True, connect_timeout=5)
        conn.execute(f"LISTEN {changes.CHANNEL}")
        self._conn = conn

    def pending(self) -> bool:
        return True  # poll() only reads what already arrived

    def poll(self) -> set[str]:
        """The kinds others committed since the last poll; never waits."""
        if self._conn is None:
            if time.monotonic() < self._retry_at:
                return set()
            try:
                self._connect()
            except Exception:
                self._retry_at = time.monotonic() + RECONNECT_SECONDS
                return set()
            return {changes.ALL}
        kinds: set[str] = set()
        try:
            for note in self._conn.notifies(timeout=0):
                kind, _ids, sender = changes.parse_payload(note.payload)
                if sender != changes.SENDER:
                    kinds.add(kind)
        except Exception:
            # The server went away: listen again later, then re-read everything.
            self.close()
            self._retry_at = time.monotonic() + RECONNECT_SECONDS
        return kinds

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            finally:
                self._conn = None


def watcher_for(store: Store) -> Watcher:
    """The watcher for an open database's backend."""
    if store.is_sqlite:
        assert store.path is not None
        return SqliteWatcher(store.path)
    return PgListener(store.target.url)
