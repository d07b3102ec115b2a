"""The schema: its version, creating it, and upgrading it one numbered step at a time.

Each step runs in its own transaction after a copy made with SQLite's online
backup API; a database written by a newer app is refused rather than guessed at.
The current version number lives in :mod:`crm.core.db` (``SCHEMA_VERSION``):
the quick open checks it before peewee and this module are loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from peewee import Database

from crm.core import backups, db, model_indexes, models, postgres, search, settings
from crm.core.errors import DatabaseError

# version -> step that upgrades a database from version - 1 to version.
Migration = Callable[[Database], None]


def _to_v2(database: Database) -> None:
    """Contacts get a URL and an erasure date; merges are recorded for undo."""
    database.execute_sql("ALTER TABLE contact ADD COLUMN url VARCHAR(300) NOT NULL DEFAULT ''")
    timestamp = "TIMESTAMP" if db.is_postgres(database) else "DATETIME"
    database.execute_sql(f"ALTER TABLE contact ADD COLUMN erased_at {timestamp}")
    database.create_tables([models.MergeRecord])


def _add_voucher_campaigns(database: Database) -> None:
    """Recurring voucher campaigns: the campaigns, the batches they issued, their reminders."""
    database.create_tables([models.Campaign, models.CampaignRun, models.CampaignReminder])


def _add_column(database: Database, model: Any, name: str) -> None:
    """``ALTER TABLE … ADD COLUMN`` for a model's field, typed as this backend writes it."""
    field = model._meta.fields[name]
    ctx = database.get_sql_context()
    column, _params = ctx.sql(field.ddl(ctx)).query()
    database.execute_sql(f"ALTER TABLE {model._meta.table_name} ADD COLUMN {column}")


def _add_row_versions(database: Database) -> None:
    """A team shares the database: row versions, who made and changed what, assignments.

    Contacts, referrals and follow-ups get ``version`` (checked when an edit is
    saved), ``changed_by`` and ``changed_at``; history lines, referrals,
    follow-ups and rewards get ``created_by``; follow-ups get ``assigned_to``.
    Rows already there start at version 1, by nobody in particular.
    """
    versioned: tuple[Any, ...] = (models.Contact, models.Referral, models.FollowUp)
    for model in versioned:
        for name in ("version", "changed_by", "changed_at"):
            _add_column(database, model, name)
    made: tuple[Any, ...] = (models.Interaction, models.Referral, models.FollowUp, models.Reward)
    for model in made:
        _add_column(database, model, "created_by")
    _add_column(database, models.FollowUp, "assigned_to")
    database.create_tables([models.FollowUp], safe=True)  # its new index; the table exists


def _add_contact_uids(database: Database) -> None:
    """Contacts remember the ids other programs gave them (vCard UID, a CSV id column)."""
    database.create_tables([models.ContactUid])


def _add_message_keys(database: Database) -> None:
    """History lines of e-mails sent carry their message key, unique, so none goes twice."""
    database.execute_sql("ALTER TABLE interaction ADD COLUMN message_key VARCHAR(120)")
    database.execute_sql("CREATE UNIQUE INDEX interaction_message_key ON interaction (message_key)")


def _add_covering_indexes(database: Database) -> None:
    """Covering indexes for the hot reads: walking referral chains (the primary-referral
    tree with each step's status and value, and contact names by id) and the dashboard
    (a period's referrals, each giver's, a period's rewards). Each replaces the narrower
    index it extends."""
    for narrower in (
        "referral_primary_giver",
        "referral_giver_id_referred_on",
        "referral_referred_on",
    ):
        database.execute_sql(f"DROP INDEX IF EXISTS {narrower}")
    for statement in models.PRIMARY_REFERRAL_INDEXES:
        database.execute(statement)
    database.execute(models.CONTACT_NAMES_INDEX_SQL)
    # The tables exist: this makes their missing (new) indexes.
    database.create_tables([models.Referral, models.Reward], safe=True)


def _add_rule_codes(database: Database) -> None:
    """Follow-up titles and history lines a rule wrote get a code with parameters, worded
    in each reader's language when shown; the English lines older versions wrote are
    read back into codes (:mod:`crm.core.rule_lines_match`)."""
    from crm.core import rule_lines_match

    for model in (models.FollowUp, models.Interaction):
        table = model._meta.table_name
        if db.is_postgres(database):
            database.execute_sql(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS message TEXT")
        elif "message" not in {c.name for c in database.get_columns(table)}:
            _add_column(database, model, "message")
    rule_lines_match.convert(database)


def _add_history_codes(database: Database) -> None:
    """The other history lines the app wrote in English (a contact's changed fields, a
    referral's changed details, what an import added, points redeemed) get their codes
    (:mod:`crm.core.history_lines_match`)."""
    from crm.core import history_lines_match

    history_lines_match.convert(database)


def _add_dashboard_indexes(database: Database) -> None:
    """The dashboard's period index in the order it tallies by (day, currency, program:
    no sort), replacing the one with the same columns in another order; and a partial
    index of the referrals at events, so a period's are read without all its others."""
    database.execute_sql(f"DROP INDEX IF EXISTS {model_indexes.OLD_PERIOD_INDEX}")
    database.execute(model_indexes.EVENT_PERIOD_INDEX_SQL)
    # The table exists: this makes its missing (new) index.
    database.create_tables([models.Referral], safe=True)


MIGRATIONS: dict[int, Migration] = {
    2: _to_v2,
    3: _add_voucher_campaigns,
    4: _add_row_versions,
    5: _add_contact_uids,
    6: _add_message_keys,
    7: _add_covering_indexes,
    8: _add_rule_codes,
    9: _add_history_codes,
    10: _add_dashboard_indexes,
}


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
    database.execute(models.CONTACT_NAMES_INDEX_SQL)
    database.execute(model_indexes.EVENT_PERIOD_INDEX_SQL)
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
            code="migrations.holds_tables_but_passaparola", describe=store.target.describe()
        )
    if version > db.SCHEMA_VERSION:
        raise DatabaseError(
            code="migrations.database_written_newer_passaparola",
            version=version,
            db_schema_version=db.SCHEMA_VERSION,
        )
    if version < db.SCHEMA_VERSION:
        if not upgrade:
            raise DatabaseError(
                code="migrations.database_schema_version_needs",
                version=version,
                db_schema_version=db.SCHEMA_VERSION,
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
            raise DatabaseError(code="migrations.upgrade_step_schema_version", version=version)
        try:
            with store.db.atomic():
                step(store.db)
                _set_schema_version(version)
        except Exception as exc:
            where = f" A copy made before the upgrade is at {backup_path}." if backup_path else ""
            raise DatabaseError(
                code="migrations.upgrading_database_schema_version",
                version=version,
                exc=exc,
                version_2=version - 1,
                where=where,
            ) from exc
    return backup_path
