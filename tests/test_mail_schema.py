"""The schema step that gives history lines a unique message key upgrades the file before it."""

from __future__ import annotations

import sqlite3

import peewee
import pytest

from crm.core import backups, contacts, migrations, models
from crm.core import db as dbm

STEP = next(v for v, step in migrations.MIGRATIONS.items() if step is migrations._add_message_keys)


def _as_the_version_before(path) -> None:
    """A file as the schema before the step wrote it: no message_key column or its index."""
    conn = sqlite3.connect(path)
    conn.execute("DROP INDEX interaction_message_key")
    conn.execute("ALTER TABLE interaction DROP COLUMN message_key")
    conn.execute(f"UPDATE crm_meta SET value = '{STEP - 1}' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()


def test_the_database_before_the_step_gets_unique_message_keys(db_path):
    store = dbm.open_database(db_path)
    person = contacts.create_contact(contacts.ContactData(given_name="Νίκος")).id
    store.close()
    _as_the_version_before(db_path)
    store = dbm.open_database(db_path)
    try:
        assert migrations.schema_version(store.db) == dbm.SCHEMA_VERSION
        assert any(f"before-upgrade-v{STEP - 1}" in p.name for p in backups.list_backups(store))
        old = models.Interaction.get(models.Interaction.contact == person)
        assert old.kind == "created" and old.message_key is None
        models.Interaction.create(contact=person, kind="email_sent", message_key="letter:1")
        models.Interaction.create(contact=person, kind="note")  # many lines without a key
        with pytest.raises(peewee.IntegrityError):
            models.Interaction.create(contact=person, kind="email_sent", message_key="letter:1")
    finally:
        store.close()
