"""Telling what others changed: the write hook, the SQLite watcher, the PostgreSQL listener."""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from collections.abc import Iterator

import pytest

from crm.core import change_watch, changes, contacts, followups
from crm.core import db as dbm
from crm.core.contact_fields import ContactData


def test_classify_reads_the_table_and_the_row() -> None:
    assert changes.classify('SELECT * FROM "contact"') is None
    assert changes.classify('INSERT INTO "contact" ("given_name") VALUES (?)', ["A"]) == (
        "contacts",
        None,
    )
    sql = 'UPDATE "follow_up" SET "done" = ? WHERE ("follow_up"."id" = ?)'
    assert changes.classify(sql, [True, 12]) == ("followups", 12)
    assert changes.classify('DELETE FROM "referral" WHERE ("referral"."id" = %s)', [3]) == (
        "referrals",
        3,
    )
    assert changes.classify("delete from contact_fts where rowid = ?", [1]) == ("contacts", None)
    assert changes.classify('INSERT OR REPLACE INTO "setting" VALUES (?, ?)', ["a", "b"]) == (
        "settings",
        None,
    )
    assert changes.classify('UPDATE "new_table_of_someone" SET x = 1') == ("all", None)


def test_payload_round_trip() -> None:
    assert changes.payload("contacts", [3, 7]) == "contacts:3,7"
    assert changes.payload("contacts", [], "ab12") == "contacts:;ab12"
    assert changes.parse_payload("contacts:3,7") == ("contacts", frozenset({3, 7}), "")
    assert changes.parse_payload("followups:;ab12") == ("followups", frozenset(), "ab12")
    assert changes.parse_payload("") == ("all", frozenset(), "")


@pytest.fixture
def watcher(store: dbm.Store) -> Iterator[change_watch.SqliteWatcher]:
    assert store.path is not None
    w = change_watch.SqliteWatcher(store.path)
    yield w
    w.close()


def _other_connection(store: dbm.Store) -> sqlite3.Connection:
    assert store.path is not None
    return sqlite3.connect(store.path, isolation_level=None)


@pytest.mark.sqlite_only  # SQLite's own file watcher
def test_sqlite_watcher_is_quiet_when_nothing_changed(watcher) -> None:
    assert watcher.poll() == set()
    assert watcher.poll() == set()


@pytest.mark.sqlite_only  # SQLite's own file watcher
def test_sqlite_watcher_leaves_out_what_this_process_wrote(store, watcher) -> None:
    contact = contacts.create_contact(ContactData(given_name="Ada", family_name="Own"))
    followups.create_followup(contact.id, dt.date(2026, 12, 8), title="Call")
    assert watcher.poll() == set()


@pytest.mark.sqlite_only  # SQLite's own file watcher
def test_sqlite_watcher_tells_what_another_connection_committed(store, watcher) -> None:
    other = _other_connection(store)
    now = "2026-12-06 10:00:01"
    other.execute(
        "INSERT INTO tag (name, folded, created_at, updated_at) VALUES (?, ?, ?, ?)",
        ("VIP", "vip", now, now),
    )
    assert watcher.poll() == {"contacts"}
    assert watcher.poll() == set()
    other.execute(
        "UPDATE setting SET value = value || 'x' WHERE rowid = (SELECT min(rowid) FROM setting)"
    )
    other.execute("INSERT INTO setting (key, value) VALUES ('live.test', '1')")
    assert watcher.poll() == {"settings"}
    other.close()


@pytest.mark.sqlite_only  # SQLite's own file watcher
def test_sqlite_watcher_says_all_for_a_change_it_cannot_place(store, watcher) -> None:
    contact = contacts.create_contact(ContactData(given_name="Cy", family_name="Plain"))
    watcher.poll()
    other = _other_connection(store)
    # An UPDATE that moves no count, id or date.
    other.execute("UPDATE contact SET city = 'Sofia' WHERE id = ?", (contact.id,))
    other.close()
    assert watcher.poll() == {"all"}


# -- PostgreSQL ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pg(request, pg_server) -> str:
    """The test session's own database on the server (NOTIFY is heard per database)."""
    if request.config.getoption("--backend") == "sqlite":
        pytest.skip("PostgreSQL tests not chosen (--backend=sqlite)")
    return f"{pg_server.base}/{pg_server.dbname}"


def _wait_for(listener: change_watch.PgListener, seconds: float = 1.0) -> set[str]:
    deadline = time.monotonic() + seconds
    seen: set[str] = set()
    while time.monotonic() < deadline and not seen:
        seen = listener.poll()
        time.sleep(0.02)
    return seen


def test_pg_listener_hears_a_commit_of_another_connection(pg: str) -> None:
    import psycopg

    listener = change_watch.PgListener(pg)
    try:
        assert listener.poll() == set()
        with psycopg.connect(pg) as other:
            other.execute("SELECT pg_notify('crm_changes', 'followups:4')")
            time.sleep(0.1)
            assert listener.poll() == set(), "told before the commit"
            other.commit()
            start = time.monotonic()
            assert _wait_for(listener) == {"followups"}
            assert time.monotonic() - start < 1.0
            other.execute("SELECT pg_notify('crm_changes', 'contacts:')")
            other.rollback()
            time.sleep(0.2)
            assert listener.poll() == set(), "a rollback tells nothing"
            # What this process sent (through another connection) is not news to it.
            own = changes.payload("referrals", [], changes.SENDER)
            other.execute("SELECT pg_notify('crm_changes', %s)", [own])
            other.execute("SELECT pg_notify('crm_changes', 'vouchers:5;someone-else')")
            other.commit()
            assert _wait_for(listener) == {"vouchers"}
    finally:
        listener.close()


def test_pg_writes_through_peewee_notify_on_commit_only(pg: str) -> None:
    import psycopg
    from peewee import PostgresqlDatabase

    database = PostgresqlDatabase(pg, prefer_psycopg3=True)
    changes.track(database)
    changes.track(database)  # once is enough
    assert sum(isinstance(h, changes._Tracker) for h in database.query_hooks) == 1
    database.connect()
    database.execute_sql("CREATE TEMP TABLE follow_up (id serial PRIMARY KEY, title text)")
    with psycopg.connect(pg, autocommit=True) as ear:
        ear.execute("LISTEN crm_changes")
        listener = change_watch.PgListener(pg)
        try:
            with database.atomic():
                database.execute_sql("INSERT INTO follow_up (title) VALUES (%s)", ["Call"])
                database.execute_sql("INSERT INTO follow_up (title) VALUES (%s)", ["Write"])
                database.execute_sql(
                    'UPDATE "follow_up" SET "title" = %s WHERE ("follow_up"."id" = %s)', ["x", 1]
                )
                assert list(ear.notifies(timeout=0.2)) == []
            heard = [n.payload for n in ear.notifies(timeout=1.0, stop_after=1)]
            heard += [n.payload for n in ear.notifies(timeout=0.2)]
            # Once per kind and transaction: the insert told "any row" already.
            assert heard == [f"followups:;{changes.SENDER}"]
            # This process's own writes are not news to its own listener.
            assert listener.poll() == set()
            with pytest.raises(RuntimeError), database.atomic():
                database.execute_sql("INSERT INTO follow_up (title) VALUES (%s)", ["Lost"])
                raise RuntimeError("rolled back")
            assert list(ear.notifies(timeout=0.3)) == []
        finally:
            listener.close()
            database.close()


@pytest.mark.sqlite_only  # SQLite's own file watcher
def test_writes_to_another_file_of_this_process_are_not_taken_for_its_own(
    store, watcher, tmp_path
) -> None:
    from peewee import SqliteDatabase

    elsewhere = SqliteDatabase(str(tmp_path / "elsewhere.sqlite3"))
    changes.track(elsewhere)
    elsewhere.execute_sql("CREATE TABLE tag (id INTEGER PRIMARY KEY, name TEXT)")
    elsewhere.execute_sql("INSERT INTO tag (name) VALUES ('x')")
    elsewhere.close()
    assert changes.own_counts(changes.database_key(str(tmp_path / "elsewhere.sqlite3"))) == {
        "contacts": 1
    }
    other = _other_connection(store)
    now = "2026-12-06 10:00:01"
    other.execute(
        "INSERT INTO tag (name, folded, created_at, updated_at) VALUES (?, ?, ?, ?)",
        ("VIP", "vip", now, now),
    )
    other.close()
    assert watcher.pending()
    assert watcher.poll() == {"contacts"}
    assert not watcher.pending()


def test_an_import_on_postgresql_notifies_contacts(store, backend) -> None:
    """The importer writes past peewee (bulk SQL): its NOTIFY is sent all the same."""
    if not backend.is_postgres:
        pytest.skip("NOTIFY is PostgreSQL's")
    import psycopg

    from crm.interchange import importer
    from crm.interchange.records import Incoming, Labelled

    records = [
        Incoming(line=2, given_name="Ada", family_name="Bulk", emails=[Labelled("ada@x.org")]),
        Incoming(line=3, given_name="Bo", family_name="Bulk", tags=["VIP"]),
    ]
    with psycopg.connect(backend.target, autocommit=True) as ear:
        ear.execute("LISTEN crm_changes")
        report = importer.run(records, source="team.csv")
        assert report.imported == 2
        heard = [n.payload for n in ear.notifies(timeout=2.0, stop_after=1)]
        heard += [n.payload for n in ear.notifies(timeout=0.3)]
    assert heard == [f"contacts:;{changes.SENDER}"]
