"""The schema: its version, creating it, and upgrading it one numbered step at a time.

Each step runs in its own transaction after a copy made with SQLite's online
backup API; a database written by a newer app is refused rather than guessed at.
The current version number lives in :mod:`crm.core.db` (``SCHEMA_VERSION``):
the quick open checks it before peewee and this module are loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from peewee import Database

from crm.core import backups, db, models, postgres, search, settings
from crm.core.errors import DatabaseError

# version -> step that upgrades a database from version - 1 to version.
Migration = Callable[[Database], None]


def _to_v2(database: Database) -> None:
    """Contacts get a URL and an erasure date; merges are recorded for undo."""
    database.execute_sql("ALTER TABLE contact ADD COLUMN url VARCHAR(300) NOT NULL DEFAULT ''")
    timestamp = "TIMESTAMP" if db.is_postgres(database) else "DATETIME"
    database.execute_sql(f"ALTER TABLE contact ADD COLUMN erased_at {timestamp}")
    database.create_tables([models.MergeRecord])


MIGRATIONS: dict[int, Migration] = {2: _to_v2}


def schema_version(database: Database) -> int:
    """The schema version recorded in the database (0 when it has no schema)."""
    if not database.table_exists(models.DbInfo._meta.table_name):
        return 0
    row = models.DbInfo.get_or_none(models.DbInfo.key == "schema_version")
    return int(row.value) if row else 0


def _set_schema_version(version: int) -> None:
    models.put(models.DbInfo, "schema_version", str(version))


def create_schema(database: Database) -> None:
    """Create every table and index of the current schema."""
    if db.is_postgres(database):
        postgres.create_functions(database)
    database.create_tables(models.ALL_MODELS)
    for statement in models.PRIMARY_REFERRAL_INDEXES:
        database.execute(statement)
    search.create_index(database)


def ensure_schema(store: db.Store, *, upgrade: bool = True) -> None:
    """Create the schema of a new database, upgrade an older one, refuse a newer one."""
    database = store.db
    tables = database.get_tables()
    version = schema_version(database)
    if version == 0 and not tables:
        with database.atomic():
            create_schema(database)
            _set_schema_version(db.SCHEMA_VERSION)
            models.Profile.get_or_create(id=1, defaults=settings.first_profile())
        return
    if version == 0:
        raise DatabaseError(
            f"{store.target.describe()} holds tables but is not a Passaparola database"
        )
    if version > db.SCHEMA_VERSION:
        raise DatabaseError(
            f"This database was written by a newer Passaparola (schema version {version}; "
            f"this app knows up to {db.SCHEMA_VERSION}). Update Passaparola to open it; "
            "the file was not changed."
        )
    if version < db.SCHEMA_VERSION:
        if not upgrade:
            raise DatabaseError(
                f"This database has schema version {version} and needs an upgrade "
                f"to {db.SCHEMA_VERSION}"
            )
        upgrade_schema(store, version)


def upgrade_schema(store: db.Store, from_version: int) -> Path | str | None:
    """Back up, then apply each migration step in its own transaction.

    A SQLite file is copied with the backup API; on PostgreSQL the tables are
    copied into a schema of their own on the server (:func:`postgres.safety_copy`),
    and the upgrade is refused when that copy cannot be made.
    """
    backup_path: Path | str | None = None
    if store.is_sqlite:
        backup_path = backups.automatic_backup(store, reason=f"before-upgrade-v{from_version}")
    else:
        schema = postgres.safety_copy(store.db, from_version)
        backup_path = f"schema '{schema}' on the server"
    for version in range(from_version + 1, db.SCHEMA_VERSION + 1):
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
