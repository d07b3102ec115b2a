"""PostgreSQL as a team database: the driver as an extra, opening, upgrading, SQL translation."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from crm.core import db as dbm
from crm.core import postgres

ROOT = Path(__file__).resolve().parent.parent

# Python started with psycopg made unimportable, as on a machine without the extra.
_NO_PSYCOPG = """
import sys
class _Block:
    def find_spec(self, name, path=None, target=None):
        if name == "psycopg" or name.startswith(("psycopg.", "psycopg_")):
            raise ImportError(f"No module named {name!r}")
        return None
sys.meta_path.insert(0, _Block())
from crm.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _crm_without_psycopg(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", _NO_PSYCOPG, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_without_the_driver_a_postgresql_url_says_what_to_install():
    done = _crm_without_psycopg("--db", "postgresql://someone@127.0.0.1/crm", "check")
    assert done.returncode == 2, (done.stdout, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr
    assert "pip install 'passaparola[team]'" in lines[0]
    assert "psycopg" in lines[0]
    assert "postgresql://127.0.0.1/crm" in lines[0]
    assert done.stdout == ""


def test_without_the_driver_sqlite_still_works(tmp_path):
    done = _crm_without_psycopg(
        "--db", str(tmp_path / "a.sqlite3"), "contacts", "add", "--given", "Ada", "--family", "L"
    )
    assert done.returncode == 0, done.stderr


def test_the_driver_is_an_extra_and_a_test_dependency():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'team = [\n    "psycopg[binary]>=3.1,<4",\n]' in text
    test_extra = text.split("test = [", 1)[1].split("]\n", 1)[0]
    assert '"psycopg[binary]>=3.1,<4"' in test_extra


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("SELECT 1", "SELECT 1"),
        ("SELECT * FROM t WHERE a = ? AND b = ?", "SELECT * FROM t WHERE a = %s AND b = %s"),
        (
            "SELECT '?' , a LIKE '%x%' FROM t WHERE b = ?",
            "SELECT '?' , a LIKE '%%x%%' FROM t WHERE b = %s",
        ),
        ('SELECT "a?" FROM t', 'SELECT "a?" FROM t'),
        ("SELECT a % 7 FROM t WHERE b = %s", "SELECT a %% 7 FROM t WHERE b = %s"),
        ("UPDATE t SET a = %s WHERE b = %s", "UPDATE t SET a = %s WHERE b = %s"),
    ],
)
def test_raw_sql_is_translated_to_psycopg_marks(raw, expected):
    assert postgres.translate(raw) == expected


def test_a_url_without_a_database_name_is_refused():
    with pytest.raises(Exception, match="names no database"):
        dbm.open_database("postgresql://someone@127.0.0.1:1")


# -- on a server -------------------------------------------------------------------


@pytest.fixture
def team(pg_server):
    made = pg_server.fresh()
    yield made
    dbm.close_thread_connection()
    pg_server.end_test(made)


def _add(given: str, family: str) -> int:
    from crm.core import contacts

    return contacts.create_contact(contacts.ContactData(given_name=given, family_name=family)).id


def test_check_on_postgresql_finds_contacts_missing_from_the_search_index(team):
    from crm.core import db_problems

    store = dbm.open_database(team.target)
    try:
        anna = _add("Anna", "Bianchi")
        _add("Marco", "Rossi")
        assert db_problems.check(store) == []
        store.db.execute_sql("DELETE FROM contact_fts WHERE rowid = ?", (anna,))
        assert db_problems.check(store) == ["search index: 1 contacts are missing from it"]
    finally:
        store.close()


def _as_version_1(store: dbm.Store) -> None:
    """Undo the steps after v1 on a fresh schema, last first: what a version-1 app left."""
    db = store.db
    # v6: message keys; v5: contact UIDs.
    db.execute_sql("DROP INDEX interaction_message_key")
    db.execute_sql("ALTER TABLE interaction DROP COLUMN message_key")
    db.execute_sql("DROP TABLE contact_uid")
    # v4: row versions, who made and changed what, assignments.
    for table in ("contact", "referral", "follow_up"):
        for column in ("version", "changed_by", "changed_at"):
            db.execute_sql(f"ALTER TABLE {table} DROP COLUMN {column}")
    for table in ("interaction", "referral", "follow_up", "reward"):
        db.execute_sql(f"ALTER TABLE {table} DROP COLUMN created_by")
    db.execute_sql("ALTER TABLE follow_up DROP COLUMN assigned_to")
    # v3: voucher campaigns.
    db.execute_sql("DROP TABLE campaign_reminder, campaign_run, campaign")
    # v2: the merge journal, web pages, erasure.
    db.execute_sql("ALTER TABLE contact DROP COLUMN url")
    db.execute_sql("ALTER TABLE contact DROP COLUMN erased_at")
    db.execute_sql("DROP TABLE merge_record")
    db.execute_sql("UPDATE crm_meta SET value = '1' WHERE key = 'schema_version'")


def test_upgrading_a_postgresql_schema_keeps_a_copy_of_its_tables_first(team):
    from crm.core import migrations

    store = dbm.open_database(team.target)
    anna = _add("Anna", "Bianchi")
    _as_version_1(store)
    store.close()
    store = dbm.open_database(team.target)
    try:
        assert migrations.schema_version(store.db) == dbm.SCHEMA_VERSION
        copies = store.db.execute_sql(
            "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'crm_before_v1_%'"
        ).fetchall()
        assert len(copies) == 1
        (saved,) = copies[0]
        rows = store.db.execute_sql(f'SELECT id, given_name FROM "{saved}".contact').fetchall()
        assert rows == [(anna, "Anna")]
        url = store.db.execute_sql("SELECT url FROM contact WHERE id = ?", (anna,)).fetchone()
        assert url == ("",)
        store.db.execute_sql(f'DROP SCHEMA "{saved}" CASCADE')
    finally:
        store.close()


def test_an_upgrade_is_refused_when_the_safety_copy_cannot_be_made(team, pg_server):
    from crm.core.errors import DatabaseError

    store = dbm.open_database(team.target)
    _add("Anna", "Bianchi")
    _as_version_1(store)
    store.close()
    role = f"crm_nocreate_{os.getpid()}"
    with pg_server.connect() as admin:
        admin.execute(f"DROP ROLE IF EXISTS {role}")
        admin.execute(f"CREATE ROLE {role} LOGIN")
        admin.execute(f"GRANT USAGE ON SCHEMA {team.schema} TO {role}")
        admin.execute(f"GRANT ALL ON ALL TABLES IN SCHEMA {team.schema} TO {role}")
        admin.execute(f"REVOKE CREATE ON DATABASE {pg_server.dbname} FROM PUBLIC")
    try:
        url = team.target.replace("://postgres@", f"://{role}@")
        with pytest.raises(DatabaseError, match="copies the tables into a new schema") as info:
            dbm.open_database(url)
        assert "was not changed" in info.value.message
        with pg_server.connect() as admin:
            version = admin.execute(
                f"SELECT value FROM {team.schema}.crm_meta WHERE key = 'schema_version'"
            ).fetchone()
        assert version == ("1",)
    finally:
        with pg_server.connect() as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s",
                (role,),
            )
            admin.execute(f"DROP OWNED BY {role}")
            admin.execute(f"DROP ROLE {role}")
