"""The connection: where the database lives, opening it, and running SQL on it.

SQLite is the embedded default: one file in the user's data directory, WAL
journal, foreign keys on; ``--db`` may name a PostgreSQL server instead.
Opening hands the schema to :mod:`crm.core.migrations` (create, upgrade or
refuse); backups live in :mod:`crm.core.backups`.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from crm import APP_ID
from crm.core.errors import CrmError, DatabaseError, ValidationError
from crm.core.files import create_private_file

if TYPE_CHECKING:
    from peewee import Database, DatabaseProxy, SqliteDatabase

# peewee, the models and the migrations are imported where they are used: the
# desktop app opens its database and paints the first page of contacts before
# loading them (see Store and execute_sql), which saves ~30 ms and ~10 MB at start-up.

# The schema version this app writes; the steps up to it are in crm.core.migrations.
# Kept here because the quick open compares against it before peewee loads.
SCHEMA_VERSION = 10
# Where the schema version is kept (models.DbInfo's table).
META_TABLE = "crm_meta"

BUSY_TIMEOUT_MS = 10_000
# How long to wait for another writer, in ms, instead of BUSY_TIMEOUT_MS (tests, scripts).
BUSY_TIMEOUT_ENV = "CRM_BUSY_TIMEOUT_MS"
# How SQLite transactions begin (see _sqlite_database).
WRITE_LOCK = "IMMEDIATE"
SQLITE_PRAGMAS: dict[str, str | int] = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": BUSY_TIMEOUT_MS,
    "synchronous": "normal",
    # 4 MB page cache: the OS caches the file too, and a desktop app should
    # stay small in memory (it takes less: set_page_cache_kib).
    "cache_size": -4_000,
    "temp_store": "memory",
}


def busy_timeout_ms() -> int:
    """How long a writer waits for another one: ``$CRM_BUSY_TIMEOUT_MS``, else 10 s."""
    try:
        return max(0, int(os.environ.get(BUSY_TIMEOUT_ENV, BUSY_TIMEOUT_MS)))
    except ValueError:
        return BUSY_TIMEOUT_MS


# The page cache of each connection opened from now on, in KiB (None: SQLITE_PRAGMAS').
_page_cache_kib: list[int | None] = [None]


def set_page_cache_kib(kib: int | None) -> None:
    """Give each connection opened from now on a page cache of ``kib`` KiB (None: 4 MB).

    The desktop app holds a connection per worker thread besides its own, each
    filling its cache as a million contacts are listed or searched.
    """
    _page_cache_kib[0] = kib


def page_cache_kib() -> int | None:
    """The page cache new connections get, in KiB (None: SQLITE_PRAGMAS')."""
    return _page_cache_kib[0]


def _pragmas() -> dict[str, str | int]:
    kib = _page_cache_kib[0]
    cache = SQLITE_PRAGMAS["cache_size"] if kib is None else -kib
    return {**SQLITE_PRAGMAS, "busy_timeout": busy_timeout_ms(), "cache_size": cache}


def default_db_path() -> Path:
    """``crm.sqlite3`` in the platform's per-user data directory."""
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_ID, appauthor=False)) / "crm.sqlite3"


@dataclass(frozen=True)
class Target:
    """Where the database lives: a SQLite file, or a server URL."""

    kind: str  # "sqlite" or "postgresql"
    path: Path | None = None
    url: str = ""

    def describe(self) -> str:
        if self.path is not None:
            return str(self.path)
        parsed = urlparse(self.url)
        # Never show a password in the window title or an error message.
        host = parsed.hostname or ""
        return f"{parsed.scheme}://{host}{parsed.path}"


def parse_target(target: str | os.PathLike[str] | None) -> Target:
    """Understand ``--db``: a file path, ``sqlite:///path``, or ``postgresql://``."""
    if target is None or str(target) == "":
        return Target("sqlite", default_db_path())
    text = str(target)
    if "://" not in text:
        return Target("sqlite", Path(text).expanduser())
    parsed = urlparse(text)
    scheme = parsed.scheme.lower()
    if scheme in ("sqlite", "sqlite3"):
        # sqlite:///relative/or/absolute as SQLAlchemy and peewee write it.
        raw = text.split("://", 1)[1]
        raw = raw[1:] if raw.startswith("/") else raw
        if not raw:
            raise ValidationError(code="db.database_url_names_file", text=text)
        return Target("sqlite", Path(raw).expanduser())
    if scheme in ("postgres", "postgresql"):
        return Target("postgresql", url=text)
    raise ValidationError(code="db.unsupported_database_url_scheme", scheme=scheme)


class Store:
    """An open database: the peewee handle plus where it lives.

    A SQLite file already at the current schema, opened before the models are
    imported (as the desktop app does), starts on a plain ``sqlite3``
    connection: :func:`execute_sql` runs the contacts table's queries on it, on
    the thread that opened it, so the first page paints before peewee loads.
    The peewee handle (``db``) is made when first asked for, and the models
    bind to it when they are imported (:func:`bind_pending`).
    """

    def __init__(self, db: Database | None, target: Target) -> None:
        self._db = db
        self.target = target
        self._plain: sqlite3.Connection | None = None
        self._plain_thread = 0
        self._lock = threading.Lock()

    @property
    def db(self) -> Database:
        if self._db is None:
            with self._lock:
                if self._db is None:
                    assert self.target.path is not None
                    self._db = _sqlite_database(self.target.path)
        return self._db

    @property
    def is_sqlite(self) -> bool:
        return self.target.kind == "sqlite"

    @property
    def path(self) -> Path | None:
        return self.target.path

    def _close_plain(self) -> None:
        # sqlite3 connections may only be closed by their own thread.
        if self._plain is not None and threading.get_ident() == self._plain_thread:
            self._plain.close()
            self._plain = None

    def close(self) -> None:
        self._close_plain()
        if self._db is not None and not self._db.is_closed():
            self._db.close()


# A store opened quickly whose peewee handle the models have not bound yet, and
# one bound while its plain connection was busy on another thread (closed by
# that thread's next execute_sql).
_pending: Store | None = None
_retired: Store | None = None
_pending_lock = threading.Lock()


def bind_pending(proxy: DatabaseProxy) -> None:
    """Bind ``proxy`` to the store opened before the models were imported, if any.

    Called by :mod:`crm.core.models` as it is first imported.
    """
    global _pending, _retired
    with _pending_lock:
        store, _pending = _pending, None
    if store is None:
        return
    proxy.initialize(store.db)
    store._close_plain()
    if store._plain is not None:
        _retired = store


def execute_sql(sql: str, params: Sequence[Any] = ()) -> Any:
    """Run SQL written with ``?`` marks on the open database; returns the cursor.

    Before the models are imported, on the thread that opened the database
    quickly, this uses the plain ``sqlite3`` connection; otherwise the models'
    database (peewee: each thread has its own connection, and importing the
    models here binds a quickly opened store).
    """
    global _retired
    store = _pending
    if store is not None:
        plain = store._plain
        if plain is not None and threading.get_ident() == store._plain_thread:
            return plain.execute(sql, params)
    retired = _retired
    if retired is not None and threading.get_ident() == retired._plain_thread:
        retired._close_plain()
        _retired = None
    from crm.core import models

    return models.database_proxy.execute_sql(models.placeholders(sql), params)


def is_postgres(database: Any) -> bool:
    """Whether ``database`` (a peewee database, a proxy, or a raw connection) is PostgreSQL."""
    kind = type(getattr(database, "obj", database))
    known = _POSTGRES_TYPES.get(kind)
    if known is None:
        known = _POSTGRES_TYPES[kind] = any(
            k.__name__ in ("PostgresqlDatabase", "RawConnection")
            or k.__module__.startswith("psycopg")
            for k in kind.__mro__
        )
    return known


# By type, once: every search asks, and walking the classes each time took
# longer than SQLite takes to find a short query's first page.
_POSTGRES_TYPES: dict[type, bool] = {}


def on_postgres() -> bool:
    """Whether the open database is PostgreSQL (without loading peewee).

    A database opened quickly is SQLite; the models may be half imported on
    another thread meanwhile (the desktop app loads them after its first paint).
    """
    if _pending is not None:
        return False
    models = sys.modules.get("crm.core.models")
    proxy = getattr(models, "database_proxy", None)
    return proxy is not None and is_postgres(proxy)


def close_thread_connection() -> None:
    """Close this thread's database connection, if it has one (a worker calls it when done).

    Peewee gives each thread its own connection. Nothing is imported here: before
    the models are loaded no thread has opened one through them.
    """
    # The models may be half imported on another thread: no proxy yet, no connection.
    proxy = getattr(sys.modules.get("crm.core.models"), "database_proxy", None)
    db = proxy.obj if proxy is not None else None
    if db is not None and not db.is_closed():
        db.close()


def _sqlite_database(path: Path) -> SqliteDatabase:
    from peewee import SqliteDatabase

    from crm.core import changes

    database = SqliteDatabase(
        str(path),
        pragmas=list(_pragmas().items()),
        timeout=busy_timeout_ms() / 1000,
        check_same_thread=False,
        # Every transaction takes the write lock as it begins: a deferred one
        # that reads and then writes cannot wait for another writer (SQLite
        # answers "database is locked" at once), while BEGIN IMMEDIATE waits
        # out the busy timeout and then sees what the other committed.
        lock_type=WRITE_LOCK,
    )
    # Its writes are noted, so the app tells its own changes from others'.
    changes.track(database)
    return database


def read_snapshot() -> Any:
    """A transaction that only reads: one consistent view, without the write lock.

    For exports, which read a lot and write nothing to the database: on SQLite
    (WAL) other writers go on meanwhile. Never write inside it.
    """
    from peewee import SqliteDatabase

    from crm.core import models

    database = models.database_proxy.obj
    if isinstance(database, SqliteDatabase) and database.transaction_depth() == 0:
        return database.atomic("DEFERRED")
    return models.database_proxy.atomic()


def _lock_number(key: str) -> int:
    """A stable signed 64-bit number for ``key`` (what an advisory lock is named by)."""
    import hashlib

    digest = hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def serialise(key: str) -> None:
    """Let one transaction at a time past this point for ``key``, until it ends.

    For checks that read many rows and then write, such as the primary-referrer
    forest's cycle check: two colleagues recording A→B and B→A at once must not
    both find no cycle. On PostgreSQL this takes a transaction-level advisory
    lock (``pg_advisory_xact_lock``), released at commit or rollback; on SQLite
    every writing transaction already holds the database's write lock from its
    BEGIN IMMEDIATE (see ``WRITE_LOCK``), so there is nothing more to take.
    Call it inside ``atomic()``.
    """
    from peewee import PostgresqlDatabase

    from crm.core import models

    database = models.database_proxy.obj
    if database is None or database.transaction_depth() == 0:
        raise RuntimeError(f"serialise({key!r}) needs an open transaction")
    if isinstance(database, PostgresqlDatabase):
        database.execute_sql(
            f"SELECT pg_advisory_xact_lock({database.param})", (_lock_number(key),)
        )


def open_database(
    target: str | os.PathLike[str] | None = None, *, upgrade: bool = True, create: bool = True
) -> Store:
    """Open (creating if needed) and bind the models to the database at ``target``.

    A new database gets the current schema; an older one is backed up and
    upgraded; a newer one is refused with a :class:`DatabaseError`. With
    ``create=False`` a SQLite file that does not exist is refused instead.
    SQLite's own failures (busy, read-only, full, damaged) become a
    :class:`DatabaseError` that names the cause.
    """
    from crm.core import db_problems

    try:
        return _open(parse_target(target), upgrade=upgrade, create=create)
    except CrmError:
        raise
    except Exception as exc:
        problem = db_problems.explain(exc, parse_target(target).describe())
        if problem is None:
            raise
        raise problem from exc


def sqlite_file(path: Path, *, create: bool) -> bool:
    """Whether ``path`` must be created; refuses a folder, a device, or (``create=False``) none."""
    if path.is_dir():
        raise ValidationError(code="db.folder_database_file", path=path)
    if path.exists():
        if not path.is_file():
            raise ValidationError(code="db.regular_file_device_pipe", path=path)
        return False
    if not create:
        raise ValidationError(code="db.there_database_check_db", path=path)
    return True


def _open(where: Target, *, upgrade: bool, create: bool) -> Store:
    if where.kind == "sqlite":
        assert where.path is not None
        fresh = sqlite_file(where.path, create=create)
        if fresh:
            create_private_file(where.path)
        elif not looks_like_sqlite(where.path):
            raise DatabaseError(code="db.passaparola_database_sqlite", where_path=where.path)
        elif "crm.core.models" not in sys.modules:
            quick = _open_quickly(where)
            if quick is not None:
                return quick
        db: Database = _sqlite_database(where.path)
    else:
        from crm.core import postgres

        db = postgres.database(where.url, where.describe())
    from crm.core import changes, migrations, models

    # Colleagues hear of each write (NOTIFY, crm.core.changes); a no-op if already hooked.
    changes.track(db)
    models.database_proxy.initialize(db)
    store = Store(db, where)
    try:
        try:
            db.connect(reuse_if_open=True)
        except Exception as exc:
            if where.kind == "sqlite":
                raise
            # The server down, a wrong password, no such database...
            raise DatabaseError(
                code="db.cannot_open_server",
                describe=where.describe(),
                exc=" ".join(str(exc).split()).rstrip(". "),
            ) from exc
        migrations.ensure_schema(store, upgrade=upgrade)
    except BaseException:
        store.close()
        raise
    return store


def _open_quickly(where: Target) -> Store | None:
    """A store on a plain sqlite3 connection, or None unless the schema is current.

    Anything else (a new file, an upgrade, a file that is not ours) takes the
    full path through peewee, which creates, upgrades or refuses it.
    """
    global _pending
    assert where.path is not None
    # As peewee opens it: autocommit, the same pragmas and busy timeout.
    conn = sqlite3.connect(str(where.path), timeout=busy_timeout_ms() / 1000, isolation_level=None)
    try:
        for key, value in _pragmas().items():
            conn.execute(f"PRAGMA {key} = {value}")
        row = conn.execute(
            f"SELECT value FROM {META_TABLE} WHERE key = 'schema_version'"
        ).fetchone()
        current = row is not None and int(row[0]) == SCHEMA_VERSION
    except (sqlite3.Error, ValueError):
        current = False
    if not current:
        conn.close()
        return None
    store = Store(None, where)
    store._plain, store._plain_thread = conn, threading.get_ident()
    with _pending_lock:
        _pending = store
    return store


def looks_like_sqlite(path: Path) -> bool:
    """True for a SQLite file, or an empty one (created but never written)."""
    if path.stat().st_size == 0:
        return True
    with path.open("rb") as fh:
        return fh.read(16) == b"SQLite format 3\x00"


def check(store: Store) -> list[str]:
    """Problems found by SQLite's integrity and foreign-key checks ([] when sound)."""
    from crm.core import db_problems

    return db_problems.check(store)


@contextlib.contextmanager
def opened(target: str | os.PathLike[str] | None = None) -> Iterator[Store]:
    """Open a database for the length of a ``with`` block."""
    store = open_database(target)
    try:
        yield store
    finally:
        store.close()
