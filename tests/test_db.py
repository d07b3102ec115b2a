"""The database lifecycle: creation, pragmas, versions, upgrades, backups, restore."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
from pathlib import Path

import pytest
from dbtools import dump

from crm.core import backups, chain, contacts, migrations, models, referrals
from crm.core import db as dbm
from crm.core.errors import DatabaseError, ValidationError


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def add(given: str, family: str = "Rossi") -> models.Contact:
    return contacts.create_contact(contacts.ContactData(given_name=given, family_name=family))


@pytest.mark.sqlite_only
def test_new_database_is_private_and_uses_safe_pragmas(store, db_path):
    assert stat.S_IMODE(os.stat(db_path).st_mode) == 0o600
    pragma = lambda name: store.db.execute_sql(f"PRAGMA {name}").fetchone()[0]  # noqa: E731
    assert pragma("journal_mode") == "wal"
    assert pragma("foreign_keys") == 1
    assert pragma("busy_timeout") == 10_000
    assert pragma("synchronous") == 1  # NORMAL
    assert migrations.schema_version(store.db) == dbm.SCHEMA_VERSION
    assert models.Profile.get_by_id(1) is not None


def test_the_page_cache_is_4_mb_unless_the_app_asks_for_less(tmp_path):
    def cache_of(name: str) -> int:
        opened = dbm.open_database(tmp_path / name)
        try:
            return dbm.execute_sql("PRAGMA cache_size").fetchone()[0]
        finally:
            opened.close()

    before = dbm.page_cache_kib()  # the GUI tests' application() asks for 1 MB
    try:
        dbm.set_page_cache_kib(None)
        assert cache_of("a.sqlite3") == -4_000
        dbm.set_page_cache_kib(500)
        assert cache_of("b.sqlite3") == -500
        assert cache_of("a.sqlite3") == -500  # a quick open of an existing file too
        dbm.set_page_cache_kib(None)
        assert cache_of("a.sqlite3") == -4_000
    finally:
        dbm.set_page_cache_kib(before)


def test_foreign_keys_are_enforced(store):
    with pytest.raises(Exception, match=r"(?i)FOREIGN KEY"):
        store.db.execute_sql(
            "INSERT INTO email_address (contact_id, address, label, position, "
            "created_at, updated_at) VALUES (999, 'x@y.it', '', 0, "
            "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
        )


def test_default_database_lives_in_the_user_data_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    target = dbm.parse_target(None)
    assert target.kind == "sqlite"
    assert target.path == tmp_path / "data" / "passaparola" / "crm.sqlite3"
    store = dbm.open_database(None)
    try:
        assert target.path.exists()
    finally:
        store.close()


@pytest.mark.parametrize(
    ("text", "kind", "path"),
    [
        ("x.sqlite3", "sqlite", Path("x.sqlite3")),
        ("sqlite:///x.sqlite3", "sqlite", Path("x.sqlite3")),
        ("sqlite:////abs/x.sqlite3", "sqlite", Path("/abs/x.sqlite3")),
        ("postgresql://me:secret@db.example/crm", "postgresql", None),
    ],
)
def test_parse_target(text, kind, path):
    target = dbm.parse_target(text)
    assert (target.kind, target.path) == (kind, path)
    assert "secret" not in target.describe()


def test_unknown_url_scheme_is_refused():
    with pytest.raises(ValidationError, match="Unsupported database URL scheme 'mysql'"):
        dbm.parse_target("mysql://host/db")


def test_a_newer_database_is_refused_and_left_alone(db_path):
    dbm.open_database(db_path).close()
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE crm_meta SET value = '99' WHERE key = 'schema_version'")
    conn.close()
    before = file_hash(db_path)
    with pytest.raises(
        DatabaseError,
        match=rf"newer Passaparola \(schema version 99; this app knows up to {dbm.SCHEMA_VERSION}",
    ):
        dbm.open_database(db_path)
    assert file_hash(db_path) == before


def test_a_file_that_is_not_sqlite_is_refused(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    with pytest.raises(DatabaseError, match="not a Passaparola database"):
        dbm.open_database(path)
    assert path.read_text() == "hello"


def test_a_foreign_sqlite_database_is_refused(tmp_path):
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE things (x)")
    conn.close()
    with pytest.raises(DatabaseError, match="holds tables but is not a Passaparola database"):
        dbm.open_database(path)


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(ValidationError, match="is a folder"):
        dbm.open_database(tmp_path)


# -- upgrades -------------------------------------------------------------------


FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def v1_database(db_path):
    """A schema-v1 database made by the app (tests/fixtures/schema_v1.sql), closed."""
    conn = sqlite3.connect(db_path)
    conn.executescript((FIXTURES / "schema_v1.sql").read_text(encoding="utf-8"))
    conn.execute("PRAGMA journal_mode=WAL")  # as every file the app writes
    conn.close()
    return db_path


def test_the_v1_fixture_upgrades_to_v2_with_every_row_and_a_working_index(v1_database):
    store = dbm.open_database(v1_database)
    try:
        assert migrations.schema_version(store.db) == dbm.SCHEMA_VERSION
        assert dbm.check(store) == []
        made = backups.list_backups(store)
        assert len(made) == 1 and "before-upgrade-v1" in made[0].name
        assert backups.inspect_backup(made[0]) == 1
        # the v2 columns and table exist and have their defaults
        assert models.Contact.get_by_id(1).url == ""
        assert models.Contact.get_by_id(1).erased_at is None
        assert models.MergeRecord.select().count() == 0
        names = [c.display_name for c in models.Contact.select().order_by(models.Contact.id)]
        assert names == ["Γιώργος Παπαδόπουλος", "Мария Иванова", "Giulia Bianchi", "ليلى حداد"]
        assert models.Referral.select().count() == 3
        assert contacts.list_rows("παπαδοπουλος")[0][0] == 1
        assert contacts.list_rows("иван")[0][0] == 2
    finally:
        store.close()


def test_a_v2_database_gains_the_table_of_ids_other_programs_gave(v1_database, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(dbm, "SCHEMA_VERSION", 2)
        patch.setattr(migrations, "MIGRATIONS", {2: migrations.MIGRATIONS[2]})
        dbm.open_database(v1_database).close()
    with sqlite3.connect(v1_database) as conn:
        assert conn.execute("SELECT value FROM crm_meta").fetchone() == ("2",)
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        assert "contact_uid" not in tables
    conn.close()
    store = dbm.open_database(v1_database)
    try:
        assert migrations.schema_version(store.db) == dbm.SCHEMA_VERSION
        assert dbm.check(store) == []
        assert any("before-upgrade-v2" in b.name for b in backups.list_backups(store))
        assert models.Contact.select().count() == 4
        models.ContactUid.create(contact=1, uid="urn:uuid:abc")
        assert [r.uid for r in models.Contact.get_by_id(1).uid_rows] == ["urn:uuid:abc"]
    finally:
        store.close()


def test_upgrade_runs_each_step_in_order_after_a_backup(v1_database, monkeypatch):
    ran: list[int] = []

    def step2(database):
        ran.append(2)
        database.execute_sql("ALTER TABLE contact ADD COLUMN nickname VARCHAR(60) DEFAULT ''")

    def step3(database):
        ran.append(3)
        database.execute_sql("UPDATE contact SET nickname = given_name")

    monkeypatch.setattr(dbm, "SCHEMA_VERSION", 3)
    monkeypatch.setattr(migrations, "MIGRATIONS", {2: step2, 3: step3})
    store = dbm.open_database(v1_database)
    try:
        assert ran == [2, 3]
        assert migrations.schema_version(store.db) == 3
        rows = store.db.execute_sql(
            "SELECT given_name, nickname FROM contact ORDER BY id"
        ).fetchall()
        assert rows == [(g, g) for g in ("Γιώργος", "Мария", "Giulia", "ليلى")]
        assert models.Referral.select().count() == 3
        assert dbm.check(store) == []
        made = backups.list_backups(store)
        assert len(made) == 1 and "before-upgrade-v1" in made[0].name
        with sqlite3.connect(made[0]) as old:
            assert old.execute("SELECT value FROM crm_meta").fetchone() == ("1",)
            assert old.execute("SELECT count(*) FROM contact").fetchone() == (4,)
        old.close()
    finally:
        store.close()


def test_a_failing_step_rolls_back_and_keeps_the_steps_before(v1_database, monkeypatch):
    def step2(database):
        database.execute_sql("CREATE TABLE extra (x)")

    def step3(database):
        database.execute_sql("INSERT INTO extra VALUES (1)")
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(dbm, "SCHEMA_VERSION", 3)
    monkeypatch.setattr(migrations, "MIGRATIONS", {2: step2, 3: step3})
    with pytest.raises(
        DatabaseError, match=r"schema version 3 failed: disk on fire.*left at version 2"
    ):
        dbm.open_database(v1_database)
    with sqlite3.connect(v1_database) as conn:
        assert conn.execute("SELECT value FROM crm_meta").fetchone() == ("2",)
        assert conn.execute("SELECT count(*) FROM extra").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM contact").fetchone() == (4,)
    conn.close()


def test_upgrade_can_be_declined(v1_database, monkeypatch):
    monkeypatch.setattr(dbm, "SCHEMA_VERSION", 2)
    monkeypatch.setattr(migrations, "MIGRATIONS", {2: lambda database: None})
    before = file_hash(v1_database)
    with pytest.raises(DatabaseError, match="needs an upgrade to 2"):
        dbm.open_database(v1_database, upgrade=False)
    assert file_hash(v1_database) == before


# -- check, backup, restore --------------------------------------------------


def test_check_is_clean_on_a_sound_database(store):
    add("Maria")
    assert dbm.check(store) == []


@pytest.mark.sqlite_only
def test_check_reports_a_dangling_reference(store):
    add("Maria")
    store.db.execute_sql("PRAGMA foreign_keys = OFF")
    store.db.execute_sql(
        "INSERT INTO interaction (contact_id, kind, happened_at, summary) "
        "VALUES (4242, 'note', '', '')"
    )
    store.db.execute_sql("PRAGMA foreign_keys = ON")
    problems = dbm.check(store)
    assert problems == ["interaction row 2 points to a missing contact"]


@pytest.mark.sqlite_only
def test_backup_is_a_complete_verified_copy(store, tmp_path):
    add("Maria")
    add("Иван", "Иванов")
    target = backups.backup(store, tmp_path / "copy.sqlite3")
    assert target.exists() and not (tmp_path / "copy.sqlite3.partial").exists()
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    copy = sqlite3.connect(target)
    try:
        assert "\n".join(copy.iterdump()) == dump(store)
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    finally:
        copy.close()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (".", "is a folder"),
        ("missing/dir/copy.sqlite3", "does not exist"),
        ("crm.sqlite3", "cannot be the database itself"),
    ],
)
def test_bad_backup_targets_are_refused(store, tmp_path, unchanged, name, message):
    if not store.is_sqlite and name == "crm.sqlite3":
        pytest.skip("a server's database is no file a backup could overwrite")
    with unchanged(), pytest.raises(ValidationError, match=message):
        backups.backup(store, tmp_path / name)


def test_automatic_backups_rotate(store):
    add("Maria")
    from crm.core import settings

    settings.set_value("backup_keep", 3)
    made = [backups.automatic_backup(store) for _ in range(5)]
    kept = backups.list_backups(store)
    assert kept == sorted(made[-3:], reverse=True)
    assert all(not p.exists() for p in made[:2])


def test_restore_brings_back_the_backup_and_keeps_a_safety_copy(store, tmp_path):
    add("Maria")
    saved = backups.backup(store, tmp_path / "saved.sqlite3")
    before_restore = dump(store)
    add("Late", "Addition")
    safety = backups.restore(store, saved)
    assert dump(store) == before_restore
    assert [c.given_name for c in models.Contact.select()] == ["Maria"]
    with sqlite3.connect(safety) as conn:
        names = [r[0] for r in conn.execute("SELECT given_name FROM contact ORDER BY id")]
    conn.close()
    assert names == ["Maria", "Late"]


@pytest.mark.sqlite_only
def test_restore_is_seen_by_another_open_connection(store, tmp_path, db_path):
    add("Maria")
    saved = backups.backup(store, tmp_path / "saved.sqlite3")
    add("Second")
    other = sqlite3.connect(db_path)
    try:
        assert other.execute("SELECT count(*) FROM contact").fetchone() == (2,)
        backups.restore(store, saved)
        assert other.execute("SELECT count(*) FROM contact").fetchone() == (1,)
    finally:
        other.close()


def test_restore_refuses_what_is_not_a_backup(store, tmp_path, unchanged):
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not a database at all")
    with unchanged(), pytest.raises(ValidationError, match="is not a SQLite database"):
        backups.restore(store, junk)
    with unchanged(), pytest.raises(ValidationError, match="No backup file"):
        backups.restore(store, tmp_path / "nothing-here.sqlite3")
    foreign = tmp_path / "foreign.sqlite3"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE t (x)")
    conn.close()
    with unchanged(), pytest.raises(ValidationError, match="not a Passaparola backup"):
        backups.restore(store, foreign)
    assert backups.list_backups(store) == []


def test_restore_refuses_a_newer_backup(store, tmp_path, unchanged):
    newer = backups.backup(store, tmp_path / "newer.sqlite3")
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE crm_meta SET value = ?", (str(dbm.SCHEMA_VERSION + 1),))
    conn.close()
    with unchanged(), pytest.raises(ValidationError, match="newer Passaparola"):
        backups.restore(store, newer)


def test_an_unreachable_postgresql_url_is_refused_with_a_message():
    # Port 1 on loopback: refused at once; the error says what to check.
    with pytest.raises(DatabaseError, match=r"Cannot open postgresql://127\.0\.0\.1/x: .*server"):
        dbm.open_database("postgresql://nobody@127.0.0.1:1/x")


# The indexes the covering-index step adds (and the one it replaces).
COVERING = {
    "referral_primary_tree",
    "contact_names",
    models.GIVER_TALLY_INDEX,
    "referral_referred_on_currency_program_status_value_refer_a4a1339",  # reordered in step 10
    "reward_currency_created_at_points_amount",
}
REPLACED = {
    "referral_primary_giver": "referral (giver_id, referred_id) WHERE is_primary",
    "referral_giver_id_referred_on": "referral (giver_id, referred_on)",
    "referral_referred_on": "referral (referred_on)",
}


def _indexes(conn: sqlite3.Connection) -> set[str]:
    return {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}


COVERING_STEP = next(
    v for v, step in migrations.MIGRATIONS.items() if step is migrations._add_covering_indexes
)


def test_the_previous_version_gets_the_covering_indexes_after_a_backup(db_path):
    store = dbm.open_database(db_path)
    giver = contacts.create_contact(contacts.ContactData(given_name="Gia")).id
    kid = contacts.create_contact(contacts.ContactData(given_name="Kid")).id
    referrals.record_referral(giver, kid, status="won", value="12.50")
    want = (chain.ancestors(kid), chain.descendants(giver))
    store.close()
    # As a version-3 file was: the narrower index on primary referrals, no covering ones.
    with sqlite3.connect(db_path) as conn:
        for name in COVERING:
            conn.execute(f"DROP INDEX {name}")
        for name, what in REPLACED.items():
            conn.execute(f"CREATE INDEX {name} ON {what}")
        for table in ("follow_up", "interaction"):  # the later step's column
            conn.execute(f"ALTER TABLE {table} DROP COLUMN message")
        conn.execute(
            "UPDATE crm_meta SET value = ? WHERE key = 'schema_version'",
            (str(COVERING_STEP - 1),),
        )
    conn.close()

    store = dbm.open_database(db_path)
    try:
        assert migrations.schema_version(store.db) == dbm.SCHEMA_VERSION
        assert dbm.check(store) == []
        made = backups.list_backups(store)
        assert len(made) == 1 and f"before-upgrade-v{COVERING_STEP - 1}" in made[0].name
        with sqlite3.connect(made[0]) as old:
            assert not COVERING & _indexes(old)
        old.close()
        names = {row[0] for row in store.db.execute_sql("SELECT name FROM sqlite_master")}
        assert names >= COVERING and not set(REPLACED) & names
        assert (chain.ancestors(kid), chain.descendants(giver)) == want
        assert chain.descendants(giver)[0].won_value == 12.5
    finally:
        store.close()
