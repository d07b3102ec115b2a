"""Schema 3: history lines carry a unique message key; a version-2 file is upgraded."""

from __future__ import annotations

import sqlite3

import peewee
import pytest

from crm.core import backups, contacts, migrations, models
from crm.core import db as dbm


def _as_version_2(path) -> None:
    """A file as schema 2 wrote it: no message_key column or its index."""
    conn = sqlite3.connect(path)
    conn.execute("DROP INDEX interaction_message_key")
    conn.execute("ALTER TABLE interaction DROP COLUMN message_key")
    conn.execute("UPDATE crm_meta SET value = '2' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()


def test_a_version_2_database_gets_unique_message_keys(db_path):
    store = dbm.open_database(db_path)
    person = contacts.create_contact(contacts.ContactData(given_name="Νίκος")).id
    store.close()
    _as_version_2(db_path)
    store = dbm.open_database(db_path)
    try:
        assert migrations.schema_version(store.db) == 3
        assert any("before-upgrade-v2" in p.name for p in backups.list_backups(store))
        old = models.Interaction.get(models.Interaction.contact == person)
        assert old.kind == "created" and old.message_key is None
        models.Interaction.create(contact=person, kind="email_sent", message_key="letter:1")
        models.Interaction.create(contact=person, kind="note")  # many lines without a key
        with pytest.raises(peewee.IntegrityError):
            models.Interaction.create(contact=person, kind="email_sent", message_key="letter:1")
    finally:
        store.close()
