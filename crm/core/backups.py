"""A SQLite database's backups: make, rotate, list, inspect and restore them.

Copies are made with SQLite's online backup API, never by copying the live
file. :func:`automatic_backup` names each one
``<database>-<YYYYmmdd-HHMMSS-ffffff>-<reason>.sqlite3``; :func:`describe_backups`
reads those names back, and :func:`daily_backup_due` says when the next is due.

The settings and the schema (both need peewee) are imported where they are
used: the desktop app loads this module before its first paint.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from crm.core import clock, db
from crm.core.errors import DatabaseError, ValidationError
from crm.core.files import create_private_file, output_file
from crm.i18n import N_, Term

DAY = dt.timedelta(hours=24)
# What automatic_backup puts after the database's name: a timestamp and a reason.
_STAMPED = re.compile(r"^(\d{8}-\d{6})(?:-(\d{6}))?-([A-Za-z0-9_-]+)$")
# A backup being written: ".<name>.<pid>.partial" beside where it will go, with
# SQLite's own journal files while the copy is under way.
PARTIAL = ".partial"
_PARTIAL_NAME = re.compile(r"^\..+\.(\d+)\.partial(?:-journal|-wal|-shm)?$")


def _require_sqlite(store: db.Store, what: str) -> Path:
    if not store.is_sqlite or store.path is None:
        raise ValidationError(code="backups.works_sqlite_database_server", what=Term(what))
    return store.path


def backup(store: db.Store, dest: str | os.PathLike[str]) -> Path:
    """Copy the live database to ``dest`` with SQLite's online backup API.

    The copy is written beside ``dest`` under a hidden partial name and renamed
    into place only once it is complete and passes a quick check, so ``dest`` is
    never half-written; what a killed backup left in that folder goes first.
    """
    target = Path(dest).expanduser()
    if target.is_dir():
        raise ValidationError(code="backups.folder_give_backup_file", target=target)
    if store.is_sqlite and store.path is not None and target.resolve() == store.path.resolve():
        raise ValidationError(code="backups.backup_file_cannot_database")
    output_file(target, "file")
    remove_stale_partials(target.parent)
    partial = target.with_name(f".{target.name}.{os.getpid()}{PARTIAL}")
    partial.unlink(missing_ok=True)
    create_private_file(partial)
    try:
        _copy_into(store, partial)
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return target


def _copy_into(store: db.Store, partial: Path) -> None:
    """The live database copied into the empty file ``partial``, checked.

    A PostgreSQL database is copied row by row into a new SQLite file
    (:mod:`crm.core.copying`), which ``crm restore`` or ``crm copy`` take back.
    """
    if not store.is_sqlite:
        from crm.core import copying

        copying.copy_database(None, str(partial), source_store=store)
    dest_conn = sqlite3.connect(partial)
    try:
        if store.is_sqlite:
            store.db.connection().backup(dest_conn)
        dest_conn.execute("PRAGMA journal_mode=DELETE")
        ok = dest_conn.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        dest_conn.close()
    if ok != "ok":
        raise DatabaseError(code="backups.backup_did_verify", ok=ok)
    if clock.is_set():
        # The daily-backup schedule reads file times: keep them on the app's clock.
        os.utime(partial, (clock.timestamp(), clock.timestamp()))


def remove_stale_partials(folder: Path) -> list[Path]:
    """Delete the partial copies (and journals) in ``folder`` whose backup was killed.

    A partial is named after the process writing it; one whose process is
    still running is another backup under way and is left alone.
    """
    removed = []
    for path in folder.glob(f".*{PARTIAL}*"):
        match = _PARTIAL_NAME.match(path.name)
        if match is None or _running(int(match.group(1))):
            continue
        with contextlib.suppress(OSError):  # Windows: still open elsewhere after all
            path.unlink()
            removed.append(path)
    return removed


def _running(pid: int) -> bool:
    """Whether process ``pid`` is alive (ours always is)."""
    if pid == os.getpid():
        return True
    if os.name != "posix":
        # No safe probe (os.kill would end it): unlinking fails while it holds the file.
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process
    return True


def backups_dir(store: db.Store) -> Path:
    """The folder set in the ``backup_dir`` setting, else ``backups`` beside the database."""
    from crm.core import migrations, settings

    chosen = str(settings.get("backup_dir")) if migrations.schema_version(store.db) else ""
    if chosen:
        return Path(chosen).expanduser()
    if store.path is None:
        # A server's database: its backups go to this user's data folder.
        return db.default_db_path().parent / "backups"
    return store.path.parent / "backups"


def backup_stem(store: db.Store) -> str:
    """What automatic backups' names start with: the file's name, or the server's and database's."""
    if store.path is not None:
        return store.path.stem
    from urllib.parse import urlparse

    parsed = urlparse(store.target.url)
    raw = f"{parsed.hostname or 'localhost'}-{parsed.path.strip('/')}"
    return re.sub(r"[^A-Za-z0-9_.]+", "_", raw)


def automatic_backup(store: db.Store, reason: str = "auto", keep: int | None = None) -> Path:
    """A timestamped backup in the backup folder, rotated to the newest ``keep``."""
    from crm.core import migrations, settings

    folder = backups_dir(store)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = clock.now().strftime("%Y%m%d-%H%M%S-%f")
    path = backup(store, folder / f"{backup_stem(store)}-{stamp}-{reason}.sqlite3")
    if keep is None:
        keep = int(settings.get("backup_keep")) if migrations.schema_version(store.db) else 10
    rotate_backups(store, keep)
    return path


def list_backups(store: db.Store) -> list[Path]:
    """Automatic backups, newest first."""
    folder = backups_dir(store)
    if not folder.exists():
        return []
    remove_stale_partials(folder)
    found = folder.glob(f"{backup_stem(store)}-*.sqlite3")
    return sorted(found, key=lambda p: p.name, reverse=True)


def rotate_backups(store: db.Store, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` automatic backups; return those deleted."""
    removed = list_backups(store)[max(keep, 1) :]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def inspect_backup(path: str | os.PathLike[str]) -> int:
    """Validate a backup file and return its schema version."""
    source = Path(path).expanduser()
    if not source.is_file():
        raise ValidationError(code="backups.no_backup_file", source=source)
    if not db.looks_like_sqlite(source) or source.stat().st_size == 0:
        raise ValidationError(code="backups.sqlite_database", source=source)
    try:
        conn = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            ok = conn.execute("PRAGMA quick_check").fetchone()[0]
            row = conn.execute(
                f"SELECT value FROM {db.META_TABLE} WHERE key = 'schema_version'"
            ).fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise ValidationError(code="backups.passaparola_backup", source=source, exc=exc) from exc
    if ok != "ok":
        raise ValidationError(code="backups.damaged", source=source, ok=ok)
    if row is None:
        raise ValidationError(code="backups.passaparola_backup_schema_version", source=source)
    version = int(row[0])
    if version > db.SCHEMA_VERSION:
        raise ValidationError(
            code="backups.written_newer_passaparola_schema",
            source=source,
            version=version,
            db_schema_version=db.SCHEMA_VERSION,
        )
    return version


def restore(store: db.Store, source: str | os.PathLike[str]) -> Path:
    """Replace the database's content with a backup; returns the safety copy's path.

    The current content is first saved as an automatic backup, then the
    backup is copied in with the backup API (so other connections see it), and
    upgraded when it is older than the app.
    """
    from crm.core import migrations

    if not store.is_sqlite:
        return _restore_on_server(store, source)
    target = _require_sqlite(store, N_("Restore"))
    version = inspect_backup(source)
    if Path(source).expanduser().resolve() == target.resolve():
        raise ValidationError(code="backups.cannot_restore_database_itself")
    safety = automatic_backup(store, reason="before-restore")
    src_conn = sqlite3.connect(f"file:{Path(source).expanduser()}?mode=ro", uri=True)
    try:
        src_conn.backup(store.db.connection())
    finally:
        src_conn.close()
    if version < db.SCHEMA_VERSION:
        migrations.upgrade_schema(store, version)
    return safety


def _restore_on_server(store: db.Store, source: str | os.PathLike[str]) -> Path:
    """Restore a backup file into a PostgreSQL database, its content saved as a backup first.

    The backup must be at this app's schema version (an older one is upgraded by
    restoring it into a SQLite file first).
    """
    from crm.core import copying

    version = inspect_backup(source)
    if version != db.SCHEMA_VERSION:
        raise ValidationError(
            f"'{source}' has schema version {version}: restore it into a SQLite file first "
            f"(crm --db FILE restore ...), which upgrades it, then copy that file to the server"
        )
    where = Path(source).expanduser().resolve()
    safety = automatic_backup(store, reason="before-restore")
    copying.replace_contents(store, str(where))
    return safety


# -- the backups as the app lists them -----------------------------------------


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
    found: list[BackupInfo] = []
    for path in list_backups(store):
        try:
            stat = path.stat()
        except OSError:
            continue  # rotated away meanwhile
        when, reason = parse_name(backup_stem(store), path.name)
        if when is None:
            when = dt.datetime.fromtimestamp(stat.st_mtime)
        found.append(BackupInfo(path, when, reason, stat.st_size, schema_version_of(path)))
    found.sort(key=lambda b: (b.taken_at, b.path.name), reverse=True)
    return found


def newest_backup_time(store: db.Store) -> dt.datetime | None:
    """When the newest backup file of this database was written (its mtime)."""
    newest = None
    for path in list_backups(store):
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
