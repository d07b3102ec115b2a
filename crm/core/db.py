"""The database lifecycle: open, create, upgrade, check, back up and restore.

SQLite is the embedded default: one file in the user's data directory, WAL
journal, foreign keys on. Upgrades run one schema version at a time, each in
its own transaction, after a copy made with SQLite's online backup API. A
database written by a newer app is refused rather than guessed at.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from crm import APP_ID
from crm.core import clock
from crm.core.errors import DatabaseError, ValidationError
from crm.core.files import output_file

if TYPE_CHECKING:
    from peewee import Database, DatabaseProxy, SqliteDatabase

# peewee and the models are imported where they are used: the desktop app opens
# its database and paints the first page of contacts before loading them (see
# Store and execute_sql), which saves ~30 ms and ~10 MB at start-up.

SCHEMA_VERSION = 2
# Where the schema version is kept (models.DbInfo's table).
META_TABLE = "crm_meta"

BUSY_TIMEOUT_MS = 10_000
SQLITE_PRAGMAS: dict[str, str | int] = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": BUSY_TIMEOUT_MS,
    "synchronous": "normal",
    # 4 MB page cache: the OS caches the file too, and a desktop app should
    # stay small in memory.
    "cache_size": -4_000,
    "temp_store": "memory",
}

# version -> step that upgrades a database from version - 1 to version.
Migration = Callable[["Database"], None]


def _to_v2(db: Database) -> None:
    """Contacts get a URL and an erasure date; merges are recorded for undo."""
    from crm.core import models

    db.execute_sql("ALTER TABLE contact ADD COLUMN url VARCHAR(300) NOT NULL DEFAULT ''")
    db.execute_sql("ALTER TABLE contact ADD COLUMN erased_at DATETIME")
    db.create_tables([models.MergeRecord])


MIGRATIONS: dict[int, Migration] = {2: _to_v2}


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
            raise ValidationError(f"The database URL '{text}' names no file")
        return Target("sqlite", Path(raw).expanduser())
    if scheme in ("postgres", "postgresql"):
        return Target("postgresql", url=text)
    raise ValidationError(
        f"Unsupported database URL scheme '{scheme}': use a file path, "
        "sqlite:///path or postgresql://user@host/dbname"
    )


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


def close_thread_connection() -> None:
    """Close this thread's database connection, if it has one (a worker calls it when done).

    Peewee gives each thread its own connection. Nothing is imported here: before
    the models are loaded no thread has opened one through them.
    """
    models = sys.modules.get("crm.core.models")
    db = models.database_proxy.obj if models is not None else None
    if db is not None and not db.is_closed():
        db.close()


def _create_private_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # The file holds people's personal data: readable by its owner only.
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def _sqlite_database(path: Path) -> SqliteDatabase:
    from peewee import SqliteDatabase

    return SqliteDatabase(
        str(path),
        pragmas=list(SQLITE_PRAGMAS.items()),
        timeout=BUSY_TIMEOUT_MS / 1000,
        check_same_thread=False,
    )


def open_database(target: str | os.PathLike[str] | None = None, *, upgrade: bool = True) -> Store:
    """Open (creating if needed) and bind the models to the database at ``target``.

    A new database gets the current schema; an older one is backed up and
    upgraded; a newer one is refused with a :class:`DatabaseError`.
    """
    where = parse_target(target)
    if where.kind == "sqlite":
        assert where.path is not None
        if where.path.is_dir():
            raise ValidationError(f"'{where.path}' is a folder, not a database file")
        fresh = not where.path.exists()
        if fresh:
            _create_private_file(where.path)
        elif not _looks_like_sqlite(where.path):
            raise DatabaseError(f"'{where.path}' is not a Passaparola database (not SQLite)")
        elif "crm.core.models" not in sys.modules:
            quick = _open_quickly(where)
            if quick is not None:
                return quick
        db: Database = _sqlite_database(where.path)
    else:
        try:
            from playhouse.db_url import connect
        except ImportError as exc:  # pragma: no cover - playhouse ships with peewee
            raise DatabaseError(str(exc)) from exc
        try:
            db = connect(where.url)
        except Exception as exc:
            raise DatabaseError(
                f"Cannot use {where.describe()}: {exc} (PostgreSQL needs psycopg2 installed)"
            ) from exc
    from crm.core import models

    models.database_proxy.initialize(db)
    store = Store(db, where)
    try:
        try:
            db.connect(reuse_if_open=True)
        except Exception as exc:
            if where.kind == "sqlite":
                raise
            # The server's driver missing, the server down, a wrong password...
            raise DatabaseError(
                f"Cannot open {where.describe()}: {exc}".rstrip(". ")
                + ". PostgreSQL needs the server running and psycopg2 installed "
                "(pip install psycopg2-binary)."
            ) from exc
        ensure_schema(store, upgrade=upgrade)
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
    conn = sqlite3.connect(str(where.path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        for key, value in SQLITE_PRAGMAS.items():
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


def _looks_like_sqlite(path: Path) -> bool:
    if path.stat().st_size == 0:
        return True  # created but never written: treat as new
    with path.open("rb") as fh:
        return fh.read(16) == b"SQLite format 3\x00"


def schema_version(db: Database) -> int:
    """The schema version recorded in the database (0 when it has no schema)."""
    from crm.core import models

    if not db.table_exists(models.DbInfo._meta.table_name):
        return 0
    row = models.DbInfo.get_or_none(models.DbInfo.key == "schema_version")
    return int(row.value) if row else 0


def _set_schema_version(version: int) -> None:
    from crm.core import models

    models.DbInfo.replace(key="schema_version", value=str(version)).execute()


def create_schema(db: Database) -> None:
    """Create every table and index of the current schema."""
    from crm.core import models, search

    db.create_tables(models.ALL_MODELS)
    for statement in models.PRIMARY_REFERRAL_INDEXES:
        db.execute(statement)
    search.create_index(db)


def ensure_schema(store: Store, *, upgrade: bool = True) -> None:
    from crm.core import models

    db = store.db
    tables = db.get_tables()
    version = schema_version(db)
    if version == 0 and not tables:
        with db.atomic():
            create_schema(db)
            _set_schema_version(SCHEMA_VERSION)
            models.Profile.get_or_create(id=1)
        return
    if version == 0:
        raise DatabaseError(
            f"{store.target.describe()} holds tables but is not a Passaparola database"
        )
    if version > SCHEMA_VERSION:
        raise DatabaseError(
            f"This database was written by a newer Passaparola (schema version {version}; "
            f"this app knows up to {SCHEMA_VERSION}). Update Passaparola to open it; "
            "the file was not changed."
        )
    if version < SCHEMA_VERSION:
        if not upgrade:
            raise DatabaseError(
                f"This database has schema version {version} and needs an upgrade "
                f"to {SCHEMA_VERSION}"
            )
        upgrade_schema(store, version)


def upgrade_schema(store: Store, from_version: int) -> Path | None:
    """Back up, then apply each migration step in its own transaction."""
    backup_path = None
    if store.is_sqlite:
        backup_path = automatic_backup(store, reason=f"before-upgrade-v{from_version}")
    for version in range(from_version + 1, SCHEMA_VERSION + 1):
        step = MIGRATIONS.get(version)
        if step is None:
            raise DatabaseError(f"No upgrade step to schema version {version}")
        try:
            with store.db.atomic():
                step(store.db)
                _set_schema_version(version)
        except Exception as exc:
            where = f" A copy made before the upgrade is at {backup_path}." if backup_path else ""
            raise DatabaseError(
                f"Upgrading the database to schema version {version} failed: {exc}. "
                f"The database was left at version {version - 1}.{where}"
            ) from exc
    return backup_path


# -- integrity, backups -----------------------------------------------------


def check(store: Store) -> list[str]:
    """Problems found by SQLite's integrity and foreign-key checks ([] when sound)."""
    if not store.is_sqlite:
        return []
    from crm.core import search

    problems: list[str] = []
    rows = store.db.execute_sql("PRAGMA integrity_check").fetchall()
    problems += [str(r[0]) for r in rows if r[0] != "ok"]
    for table, rowid, parent, _fk in store.db.execute_sql("PRAGMA foreign_key_check"):
        problems.append(f"{table} row {rowid} points to a missing {parent}")
    try:
        store.db.execute_sql(
            f"INSERT INTO {search.FTS_TABLE}({search.FTS_TABLE}) VALUES ('integrity-check')"
        )
    except Exception as exc:
        problems.append(f"search index: {exc}")
    return problems


def _require_sqlite(store: Store, what: str) -> Path:
    if not store.is_sqlite or store.path is None:
        raise ValidationError(
            f"{what} works on a SQLite database; for a server use its own tools (pg_dump)"
        )
    return store.path


def backup(store: Store, dest: str | os.PathLike[str]) -> Path:
    """Copy the live database to ``dest`` with SQLite's online backup API.

    The copy is written beside ``dest`` and renamed into place only once it is
    complete and passes a quick check, so ``dest`` is never half-written.
    """
    source = _require_sqlite(store, "Backup")
    target = Path(dest).expanduser()
    if target.is_dir():
        raise ValidationError(f"'{target}' is a folder: give the backup a file name")
    if target.resolve() == source.resolve():
        raise ValidationError("The backup file cannot be the database itself")
    output_file(target, "file")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    _create_private_file(partial)
    try:
        dest_conn = sqlite3.connect(partial)
        try:
            store.db.connection().backup(dest_conn)
            dest_conn.execute("PRAGMA journal_mode=DELETE")
            ok = dest_conn.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            dest_conn.close()
        if ok != "ok":
            raise DatabaseError(f"The backup did not verify: {ok}")
        if clock.is_set():
            # The daily-backup schedule reads file times: keep them on the app's clock.
            os.utime(partial, (clock.timestamp(), clock.timestamp()))
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return target


def backups_dir(store: Store) -> Path:
    """The folder set in the ``backup_dir`` setting, else ``backups`` beside the database."""
    from crm.core import settings

    source = _require_sqlite(store, "Backup")
    chosen = str(settings.get("backup_dir")) if schema_version(store.db) else ""
    return Path(chosen).expanduser() if chosen else source.parent / "backups"


def automatic_backup(store: Store, reason: str = "auto", keep: int | None = None) -> Path:
    """A timestamped backup in the ``backups`` folder beside the database, rotated."""
    from crm.core import settings

    folder = backups_dir(store)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = clock.now().strftime("%Y%m%d-%H%M%S-%f")
    assert store.path is not None
    path = backup(store, folder / f"{store.path.stem}-{stamp}-{reason}.sqlite3")
    if keep is None:
        keep = int(settings.get("backup_keep")) if schema_version(store.db) else 10
    rotate_backups(store, keep)
    return path


def list_backups(store: Store) -> list[Path]:
    """Automatic backups, newest first."""
    folder = backups_dir(store)
    if not folder.exists():
        return []
    assert store.path is not None
    found = folder.glob(f"{store.path.stem}-*.sqlite3")
    return sorted(found, key=lambda p: p.name, reverse=True)


def rotate_backups(store: Store, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` automatic backups; return those deleted."""
    removed = list_backups(store)[max(keep, 1) :]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def inspect_backup(path: str | os.PathLike[str]) -> int:
    """Validate a backup file and return its schema version."""
    source = Path(path).expanduser()
    if not source.is_file():
        raise ValidationError(f"No backup file at '{source}'")
    if not _looks_like_sqlite(source) or source.stat().st_size == 0:
        raise ValidationError(f"'{source}' is not a SQLite database")
    try:
        conn = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            ok = conn.execute("PRAGMA quick_check").fetchone()[0]
            row = conn.execute("SELECT value FROM crm_meta WHERE key = 'schema_version'").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise ValidationError(f"'{source}' is not a Passaparola backup: {exc}") from exc
    if ok != "ok":
        raise ValidationError(f"'{source}' is damaged: {ok}")
    if row is None:
        raise ValidationError(f"'{source}' is not a Passaparola backup (no schema version)")
    version = int(row[0])
    if version > SCHEMA_VERSION:
        raise ValidationError(
            f"'{source}' was written by a newer Passaparola (schema version {version}; "
            f"this app knows up to {SCHEMA_VERSION})"
        )
    return version


def restore(store: Store, source: str | os.PathLike[str]) -> Path:
    """Replace the database's content with a backup; returns the safety copy's path.

    The current content is first saved as an automatic backup, then the
    backup is copied in with the backup API (so other connections see it), and
    upgraded when it is older than the app.
    """
    target = _require_sqlite(store, "Restore")
    version = inspect_backup(source)
    if Path(source).expanduser().resolve() == target.resolve():
        raise ValidationError("Cannot restore the database from itself")
    safety = automatic_backup(store, reason="before-restore")
    src_conn = sqlite3.connect(f"file:{Path(source).expanduser()}?mode=ro", uri=True)
    try:
        src_conn.backup(store.db.connection())
    finally:
        src_conn.close()
    if version < SCHEMA_VERSION:
        upgrade_schema(store, version)
    return safety


@contextlib.contextmanager
def opened(target: str | os.PathLike[str] | None = None) -> Iterator[Store]:
    """Open a database for the length of a ``with`` block."""
    store = open_database(target)
    try:
        yield store
    finally:
        store.close()
